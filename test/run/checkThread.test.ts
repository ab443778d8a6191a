// The check thread applies a run's held checks on another thread: after a drain, the counts and
// the marks are those of the same inputs applied one by one in this thread, whatever the batches'
// sizes and the two threads' timing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ConsistencyChecker } from '../../src/checks/consistencyChecker.js';
import { CountMarks } from '../../src/checks/countMarks.js';
import { checksOnThread } from '../../src/run/checkThread.js';
import { BATCH_CELLS, MARK_ROWS } from '../../src/run/checkThreadProtocol.js';
import { startSimulation } from '../../src/run/pipeline.js';
import { loadScenario } from '../../src/run/load.js';
import { assertHeldAgrees, stepsArb } from '../helpers/checkSteps.js';
import { shippedScenarios } from '../helpers/sim.js';

const onThread = (checker: ConsistencyChecker, marks: CountMarks) => {
  const held = checksOnThread(checker, marks);
  assert.ok(held !== null, 'the check thread is free');
  return held;
};

describe('the check thread', () => {
  it('after a drain, the counts and marks are those of the inputs applied one by one', () => {
    fc.assert(
      fc.property(stepsArb(MARK_ROWS, 200), (steps) => {
        assertHeldAgrees(steps, onThread, MARK_ROWS, false);
      }),
      { numRuns: 150, seed: 1919 },
    );
  });

  it('runs one after another on the same thread start afresh', () => {
    const first = new ConsistencyChecker();
    const held = onThread(first, new CountMarks(MARK_ROWS));
    held.recordWrite(0, 1, 5, null);
    held.read(0, 1, [1], [2], [null], [5], true);
    held.drain();
    held.close();
    assert.equal(first.counts.ryw.violations, 1);
    const second = new ConsistencyChecker();
    const next = onThread(second, new CountMarks(MARK_ROWS));
    next.read(0, 1, [1], [2], [null], [5], true);
    next.drain();
    next.close();
    assert.deepEqual([second.counts.ryw.violations, second.counts.ryw.eligible, second.counts.ryw.keyReads], [0, 0, 1], 'nothing of the first run carries over');
  });

  it('one thread serves one run at a time: a second run meanwhile checks in its own thread', () => {
    const held = onThread(new ConsistencyChecker(), new CountMarks(MARK_ROWS));
    assert.equal(checksOnThread(new ConsistencyChecker(), new CountMarks(MARK_ROWS)), null);
    held.close();
    const again = checksOnThread(new ConsistencyChecker(), new CountMarks(MARK_ROWS));
    assert.ok(again !== null);
    again.close();
    assert.equal(checksOnThread(new ConsistencyChecker(), new CountMarks(3)), null, 'marks of another size stay here');
  });

  it('a run in steps gives the thread back with its result, and an abandoned one when released', () => {
    const scenario = loadScenario(shippedScenarios().find((file) => file.endsWith('ghost-post.yaml'))!, ['duration=2s', 'warmup=1s']);
    const stepped = startSimulation(scenario, { heldChecks: checksOnThread });
    assert.equal(checksOnThread(new ConsistencyChecker(), new CountMarks(MARK_ROWS)), null, 'the stepped run holds the thread');
    for (let untilUs = 500_000; stepped.advance(untilUs); untilUs += 500_000);
    stepped.result();
    const next = checksOnThread(new ConsistencyChecker(), new CountMarks(MARK_ROWS));
    assert.ok(next !== null, 'given back with the result');
    next.close();
    const abandoned = startSimulation(scenario, { heldChecks: checksOnThread });
    abandoned.advance(500_000);
    abandoned.release();
    const after = checksOnThread(new ConsistencyChecker(), new CountMarks(MARK_ROWS));
    assert.ok(after !== null, 'given back when released');
    after.close();
  });

  it('entries larger than a batch (long causal pasts, reads of many keys) get larger buffers, and many batches keep their order', () => {
    const direct = new ConsistencyChecker();
    const checker = new ConsistencyChecker();
    const held = onThread(checker, new CountMarks(MARK_ROWS));
    // A past of BATCH_CELLS keys is twice a batch's cells.
    const past: number[] = [];
    for (let key = 0; key < BATCH_CELLS; key++) past.push(key, 3);
    // A read of BATCH_CELLS / 3 keys takes 4 cells a key (key, version, leader, no past): more than a batch.
    const keys = Array.from({ length: Math.ceil(BATCH_CELLS / 3) }, (_, i) => i);
    try {
      for (let round = 0; round < 2; round++) {
        direct.recordWrite(1, 7, 4 + round, past);
        held.recordWrite(1, 7, 4 + round, past);
        const versions = keys.map((key) => (key + round) % 5);
        const leaders = keys.map(() => 4);
        const pasts = keys.map(() => null);
        direct.checkRead(1, keys.length, keys, versions, pasts, leaders, true);
        held.read(1, keys.length, keys, versions, pasts, leaders, true);
        for (let i = 0; i < 20_000; i++) {
          direct.checkRead(2 + (i % 50), 1, [i % 300], [i % 4], [null], [3], true);
          held.read(2 + (i % 50), 1, [i % 300], [i % 4], [null], [3], true);
        }
      }
      held.drain();
    } finally {
      held.close();
    }
    assert.deepEqual(JSON.parse(JSON.stringify(checker.counts)), JSON.parse(JSON.stringify(direct.counts)));
    assert.ok(direct.counts.cp.violations > 0 && direct.counts.ryw.violations > 0, 'the inputs exercise the pasts and the writes');
  });
});
