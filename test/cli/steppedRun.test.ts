// startSimulation (a run in steps, as the playground's worker takes it) simulates exactly what
// simulate does: same summary, same time series, whatever the steps.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { simulate, startSimulation } from '../../src/run/pipeline.js';
import { withStrategy } from '../../src/scenario/buildModel.js';
import { loadScenario } from '../../src/run/load.js';
import { SCENARIOS_DIR } from '../helpers/sim.js';

describe('a run in steps', () => {
  for (const [file, strategy] of [
    ['ghost-post.yaml', 'pin'],
    ['qa-shards.yaml', 'token'],
    ['counter-flip.yaml', 'sticky'],
  ] as const) {
    it(`${file} × ${strategy}: the summary and time series of simulate, for uneven steps`, () => {
      const scenario = withStrategy(loadScenario(join(SCENARIOS_DIR, file), ['duration=5s']), strategy);
      const whole = simulate(scenario, { timeSeriesIntervalUs: 500_000 });
      const stepped = startSimulation(scenario, { timeSeriesIntervalUs: 500_000 });
      const partials: number[] = [];
      let untilUs = 0;
      for (let step = 1; stepped.advance(untilUs); step++) {
        partials.push(stepped.partial().costs.reads);
        untilUs += step * 977_123; // growing, uneven steps
      }
      const result = stepped.result();
      assert.deepEqual(result.summary, whole.summary);
      assert.deepEqual(result.timeSeries!.rows, whole.timeSeries!.rows);
      // The partial counts grow to the final ones.
      assert.ok(partials.length > 3);
      for (let i = 1; i < partials.length; i++) assert.ok(partials[i]! >= partials[i - 1]!);
      assert.ok(partials.at(-1)! <= result.summary.costs.reads);
    });
  }
});
