/**
 * Replica lag over simulated time (semantics.md section 1): for each replica, the highest lag
 * reached in each time step, for one seed of each configuration. Flat lines are steady lag levels;
 * a line that climbs without coming back down is a replica that cannot keep up with the writes.
 */
import { CHART_CONFIG, VEGA_LITE_SCHEMA, type ChartBuilder, type ChartSpec } from './common.js';
import type { SweepResult } from '../sweepResult.js';
import { formatDuration } from '../../model/duration.js';

export function replicaLagChart(result: SweepResult): ChartSpec | null {
  const panels = result.lag.filter((panel) => panel.series.nodes.length > 0);
  if (panels.length === 0) return null;
  const rows: Record<string, string | number>[] = [];
  const titles: string[] = [];
  for (const panel of panels) {
    const title = `${panel.config === '' ? '' : `${panel.config} · `}${panel.strategy} · seed ${panel.seed}`;
    titles.push(title);
    const { stepMs, warmupMs } = panel.series;
    if (warmupMs > 0) rows.push({ panel: title, kind: 'warmup', timeS: warmupMs / 1000 });
    for (const node of panel.series.nodes) {
      node.peakMs.forEach((peak, k) => rows.push({ panel: title, kind: 'lag', node: node.node, timeS: (k * stepMs) / 1000, peakMs: peak }));
    }
  }
  const stepMs = panels[0]!.series.stepMs;
  const configs = new Set(result.points.map((p) => p.configIndex)).size;
  const omitted = configs > panels.length ? `; the first ${panels.length} of ${configs} configurations` : '';
  const lagLayer = {
    transform: [{ filter: "datum.kind === 'lag'" }],
    mark: { type: 'line' as const, strokeWidth: 1.2, interpolate: 'step-before' as const },
    encoding: {
      x: { field: 'timeS', type: 'quantitative' as const, title: 'simulated time (s)' },
      y: { field: 'peakMs', type: 'quantitative' as const, title: 'replica lag (ms)', axis: { format: ',~f' } },
      color: { field: 'node', type: 'nominal' as const, title: 'replica' },
    },
  };
  // The warm-up marker only where there is a warm-up: a layer with no rows has an infinite extent,
  // which vega refuses.
  const warmupLayers = [
    {
      transform: [{ filter: "datum.kind === 'warmup'" }],
      mark: { type: 'rule' as const, strokeDash: [4, 4], color: '#444' },
      encoding: { x: { field: 'timeS', type: 'quantitative' as const } },
    },
    {
      transform: [{ filter: "datum.kind === 'warmup'" }],
      mark: { type: 'text' as const, align: 'left' as const, baseline: 'top' as const, dx: 4, y: 2, fontSize: 10, color: '#444' },
      encoding: { x: { field: 'timeS', type: 'quantitative' as const }, text: { value: 'warm-up ends' } },
    },
  ];
  const hasWarmup = panels.some((panel) => panel.series.warmupMs > 0);
  const spec = { width: 720, height: 160, layer: hasWarmup ? [lagLayer, ...warmupLayers] : [lagLayer] };
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: 'Replica lag over simulated time',
      subtitle: `highest lag in each ${formatDuration(stepMs * 1000)} step: time since the oldest write the replica has not applied yet${omitted}`,
    },
    data: { values: rows },
    facet: { row: { field: 'panel', type: 'nominal', sort: titles, header: { title: null, labelAngle: 0, labelOrient: 'top', labelAnchor: 'start', labelFontWeight: 'bold' } } },
    spec,
    resolve: { scale: { y: 'independent' } },
    config: CHART_CONFIG,
  } as ChartSpec;
}

export const replicaLag: ChartBuilder = {
  name: 'replica-lag',
  caption:
    'Lag as a balancer would see it. Steps are lag levels held for a while (lagHold); a saw-tooth that keeps rising means the replica applies writes more slowly than they arrive.',
  build: replicaLagChart,
};
