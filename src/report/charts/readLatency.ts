/**
 * The read-latency distribution of each strategy, as percentiles (p50 … p99.9, max): the way
 * HdrHistogram draws latency, where a strategy that sends reads across regions lifts the whole
 * upper part of the curve. Percentiles are the mean over seeds of each run's percentile.
 */
import {
  labelFor,
  otherVaries,
  seedsNote,
  strategyLabels,
  strategyScale,
  type ChartBuilder,
  type ChartSpec,
  panelled,
} from './common.js';
import type { SweepResult } from '../sweepResult.js';

const PERCENTILES = [
  { key: 'p50', label: 'p50' },
  { key: 'p90', label: 'p90' },
  { key: 'p99', label: 'p99' },
  { key: 'p999', label: 'p99.9' },
  { key: 'max', label: 'max' },
] as const;

export function readLatencyChart(result: SweepResult): ChartSpec | null {
  const labels = strategyLabels(result);
  const others = otherVaries(result);
  const rows: Record<string, string | number>[] = [];
  for (const p of result.points) {
    if (p.costs.reads === 0) continue;
    for (const { key, label } of PERCENTILES) {
      rows.push({ strategy: labels.get(p.point)!, panel: labelFor(p, others), percentile: label, ms: p.costs.readLatencyMs[key] });
    }
  }
  if (rows.length === 0) return null;
  const panels = [...new Set(rows.map((r) => String(r.panel)))];
  const maxMs = Math.max(...rows.map((r) => Number(r.ms)));
  const colour = { field: 'strategy', type: 'nominal' as const, title: 'strategy', scale: strategyScale(result) };
  // Strategies side by side within each percentile, so equal latencies do not hide each other.
  const spec = {
    width: 360,
    height: 200,
    mark: { type: 'point' as const, filled: true, size: 60, opacity: 0.95 },
    encoding: {
      x: { field: 'percentile', type: 'ordinal' as const, title: 'percentile of reads', sort: PERCENTILES.map((p) => p.label), axis: { labelAngle: 0 }, scale: { paddingInner: 0.25 } },
      xOffset: { field: 'strategy', type: 'nominal' as const, sort: strategyScale(result).domain },
      // A domain of at least [0, 1] ms: all-zero latencies (no service times) get an axis, not a lone "0".
      y: { field: 'ms', type: 'quantitative' as const, title: 'read latency (ms)', axis: { format: ',.1~f' }, ...(maxMs < 1 ? { scale: { domain: [0, 1] } } : {}) },
      color: colour,
    },
  };
  const title = {
    text: 'Read latency by percentile',
    subtitle: `the latency that this share of reads stays under (${seedsNote(result, 'averaged')}); higher is slower`,
  };
  return panelled(title, rows, spec, panels, 3);
}

export const readLatency: ChartBuilder = {
  name: 'read-latency',
  caption:
    'Read each curve from left to right: the typical read (p50), then the slow tail. Strategies that send reads to a distant leader or make them wait raise the right-hand side.',
  build: readLatencyChart,
};
