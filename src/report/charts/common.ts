/**
 * What every chart of a sweep report shares: the spec type, fixed strategy colours (a strategy keeps
 * its colour from chart to chart and report to report), labels, and how a swept parameter becomes
 * an axis.
 */
import type { TopLevelSpec } from 'vega-lite';
import YAML from 'yaml';
import { ANOMALIES, ANOMALY_TITLES, type Anomaly } from '../../checks/anomalies.js';
import { checkDuration, DURATION_RE } from '../../model/duration.js';
import { strategyNameOf, strategyVaryIndex } from '../grid.js';
import type { PointResult, SweepResult } from '../sweepResult.js';
import type { Vary } from '../sweepData.js';

export type ChartSpec = TopLevelSpec;

export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** A chart of the report: its file stem, and the spec built from a sweep (null when it has nothing to show). */
export interface ChartBuilder {
  name: string;
  /** One sentence on how to read it, shown under the chart in index.html. */
  caption: string;
  build(result: SweepResult): ChartSpec | null;
}

/** The anomalies' names in charts: their titles (src/checks/anomalies.ts). */
export const ANOMALY_LABELS: Record<Anomaly, string> = ANOMALY_TITLES;

export function anomalyLabel(name: string): string {
  return (ANOMALY_LABELS as Record<string, string>)[name] ?? name;
}

/** Colour-blind-safe colours (Okabe–Ito), one per strategy, in `lagsim strategies` order. */
const STRATEGY_COLOURS: Record<string, string> = {
  none: '#6b6b6b',
  pin: '#0072b2',
  fallback: '#e69f00',
  token: '#009e73',
  sticky: '#cc79a7',
};
const EXTRA_COLOURS = ['#d55e00', '#56b4e9', '#f0e442', '#000000', '#999999'];

/** Shared look: readable sizes, no chart border, and the same font everywhere (SVGs stay byte-stable). */
export const CHART_CONFIG = {
  font: 'Helvetica, Arial, sans-serif',
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridOpacity: 0.5 },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 320 },
  header: { labelFontSize: 12, titleFontSize: 12, labelLimit: 0 },
  title: { fontSize: 15, subtitleFontSize: 12, anchor: 'start' as const, subtitleColor: '#444' },
};

/**
 * The label of each point's strategy: one label per value of the strategy vary (all points share
 * one when the strategy is not varied, even if another vary changes its options) — its name when
 * the names tell the values apart, else the strategy with its options (`strategy` varied as objects).
 */
export function strategyLabels(result: SweepResult): Map<number, string> {
  const s = strategyVaryIndex(result.spec.vary);
  if (s < 0) return new Map(result.points.map((p) => [p.point, p.strategyName]));
  const vary = result.spec.vary[s]!;
  const names = vary.values.map((value) => strategyNameOf(vary, value));
  const unique = new Set(names).size === names.length;
  const labels = new Map<number, string>();
  for (const p of result.points) {
    const index = vary.values.indexOf(p.values[vary.path]!);
    labels.set(p.point, unique ? names[index]! : p.strategy);
  }
  return labels;
}

/** Colour scale with the fixed colours, for the labels in the order they first appear. */
export function strategyScale(result: SweepResult): { domain: string[]; range: string[] } {
  const labels = strategyLabels(result);
  const domain: string[] = [];
  const range: string[] = [];
  let extra = 0;
  for (const p of result.points) {
    const label = labels.get(p.point)!;
    if (domain.includes(label)) continue;
    domain.push(label);
    const fixed = label === p.strategyName ? STRATEGY_COLOURS[p.strategyName] : undefined;
    range.push(fixed ?? EXTRA_COLOURS[extra++ % EXTRA_COLOURS.length]!);
  }
  return { domain, range };
}

/**
 * Anomalies worth a panel: those that occurred somewhere in the sweep; when none did, those that
 * could have (an eligible key-read somewhere), so the chart shows the zeros and their upper bounds.
 */
export function shownAnomalies(result: SweepResult, names: readonly Anomaly[] = ANOMALIES): Anomaly[] {
  const occurred = names.filter((name) => result.points.some((p) => (p.anomalies[name]?.violations ?? 0) > 0));
  if (occurred.length > 0) return occurred;
  return names.filter((name) => result.points.some((p) => (p.anomalies[name]?.eligible ?? 0) > 0));
}

/** The anomalies left out of a chart because no run broke them, as a subtitle says it ('' when none). */
export function absentNote(result: SweepResult, shown: readonly Anomaly[], names: readonly Anomaly[] = ANOMALIES): string {
  const absent = names.filter((name) => !shown.includes(name));
  if (absent.length === 0) return '';
  const labels = absent.map((name) => ANOMALY_LABELS[name]);
  const list = labels.length === 1 ? labels[0]! : `${labels.slice(0, -1).join(', ')} or ${labels[labels.length - 1]}`;
  return `not shown: no run broke ${list}${result.points.length > 1 ? ' at any grid point' : ''}`;
}

/** Dash patterns, one per strategy, so that lines lying on top of each other stay visible. */
export function strategyDashes(result: SweepResult): { domain: string[]; range: number[][] } {
  const { domain } = strategyScale(result);
  const patterns = [[1, 0], [6, 3], [2, 2], [8, 3, 2, 3], [4, 4], [1, 3], [10, 4]];
  return { domain, range: domain.map((_, i) => patterns[i % patterns.length]!) };
}

/** Rates are small: two significant digits keep 0.004% from printing as 0%. */
export const RATE_FORMAT = '.2~p';

export type Axis =
  | { kind: 'quantitative'; title: string; value: (text: string) => number }
  | { kind: 'ordinal'; title: string; order: string[] };

/** How the values of a vary become an x axis: durations in ms, numbers as they are, anything else in the order written. */
export function axisOf(vary: Vary): Axis {
  const parsed = vary.values.map((text) => {
    try {
      return YAML.parse(text) as unknown;
    } catch {
      return text;
    }
  });
  const isDuration = (v: unknown): boolean => typeof v === 'string' && DURATION_RE.test(v);
  if (parsed.every((v) => isDuration(v) || typeof v === 'number') && parsed.some(isDuration)) {
    const ms = new Map(
      vary.values.map((text, i) => {
        const checked = checkDuration(parsed[i]);
        return [text, checked.ok ? checked.micros / 1000 : NaN];
      }),
    );
    return { kind: 'quantitative', title: `${vary.path} (ms)`, value: (text) => ms.get(text)! };
  }
  if (parsed.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    const numbers = new Map(vary.values.map((text, i) => [text, parsed[i] as number]));
    return { kind: 'quantitative', title: vary.path, value: (text) => numbers.get(text)! };
  }
  return { kind: 'ordinal', title: vary.path, order: [...vary.values] };
}

/** The swept parameters other than the strategy, in --vary order. */
export function otherVaries(result: SweepResult): Vary[] {
  const s = strategyVaryIndex(result.spec.vary);
  return result.spec.vary.filter((_, i) => i !== s);
}

/** `path=value, ...` of a point for the given varies ('' when none). */
export function labelFor(point: PointResult, varies: readonly Vary[]): string {
  return varies.map((v) => `${v.path}=${point.values[v.path]}`).join(', ');
}

/** The seeds, as a subtitle says them: `seed 1`, or `3 seeds pooled`. */
export function seedsNote(result: SweepResult, how = 'pooled'): string {
  const n = result.spec.seeds.length;
  return n === 1 ? `seed ${result.spec.seeds[0]}` : `${n} seeds ${how}`;
}

/** A Vega-Lite "null" for an interval bound that does not exist, so the band simply has a gap. */
export const orNull = (value: number | null | undefined): number | null => (value === undefined ? null : value);

/** One row of small multiples per anomaly, titled by its name above the row. */
export function anomalyRowFacet(anomalies: readonly Anomaly[]) {
  return {
    field: 'anomaly',
    type: 'nominal' as const,
    sort: anomalies.map(anomalyLabel),
    header: { title: null, labelAngle: 0, labelOrient: 'top' as const, labelAnchor: 'start' as const, labelFontWeight: 'bold' as const },
  };
}

/** A single chart, or one panel per value of `panel` (further swept parameters) in `columns` columns. */
export function panelled(title: object, rows: readonly object[], spec: object, panels: readonly string[], columns: number): ChartSpec {
  if (panels.length <= 1) return { $schema: VEGA_LITE_SCHEMA, title, data: { values: rows }, ...spec, config: CHART_CONFIG } as ChartSpec;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title,
    data: { values: rows },
    facet: { field: 'panel', type: 'nominal', sort: panels, header: { title: null } },
    columns,
    spec,
    config: CHART_CONFIG,
  } as ChartSpec;
}
