/**
 * The trade-off at a glance: for each strategy, its violation rate (x, with its 95% interval)
 * against what it costs — the leaders' share of reads (left column) and the read p99 latency
 * (right column). One row per session guarantee that occurred; the best place is the bottom left.
 */
import { ANOMALIES, GUARANTEES, type Anomaly } from '../../checks/anomalies.js';
import {
  absentNote,
  anomalyLabel,
  CHART_CONFIG,
  labelFor,
  otherVaries,
  RATE_FORMAT,
  seedsNote,
  shownAnomalies,
  strategyLabels,
  strategyScale,
  VEGA_LITE_SCHEMA,
  type ChartBuilder,
  type ChartSpec,
  anomalyRowFacet,
} from './common.js';
import type { SweepResult } from '../sweepResult.js';

const LEADER = "leaders' share of key-reads (%)";
const P99 = 'read latency p99 (ms)';

/** Rounded so that points drawn on the same spot share one label. */
const spot = (x: number, y: number): string => `${x.toPrecision(4)}|${y.toPrecision(4)}`;

type Row = Record<string, string | number>;
type Point = SweepResult['points'][number];
const COSTS = [
  [LEADER, (p: Point) => (p.costs.leaderShare === null ? null : p.costs.leaderShare * 100)],
  [P99, (p: Point) => p.costs.readLatencyMs.p99],
] as const;

/** One row per anomaly × cost × point with a rate and an interval; strategies on one spot share one label. */
function chartRows(result: SweepResult, anomalies: readonly Anomaly[]): Row[] {
  const labels = strategyLabels(result);
  const others = otherVaries(result);
  const rows: Row[] = [];
  for (const name of anomalies) {
    for (const [cost, pick] of COSTS) {
      const labelAt = new Map<string, Row>();
      for (const p of result.points) {
        const a = p.anomalies[name];
        const value = pick(p);
        if (a.rate === null || a.rateInterval === null || value === null) continue;
        const row: Row = {
          anomaly: anomalyLabel(name),
          cost,
          strategy: labels.get(p.point)!,
          configuration: labelFor(p, others) || 'as in the scenario',
          rate: a.rate,
          low: a.rateInterval.low,
          high: a.rateInterval.high,
          value,
          label: '',
        };
        const here = labelAt.get(spot(a.rate, value));
        if (here === undefined) {
          row['label'] = row['strategy']!;
          labelAt.set(spot(a.rate, value), row);
        } else if (!String(here['label']).split(', ').includes(String(row['strategy']))) {
          here['label'] = `${here['label']}, ${row['strategy']}`;
        }
        rows.push(row);
      }
    }
  }
  return rows;
}

/** Interval bars, points (shaped by configuration when there are several) and, with one configuration, labels. */
function layers(result: SweepResult, rows: readonly Row[]): object[] {
  const manyConfigs = new Set(rows.map((r) => r['configuration'])).size > 1;
  const colour = { field: 'strategy', type: 'nominal' as const, title: 'strategy', scale: strategyScale(result) };
  const x = { field: 'rate', type: 'quantitative' as const, title: 'violations per key-read', axis: { format: RATE_FORMAT } };
  const y = { field: 'value', type: 'quantitative' as const, title: null, axis: { format: ',.1~f' } };
  return [
    {
      mark: { type: 'rule', strokeWidth: 1.5, opacity: 0.6 },
      encoding: { x: { ...x, field: 'low' }, x2: { field: 'high' }, y, color: colour },
    },
    {
      mark: { type: 'point', filled: true, size: 90, opacity: 0.9 },
      encoding: {
        x,
        y,
        color: colour,
        ...(manyConfigs ? { shape: { field: 'configuration', type: 'nominal', title: 'configuration', sort: [...new Set(rows.map((r) => r['configuration']))] } } : {}),
      },
    },
    ...(manyConfigs
      ? []
      : [
          {
            transform: [{ filter: "datum.label !== ''" }],
            mark: { type: 'text', align: 'left', dx: 7, dy: -8, fontSize: 11, color: '#333' },
            encoding: { x, y, text: { field: 'label' } },
          },
        ]),
  ];
}

export function costVsConsistencyChart(result: SweepResult): ChartSpec | null {
  // The guarantees; where none shows, the stale reads they are about.
  let names = GUARANTEES;
  let anomalies = shownAnomalies(result, names);
  if (anomalies.length === 0) {
    names = ANOMALIES.filter((name) => !GUARANTEES.includes(name));
    anomalies = shownAnomalies(result, names);
  }
  if (anomalies.length === 0) return null;
  const rows = chartRows(result, anomalies);
  const note = absentNote(result, anomalies, names);
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: 'Cost vs. consistency',
      subtitle: [
        `each point is a strategy (${seedsNote(result)}): further left = fewer violations, lower = cheaper; bars: 95% Wilson intervals`,
        ...(note === '' ? [] : [note]),
      ],
    },
    data: { values: rows },
    facet: {
      row: anomalyRowFacet(anomalies),
      column: { field: 'cost', type: 'nominal', sort: [LEADER, P99], header: { title: null, labelFontWeight: 'bold' } },
    },
    spec: { width: 320, height: 180, layer: layers(result, rows) },
    resolve: { scale: { x: 'independent', y: 'independent' } },
    config: CHART_CONFIG,
  } as ChartSpec;
}

export const costVsConsistency: ChartBuilder = {
  name: 'cost-vs-consistency',
  caption:
    'Bottom left is best: few violations at little cost. A strategy at the right hides nothing; one near the top pays for its consistency with leader load (left) or latency (right).',
  build: costVsConsistencyChart,
};
