import { VEGA_LITE_SCHEMA, type ChartSpec } from './common.js';

export interface PlanPoint {
  /** The value of each varied path, as written. */
  values: Record<string, string>;
  feasible: boolean;
  nodes: number;
  leaderUtil: number;
  /** The SLOs missed, as the user wrote them, joined by ", "; "none" when feasible. */
  violated: string;
  /** The cheapest configuration that meets every SLO (at most one point). */
  cheapest: boolean;
}

/** Okabe–Ito colours for the ways to miss, after green for "meets every SLO". */
const MISS_COLOURS = ['#e69f00', '#cc79a7', '#56b4e9', '#d55e00', '#f0e442', '#999999', '#000000'];

/**
 * The feasible region: every configuration of the searched space, coloured by which SLOs it
 * misses (green when none), the cheapest feasible one marked. Two varied paths make a grid; one makes a row against cost; more are folded into the
 * second axis.
 */
export function planChart(points: readonly PlanPoint[], paths: readonly string[], scenario: string): ChartSpec {
  const [xPath, ...rest] = paths;
  const yTitle = rest.length === 0 ? 'nodes (cost)' : rest.join(' × ');
  const verdictOf = (point: PlanPoint): string => (point.feasible ? 'meets every SLO' : `misses ${point.violated}`);
  const misses = [...new Set(points.filter((point) => !point.feasible).map(verdictOf))].sort();
  const values = points.map((point) => ({
    x: point.values[xPath!] ?? '',
    y: rest.length === 0 ? String(point.nodes) : rest.map((path) => point.values[path]).join(' × '),
    verdict: verdictOf(point),
    nodes: point.nodes,
    leaderUtil: point.leaderUtil,
    violated: point.violated,
    mark: point.cheapest ? '★ cheapest' : '',
  }));
  const encoding = {
    x: { field: 'x', type: 'ordinal', title: xPath, sort: null, axis: { labelAngle: 0 } },
    y: { field: 'y', type: 'ordinal', title: yTitle, sort: null },
  };
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: `${scenario}: where the SLOs hold`,
      subtitle: 'each cell is one configuration, coloured by the SLOs it misses; ★ marks the cheapest that meets every SLO',
    },
    data: { values },
    width: { step: 90 },
    height: { step: 40 },
    layer: [
      {
        mark: { type: 'rect', stroke: 'white', strokeWidth: 2 },
        encoding: {
          ...encoding,
          color: {
            field: 'verdict',
            type: 'nominal',
            title: null,
            legend: { labelLimit: 0 },
            scale: { domain: ['meets every SLO', ...misses], range: ['#009e73', ...misses.map((_, i) => MISS_COLOURS[i % MISS_COLOURS.length]!)] },
          },
          tooltip: [
            { field: 'verdict', type: 'nominal' },
            { field: 'nodes', type: 'quantitative' },
            { field: 'leaderUtil', type: 'quantitative', format: '.1%', title: 'leader utilisation' },
          ],
        },
      },
      {
        transform: [{ filter: "datum.mark !== ''" }],
        mark: { type: 'text', fontSize: 11, fontWeight: 'bold', color: 'white' },
        encoding: { ...encoding, text: { field: 'mark', type: 'nominal' } },
      },
    ],
  } as ChartSpec;
}
