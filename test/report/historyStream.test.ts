// A run's history written on the check thread (src/report/historyStream.ts): the same file, byte
// for byte, as the history written as the run goes, and the same summary; a run that fails leaves
// no file behind.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { historyOnThread } from '../../src/run/checkThread.js';
import { simulate } from '../../src/run/pipeline.js';
import { dataFilesIn, loadScenario } from '../../src/run/load.js';
import { scenarioFromDocument } from '../../src/scenario/parse.js';
import type { Scenario } from '../../src/scenario/schema.js';
import { scenarioArb, withStrategy } from '../helpers/arbitraries.js';
import { REPO_ROOT, shippedScenarios, tempDir } from '../helpers/sim.js';

function assertSameHistory(scenario: Scenario, dir: string, what: string): void {
  const here = join(dir, 'here.jsonl');
  const there = join(dir, 'there.jsonl');
  const direct = simulate(scenario, { historyPath: here });
  const threaded = simulate(scenario, { historyPath: there, heldHistory: historyOnThread });
  assert.deepEqual(threaded.summary, direct.summary, what);
  assert.ok(readFileSync(there).equals(readFileSync(here)), `${what}: the history files differ`);
}

describe('the history written on the check thread', () => {
  it('every shipped scenario and the benchmark model: the same history file and summary', () => {
    const { dir, cleanup } = tempDir();
    try {
      for (const file of [...shippedScenarios(), join(REPO_ROOT, 'bench', 'simpy-equivalent.yaml')]) {
        assertSameHistory(loadScenario(file, ['duration=3s', 'warmup=1s']), dir, basename(file));
      }
    } finally {
      cleanup();
    }
  });

  it('random scenarios with faults (failovers), topics and lagsim extensions, every strategy: the same history file', () => {
    const { dir, cleanup } = tempDir();
    const strategies = [{ name: 'none' }, { name: 'pin', window: '200ms' }, { name: 'fallback' }, { name: 'token', track: 'causal', mode: 'wait', poll: '20ms' }, { name: 'sticky' }];
    try {
      fc.assert(
        fc.property(scenarioArb({ apply: true, faults: true, extras: true }), fc.constantFrom(...strategies), (generated, strategy) => {
          const scenario = scenarioFromDocument(withStrategy(generated.raw, strategy), 'test', dataFilesIn(REPO_ROOT), []);
          assertSameHistory(scenario, dir, JSON.stringify(generated.raw));
        }),
        { numRuns: 30, seed: 2019 },
      );
    } finally {
      cleanup();
    }
  });

  it('a run that fails midway leaves neither the file nor a temporary one, and the thread serves the next run', () => {
    const { dir, cleanup } = tempDir();
    try {
      const scenario = loadScenario(shippedScenarios().find((file) => file.endsWith('ghost-post.yaml'))!, ['duration=3s', 'warmup=1s']);
      const path = join(dir, 'failed.jsonl');
      let calls = 0;
      assert.throws(
        () =>
          simulate(scenario, {
            historyPath: path,
            heldHistory: historyOnThread,
            onProgress: () => {
              if (++calls === 50) throw new Error('stopped halfway');
            },
          }),
        /stopped halfway/,
      );
      assert.equal(existsSync(path), false);
      assert.deepEqual(readdirSync(dir), []);
      assertSameHistory(scenario, dir, 'the run after');
    } finally {
      cleanup();
    }
  });
});
