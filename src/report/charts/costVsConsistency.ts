/**
 * The trade-off at a glance: for each strategy, its violation rate (x, with its 95% interval)
 * against what it costs — the leaders' share of reads (left) and the read p99 latency (right).
 * One row per session guarantee that can occur; the best place is the bottom left.
 */
import type { Anomaly } from '../../checks/anomalies.js';
import {
  anomalyLabel,
  CHART_CONFIG,
  labelFor,
  otherVaries,
  seedsNote,
  shownAnomalies,
  strategyLabels,
  strategyScale,
  VEGA_LITE_SCHEMA,
  type ChartBuilder,
  type ChartSpec,
} from './common.js';
import type { SweepResult } from '../sweepResult.js';

const GUARANTEES: readonly Anomaly[] = ['ryw', 'mr', 'cp'];

export function costVsConsistencyChart(result: SweepResult): ChartSpec | null {
  let anomalies = shownAnomalies(result, GUARANTEES);
  if (anomalies.length === 0) anomalies = shownAnomalies(result, ['stale']);
  if (anomalies.length === 0) return null;
  const labels = strategyLabels(result);
  const others = otherVaries(result);
  const rows: Record<string, string | number | null>[] = [];
  for (const p of result.points) {
    for (const name of anomalies) {
      const a = p.anomalies[name];
      if (a.rate === null || a.rateInterval === null) continue;
      rows.push({
        anomaly: anomalyLabel(name),
        strategy: labels.get(p.point)!,
        configuration: labelFor(p, others) || 'as in the scenario',
        rate: a.rate,
        low: a.rateInterval.low,
        high: a.rateInterval.high,
        leaderShare: p.costs.leaderShare,
        readP99Ms: p.costs.readLatencyMs.p99,
      });
    }
  }
  const manyConfigs = new Set(rows.map((r) => r.configuration)).size > 1;
  const colour = { field: 'strategy', type: 'nominal' as const, title: 'strategy', scale: strategyScale(result) };
  const shape = manyConfigs ? { shape: { field: 'configuration', type: 'nominal' as const, title: 'configuration' } } : {};
  const x = { field: 'rate', type: 'quantitative' as const, title: 'violations per key-read', axis: { format: '.2~%' } };
  const panel = (field: 'leaderShare' | 'readP99Ms', title: string, format: string) => ({
    facet: {
      row: {
        field: 'anomaly',
        type: 'nominal' as const,
        sort: anomalies.map(anomalyLabel),
        header: { title: null, labelAngle: 0, labelOrient: 'top' as const, labelAnchor: 'start' as const, labelFontWeight: 'bold' as const },
      },
    },
    spec: {
      width: 300,
      height: 170,
      layer: [
        {
          mark: { type: 'rule' as const, strokeWidth: 1.5, opacity: 0.6 },
          encoding: { x: { ...x, field: 'low' }, x2: { field: 'high' }, y: { field, type: 'quantitative' as const, title, axis: { format } }, color: colour },
        },
        {
          mark: { type: 'point' as const, filled: true, size: 90, opacity: 0.9 },
          encoding: { x, y: { field, type: 'quantitative' as const, title, axis: { format } }, color: colour, ...shape },
        },
        ...(manyConfigs
          ? []
          : [
              {
                mark: { type: 'text' as const, align: 'left' as const, dx: 7, dy: -7, fontSize: 11 },
                encoding: { x, y: { field, type: 'quantitative' as const }, text: { field: 'strategy' }, color: colour },
              },
            ]),
      ],
    },
    resolve: { scale: { x: 'independent' as const, y: 'independent' as const } },
  });
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: 'Cost vs. consistency',
      subtitle: `each point is a strategy (${seedsNote(result)}): further left = fewer violations, lower = cheaper; bars: 95% Wilson intervals`,
    },
    data: { values: rows },
    hconcat: [panel('leaderShare', "leaders' share of key-reads", '.0~%'), panel('readP99Ms', 'read latency p99 (ms)', ',.1~f')],
    config: CHART_CONFIG,
  } as ChartSpec;
}

export const costVsConsistency: ChartBuilder = {
  name: 'cost-vs-consistency',
  caption:
    'Bottom left is best: few violations at little cost. A strategy far to the right hides nothing; one near the top pays for its consistency with leader load (left) or latency (right).',
  build: costVsConsistencyChart,
};
