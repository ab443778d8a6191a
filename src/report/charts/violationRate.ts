/**
 * Violation rate against the first swept parameter other than the strategy, one line per strategy
 * with its 95% interval band, one row per anomaly; further swept parameters split the chart into
 * columns. Without such a parameter, one point per strategy with its interval.
 */
import {
  absentNote,
  anomalyLabel,
  axisOf,
  CHART_CONFIG,
  labelFor,
  otherVaries,
  RATE_FORMAT,
  seedsNote,
  shownAnomalies,
  strategyDashes,
  strategyLabels,
  strategyScale,
  VEGA_LITE_SCHEMA,
  type ChartBuilder,
  type ChartSpec,
  anomalyRowFacet,
} from './common.js';
import type { SweepResult } from '../sweepResult.js';

const Y_TITLE = 'violations per key-read';

/**
 * Along a numeric swept parameter: a line per strategy in its interval band; otherwise a point with
 * its interval bar per strategy (joined by a thin line along an ordinal parameter).
 */
function layers(result: SweepResult, axis: ReturnType<typeof axisOf> | null): object[] {
  const colour = { field: 'strategy', type: 'nominal' as const, title: 'strategy', scale: strategyScale(result), legend: { symbolOpacity: 1 } };
  const dash = { field: 'strategy', type: 'nominal' as const, title: 'strategy', scale: strategyDashes(result) };
  const y = (field: string) => ({ field, type: 'quantitative' as const, title: Y_TITLE, axis: { format: RATE_FORMAT } });
  const x =
    axis === null
      ? { field: 'x', type: 'nominal' as const, title: 'strategy', sort: strategyScale(result).domain, axis: { labelAngle: 0 } }
      : axis.kind === 'quantitative'
        ? { field: 'x', type: 'quantitative' as const, title: axis.title, scale: { zero: false } }
        : { field: 'x', type: 'ordinal' as const, title: axis.title, sort: axis.order, axis: { labelAngle: 0, labelLimit: 160 } };
  const continuous = axis !== null && axis.kind === 'quantitative';
  return continuous
    ? [
        {
          mark: { type: 'errorband' as const, opacity: 0.18, borders: false },
          encoding: { x, y: y('low'), y2: { field: 'high' }, color: colour },
        },
        {
          mark: { type: 'line' as const, point: true, strokeWidth: 2 },
          encoding: { x, y: y('rate'), color: colour, strokeDash: dash },
        },
      ]
    : [
        {
          mark: { type: 'rule' as const, strokeWidth: 2 },
          encoding: { x, y: y('low'), y2: { field: 'high' }, color: colour },
        },
        {
          mark: { type: 'point' as const, filled: true, size: 70 },
          encoding: { x, y: y('rate'), color: colour },
        },
        ...(axis !== null
          ? [{ mark: { type: 'line' as const, strokeWidth: 1.5, opacity: 0.7 }, encoding: { x, y: y('rate'), color: colour, strokeDash: dash } }]
          : []),
      ];
}

export function violationRateChart(result: SweepResult): ChartSpec | null {
  const anomalies = shownAnomalies(result);
  if (anomalies.length === 0) return null;
  const labels = strategyLabels(result);
  const others = otherVaries(result);
  const xVary = others[0];
  const panelVaries = others.slice(1);
  const axis = xVary === undefined ? null : axisOf(xVary);
  const rows: Record<string, string | number>[] = [];
  for (const p of result.points) {
    for (const name of anomalies) {
      const a = p.anomalies[name];
      if (a.rate === null || a.rateInterval === null) continue;
      const text = xVary === undefined ? '' : p.values[xVary.path]!;
      rows.push({
        anomaly: anomalyLabel(name),
        panel: labelFor(p, panelVaries),
        strategy: labels.get(p.point)!,
        x: axis === null ? labels.get(p.point)! : axis.kind === 'quantitative' ? axis.value(text) : text,
        rate: a.rate,
        low: a.rateInterval.low,
        high: a.rateInterval.high,
        violations: a.violations,
        keyReads: a.keyReads,
      });
    }
  }
  const continuous = axis !== null && axis.kind === 'quantitative';
  const layer = layers(result, axis);
  const panels = [...new Set(rows.map((r) => String(r.panel)))];
  const note = absentNote(result, anomalies);
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: xVary === undefined ? 'Violation rate per strategy' : `Violation rate vs. ${xVary.path}`,
      subtitle: [
        `share of key-reads that broke each guarantee (${seedsNote(result)}); ${continuous ? 'bands' : 'bars'}: 95% intervals (seeds as replications; one seed: batch means)`,
        ...(note === '' ? [] : [note]),
      ],
    },
    data: { values: rows },
    facet: {
      row: anomalyRowFacet(anomalies),
      ...(panels.length > 1 ? { column: { field: 'panel', type: 'nominal' as const, sort: panels, header: { title: null } } } : {}),
    },
    spec: { width: 380, height: 150, layer },
    resolve: { scale: { y: 'independent' } },
    config: CHART_CONFIG,
  } as ChartSpec;
}

export const violationRate: ChartBuilder = {
  name: 'violation-rate',
  caption:
    'Each row is one guarantee; lower is better, and a strategy at 0% removes that anomaly. Where two intervals overlap, these runs alone cannot tell the strategies apart: the paired differences table can, because it compares them seed by seed.',
  build: violationRateChart,
};
