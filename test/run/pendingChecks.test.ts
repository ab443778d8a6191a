// A run whose reads' flags nobody reads while it runs holds its checks for batches (CheckQueue, or
// the check thread); one with a caller watching its operations applies each check at once. All
// must report the same: every count, every interval (batch boundaries mark the counts), every
// time-series row.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { basename } from 'node:path';
import { checksOnThread } from '../../src/run/checkThread.js';
import { simulate, startSimulation, type SimulateOptions } from '../../src/run/pipeline.js';
import { dataFilesIn, loadScenario } from '../../src/run/load.js';
import { scenarioFromDocument } from '../../src/scenario/parse.js';
import type { Scenario } from '../../src/scenario/schema.js';
import { scenarioArb, withStrategy } from '../helpers/arbitraries.js';
import { REPO_ROOT, shippedScenarios } from '../helpers/sim.js';

const SAMPLED: SimulateOptions = { timeSeriesIntervalUs: 250_000 };
/** Watching operations makes the run apply each check when its read completes. */
const WATCHED: SimulateOptions = { ...SAMPLED, onOperation: () => {} };
/** The checks on the check thread. */
const THREADED: SimulateOptions = { ...SAMPLED, heldChecks: checksOnThread };

function assertSameRun(scenario: Scenario, what: string): void {
  const held = simulate(scenario, SAMPLED);
  const direct = simulate(scenario, WATCHED);
  assert.deepEqual(held.summary, direct.summary, what);
  assert.deepEqual(held.timeSeries!.rows, direct.timeSeries!.rows, what);
  assert.equal(held.checker.stateEntries, direct.checker.stateEntries, what);
  const threaded = simulate(scenario, THREADED);
  assert.deepEqual(threaded.summary, direct.summary, what);
  assert.deepEqual(threaded.timeSeries!.rows, direct.timeSeries!.rows, what);
  // Without samples, nothing reads the counts before the end: the boundaries' marks alone carry the intervals.
  assert.deepEqual(simulate(scenario, { heldChecks: checksOnThread }).summary, simulate(scenario, { onOperation: () => {} }).summary, what);
}

describe('checks held for batches', () => {
  for (const file of shippedScenarios()) {
    it(`${basename(file)}: the same summary and time series as checks applied at once`, () => {
      assertSameRun(loadScenario(file, ['duration=4s']), basename(file));
    });
  }

  it('random scenarios with faults and lagsim extensions, every strategy: the same summary', () => {
    const strategies = [{ name: 'none' }, { name: 'pin', window: '200ms' }, { name: 'fallback' }, { name: 'token', track: 'causal', mode: 'wait', poll: '20ms' }, { name: 'sticky' }];
    fc.assert(
      fc.property(scenarioArb({ apply: true, faults: true, extras: true }), fc.constantFrom(...strategies), (generated, strategy) => {
        const scenario = scenarioFromDocument(withStrategy(generated.raw, strategy), 'test', dataFilesIn(REPO_ROOT), []);
        assertSameRun(scenario, JSON.stringify(generated.raw));
      }),
      { numRuns: 30, seed: 1904 },
    );
  });

  it('a run in steps reads up-to-date partial counts', () => {
    const scenario = loadScenario(shippedScenarios().find((file) => file.endsWith('ghost-post.yaml'))!, ['duration=4s']);
    const stepped = startSimulation(scenario);
    const watched = startSimulation(scenario, { onOperation: () => {} });
    for (let untilUs = 400_000, more = true; more; untilUs += 400_000) {
      more = stepped.advance(untilUs);
      assert.equal(watched.advance(untilUs), more);
      assert.deepEqual(stepped.partial(), watched.partial());
    }
    assert.deepEqual(stepped.result().summary, watched.result().summary);
  });
});
