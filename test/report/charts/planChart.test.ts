// The plan chart (lagsim plan's feasible region): one cell per configuration of the searched space,
// placed by its values, coloured by the SLOs it misses (green when none), the cheapest feasible
// configuration marked. Every expectation is recomputed from the points given, not copied from a spec.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseSlos } from '../../../src/run/plan/slo.js';
import { planChart, type PlanPoint } from '../../../src/report/charts/planChart.js';
import { compileChart } from '../../../src/report/render.js';

const COUNT = 'cluster.replicas.0.count';
const WINDOW = 'strategy.window';
const SLOS = parseSlos('ryw<0.01,leaderUtil<0.5');

/** What each configuration measured: a wider pin window hides more lag and loads the leader more. */
const MEASURED: Record<string, { ryw: number; leaderUtil: number }> = {
  '100ms': { ryw: 0.2, leaderUtil: 0.1 },
  '300ms': { ryw: 0, leaderUtil: 0.3 },
  '2s': { ryw: 0, leaderUtil: 0.8 },
};

/** The searched space in grid order, each point judged against SLOS as lagsim plan does; the cheapest feasible marked. */
function points(): PlanPoint[] {
  const judged = ['1', '2'].flatMap((count) =>
    Object.entries(MEASURED).map(([window, measured]) => {
      const missed = SLOS.filter((slo) => !(measured[slo.metric as keyof typeof measured] < slo.limit)).map((slo) => slo.text);
      return {
        values: { [COUNT]: count, [WINDOW]: window },
        feasible: missed.length === 0,
        nodes: 1 + Number(count),
        leaderUtil: measured.leaderUtil,
        violated: missed.join(', ') || 'none',
        cheapest: false,
      };
    }),
  );
  const cheapest = judged.filter((point) => point.feasible).sort((a, b) => a.nodes - b.nodes || a.leaderUtil - b.leaderUtil)[0];
  return judged.map((point) => ({ ...point, cheapest: point === cheapest }));
}

type Row = { x: string; y: string; verdict: string; nodes: number; leaderUtil: number; violated: string; mark: string };
interface Field {
  field: string;
  type: string;
  title?: string | null;
}
interface Layer {
  mark: { type: string };
  transform?: { filter: string }[];
  encoding: {
    x: Field;
    y: Field;
    color?: Field & { scale: { domain: string[]; range: string[] } };
    tooltip?: Field[];
    text?: Field;
  };
}
interface PlanSpec {
  title: { text: string };
  data: { values: Row[] };
  layer: [Layer, Layer];
  /** The cells' encoding (the first layer's). */
  encoding: Layer['encoding'];
}
const parts = (spec: unknown): PlanSpec => {
  const plan = spec as PlanSpec;
  return { ...plan, encoding: plan.layer[0].encoding };
};

describe('planChart', () => {
  it('draws one cell per configuration at its values, coloured by whether it meets every SLO', () => {
    const input = points();
    const spec = parts(planChart(input, [WINDOW, COUNT], 'plan-by-hand'));
    assert.equal(spec.title.text, 'plan-by-hand: where the SLOs hold');
    assert.deepEqual(
      spec.data.values,
      input.map((point) => ({
        x: point.values[WINDOW],
        y: point.values[COUNT],
        verdict: point.feasible ? 'meets every SLO' : `misses ${point.violated}`,
        nodes: point.nodes,
        leaderUtil: point.leaderUtil,
        violated: point.violated,
        mark: point.cheapest ? '★ cheapest' : '',
      })),
    );
    // Only the 300 ms window meets both SLOs: 100 ms misses ryw, 2 s loads the leader past 50%.
    const feasible = spec.data.values.filter((row) => row.verdict === 'meets every SLO').map((row) => `${row.x}/${row.y}`);
    assert.deepEqual(feasible, ['300ms/1', '300ms/2']);
    assert.deepEqual([...new Set(spec.data.values.map((row) => row.violated))], ['ryw<0.01', 'none', 'leaderUtil<0.5']);
    assert.deepEqual(compileChart(planChart(input, [WINDOW, COUNT], 'plan-by-hand')).warnings, []);
  });

  it('puts the first varied path across and the others down, in the order given', () => {
    const spec = parts(planChart(points(), [COUNT, WINDOW], 's'));
    assert.deepEqual([spec.encoding.x.field, spec.encoding.x.title], ['x', COUNT]);
    assert.deepEqual([spec.encoding.y.field, spec.encoding.y.title], ['y', WINDOW]);
    assert.deepEqual(
      spec.data.values.map((row) => [row.x, row.y]),
      points().map((point) => [point.values[COUNT], point.values[WINDOW]]),
    );
  });

  it('colours each cell by the SLOs it misses, one colour each, green for none', () => {
    const spec = parts(planChart(points(), [WINDOW, COUNT], 's'));
    assert.equal(spec.encoding.color!.field, 'verdict');
    assert.deepEqual(spec.encoding.color!.scale.domain, ['meets every SLO', 'misses leaderUtil<0.5', 'misses ryw<0.01']);
    assert.equal(spec.encoding.color!.scale.range[0], '#009e73');
    assert.equal(new Set(spec.encoding.color!.scale.range).size, 3);
    const tooltip = Object.fromEntries(spec.encoding.tooltip!.map((field) => [field.field, field.title ?? field.field]));
    assert.equal(tooltip['leaderUtil'], 'leader utilisation');
    assert.ok('nodes' in tooltip && 'verdict' in tooltip);
  });

  it('marks the cheapest configuration that meets every SLO, and only it', () => {
    const spec = parts(planChart(points(), [WINDOW, COUNT], 's'));
    // 300 ms meets both SLOs with 1 or 2 replicas; 1 replica (2 nodes) is cheaper.
    assert.deepEqual(spec.data.values.filter((row) => row.mark !== '').map((row) => [row.x, row.y, row.mark]), [['300ms', '1', '★ cheapest']]);
    assert.equal(spec.layer[1].encoding.text!.field, 'mark');
    assert.deepEqual(spec.layer[1].transform, [{ filter: "datum.mark !== ''" }]);
    const none = points().map((point) => ({ ...point, feasible: false, cheapest: false }));
    assert.equal(parts(planChart(none, [WINDOW, COUNT], 's')).data.values.filter((row) => row.mark !== '').length, 0);
  });

  it('with one varied path, plots it against cost (nodes)', () => {
    const input = points().filter((point) => point.values[COUNT] === '1');
    const single = input.map((point) => ({ ...point, values: { [WINDOW]: point.values[WINDOW]! } }));
    const spec = parts(planChart(single, [WINDOW], 's'));
    assert.equal(spec.encoding.y.title, 'nodes (cost)');
    assert.deepEqual(
      spec.data.values.map((row) => [row.x, row.y]),
      single.map((point) => [point.values[WINDOW], String(point.nodes)]),
    );
  });

  it('with three varied paths, folds the second and third into the vertical axis', () => {
    const input: PlanPoint[] = points().map((point, i) => ({ ...point, values: { ...point.values, seed: String(i % 2) } }));
    const spec = parts(planChart(input, [WINDOW, COUNT, 'seed'], 's'));
    assert.equal(spec.encoding.y.title, `${COUNT} × seed`);
    assert.deepEqual(
      spec.data.values.map((row) => row.y),
      input.map((point) => `${point.values[COUNT]} × ${point.values['seed']}`),
    );
  });
});
