import { VEGA_LITE_SCHEMA, type ChartSpec } from './common.js';

export interface PlanPoint {
  /** The value of each varied path, as written. */
  values: Record<string, string>;
  feasible: boolean;
  nodes: number;
  leaderUtil: number;
  violated: string;
}

/**
 * The feasible region: every configuration of the searched space, coloured by whether it meets
 * every SLO. Two varied paths make a grid; one makes a row against cost; more are folded into the
 * second axis.
 */
export function planChart(points: readonly PlanPoint[], paths: readonly string[], scenario: string): ChartSpec {
  const [xPath, ...rest] = paths;
  const yTitle = rest.length === 0 ? 'nodes (cost)' : rest.join(' × ');
  const values = points.map((point) => ({
    x: point.values[xPath!] ?? '',
    y: rest.length === 0 ? String(point.nodes) : rest.map((path) => point.values[path]).join(' × '),
    verdict: point.feasible ? 'meets every SLO' : 'misses an SLO',
    nodes: point.nodes,
    leaderUtil: point.leaderUtil,
    violated: point.violated,
  }));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: `${scenario}: where the SLOs hold`, subtitle: 'each cell is one configuration of the searched space' },
    data: { values },
    mark: { type: 'rect', stroke: 'white', strokeWidth: 2 },
    width: { step: 70 },
    height: { step: 36 },
    encoding: {
      x: { field: 'x', type: 'ordinal', title: xPath, sort: null },
      y: { field: 'y', type: 'ordinal', title: yTitle, sort: null },
      color: {
        field: 'verdict',
        type: 'nominal',
        title: null,
        scale: { domain: ['meets every SLO', 'misses an SLO'], range: ['#009e73', '#d9d9d9'] },
      },
      tooltip: [
        { field: 'verdict', type: 'nominal' },
        { field: 'nodes', type: 'quantitative' },
        { field: 'leaderUtil', type: 'quantitative', format: '.1%', title: 'leader utilisation' },
        { field: 'violated', type: 'nominal', title: 'SLOs missed' },
      ],
    },
  } as ChartSpec;
}
