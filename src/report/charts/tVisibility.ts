/**
 * The t-visibility curve, as PBS (Bailis et al., "Probabilistically Bounded Staleness") draws it:
 * the probability that a read started t after the latest commit of its key returns that commit,
 * with its 95% Wilson band. It rises to 100% once t passes the replicas' lag.
 */
import {
  labelFor,
  otherVaries,
  seedsNote,
  strategyDashes,
  strategyLabels,
  strategyScale,
  type ChartBuilder,
  type ChartSpec,
  panelled,
} from './common.js';
import type { SweepResult } from '../sweepResult.js';

export function tVisibilityChart(result: SweepResult): ChartSpec | null {
  const labels = strategyLabels(result);
  const others = otherVaries(result);
  const rows: Record<string, string | number>[] = [];
  for (const p of result.points) {
    for (const bucket of p.tVisibility) {
      if (bucket.probability === null || bucket.interval === null) continue;
      rows.push({
        strategy: labels.get(p.point)!,
        panel: labelFor(p, others),
        tMs: bucket.fromMs,
        probability: bucket.probability,
        low: bucket.interval.low,
        high: bucket.interval.high,
        keyReads: bucket.keyReads,
      });
    }
  }
  if (rows.length === 0) return null;
  const panels = [...new Set(rows.map((r) => String(r.panel)))];
  const colour = {
    field: 'strategy',
    type: 'nominal' as const,
    title: 'strategy',
    scale: strategyScale(result),
    legend: { symbolOpacity: 1 },
  };
  const dash = { field: 'strategy', type: 'nominal' as const, title: 'strategy', scale: strategyDashes(result) };
  const x = {
    field: 'tMs',
    type: 'quantitative' as const,
    title: 't: time since the key’s latest commit when the read started (ms)',
    scale: { type: 'symlog' as const, constant: 1 },
    axis: { values: [0, 1, 10, 100, 1000, 10000, 60000], format: ',~f' },
  };
  const y = { type: 'quantitative' as const, title: 'P(read sees the commit)', axis: { format: '.0%' }, scale: { zero: false } };
  const spec = {
    width: 420,
    height: 220,
    layer: [
      {
        mark: { type: 'errorband' as const, opacity: 0.15, interpolate: 'step-after' as const, borders: false },
        encoding: { x, y: { ...y, field: 'low' }, y2: { field: 'high' }, color: colour },
      },
      {
        mark: { type: 'line' as const, interpolate: 'step-after' as const, point: true, strokeWidth: 2 },
        encoding: { x, y: { ...y, field: 'probability' }, color: colour, strokeDash: dash },
      },
    ],
  };
  const title = {
    text: 't-visibility: how soon a commit becomes visible',
    subtitle: `probability that a read started t after the latest commit of its key returns it (${seedsNote(result)}; bands: 95% Wilson)`,
  };
  return panelled(title, rows, spec, panels, 2);
}

export const tVisibility: ChartBuilder = {
  name: 't-visibility',
  caption:
    'Left is just after a write, right is long after. A curve at 100% everywhere means readers always see the latest write; the t where a curve reaches 100% is how long a write takes to show up everywhere.',
  build: tVisibilityChart,
};
