// A check thread that cannot start never fails a run (src/run/checkThread.ts): the run applies the
// batches it wrote in its own thread and goes on there, with the same summary and history file, and
// the process warns once and checks in its own thread from then on.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConsistencyChecker } from '../../src/checks/consistencyChecker.js';
import { CountMarks } from '../../src/checks/countMarks.js';
import { checksOnThread, historyOnThread, useCheckThreadScript } from '../../src/run/checkThread.js';
import { MARK_ROWS } from '../../src/run/checkThreadProtocol.js';
import { loadScenario } from '../../src/run/load.js';
import { simulate } from '../../src/run/pipeline.js';
import { REPO_ROOT, tempDir } from '../helpers/sim.js';

/** The warnings the process emits while `body` runs (they are emitted on a later tick). */
async function warningsOf(body: () => void): Promise<string[]> {
  const seen: string[] = [];
  const listen = (warning: Error): void => void seen.push(warning.message);
  process.on('warning', listen);
  try {
    body();
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', listen);
  }
  return seen;
}

const BROKEN_SCRIPTS: [string, string | null][] = [
  ['its script throws as it loads (a stale build)', "throw new Error('a stale build');\n"],
  ['its script ends the thread as it loads', 'process.exit(3);\n'],
  ['its script is missing', null],
];

describe('a check thread that does not start', () => {
  for (const [what, source] of BROKEN_SCRIPTS) {
    it(`${what}: the run checks in its own thread, with the same summary and history, and the process warns once`, async () => {
      const { dir, cleanup } = tempDir();
      try {
        const script = join(dir, 'worker.mjs');
        if (source !== null) writeFileSync(script, source);
        const model = join(REPO_ROOT, 'bench', 'simpy-equivalent.yaml');
        // 1 s: the run ends before its batches fill the slots (taken over at the end); 5 s: the
        // slots fill first, and the run takes them over while it waits for a free one.
        for (const duration of ['1s', '5s']) {
          const scenario = loadScenario(model, [`duration=${duration}`]);
          const here = join(dir, `here-${duration}.jsonl`);
          const there = join(dir, `there-${duration}.jsonl`);
          const direct = simulate(scenario, { historyPath: here });
          useCheckThreadScript(pathToFileURL(script));
          const warnings = await warningsOf(() => {
            const checked = simulate(scenario, { heldChecks: checksOnThread });
            assert.deepEqual(checked.summary, direct.summary, `${duration}: checks only`);
            // The process does not try again: the next run checks in its own thread from the start.
            const written = simulate(scenario, { historyPath: there, heldHistory: historyOnThread });
            assert.deepEqual(written.summary, direct.summary, `${duration}: with a history`);
          });
          assert.ok(readFileSync(there).equals(readFileSync(here)), `${duration}: the history files differ`);
          assert.equal(warnings.length, 1, warnings.join('\n'));
          assert.match(warnings[0]!, /^the check thread did not start \(its script did not load: |^the check thread did not start \(it exited with code 3\)/);
          assert.match(warnings[0]!, /: runs check in their own thread, with the same results, more slowly$/);

          useCheckThreadScript(pathToFileURL(script));
          const writtenFirst = await warningsOf(() => {
            const written = simulate(scenario, { historyPath: there, heldHistory: historyOnThread });
            assert.deepEqual(written.summary, direct.summary, `${duration}: a history taken over`);
          });
          assert.ok(readFileSync(there).equals(readFileSync(here)), `${duration}: the history file taken over differs`);
          assert.equal(writtenFirst.length, 1);
        }
      } finally {
        useCheckThreadScript(undefined);
        cleanup();
      }
      const held = checksOnThread(new ConsistencyChecker(), new CountMarks(MARK_ROWS));
      assert.ok(held !== null, 'the real thread serves again');
      held.read(0, 1, [1], [2], [null], [5], true);
      held.drain();
      held.close();
    });
  }
});
