// CheckQueue applies a ConsistencyChecker's inputs later, in batches: after a drain, the checker
// must be exactly where the same inputs applied one by one leave it — counts, state, and the flags
// of whatever comes next.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CheckQueue } from '../../src/checks/checkQueue.js';
import { ConsistencyChecker } from '../../src/checks/consistencyChecker.js';
import { ABSENT } from '../../src/model/keys.js';
import { assertHeldAgrees, snapshot, stepsArb } from '../helpers/checkSteps.js';

describe('CheckQueue', () => {
  it('after a drain, the checker is where the inputs applied one by one leave it (counts, marks, state, later flags)', () => {
    fc.assert(
      // A small queue: reads fill it, and an entry larger than it grows it.
      fc.property(stepsArb(6), fc.integer({ min: 1, max: 20 }), (steps, capacityKeys) => {
        assertHeldAgrees(steps, (checker, marks) => new CheckQueue(checker, capacityKeys, marks), 6, true);
      }),
      { numRuns: 400, seed: 19 },
    );
  });

  it('holds its entries until drained, then applies them in the order they came', () => {
    const checker = new ConsistencyChecker();
    const queue = new CheckQueue(checker, 8);
    queue.recordWrite(1, 0, 5, null);
    queue.read(1, 1, [0], [ABSENT], [null], [5], true);
    assert.equal(checker.counts.ryw.keyReads, 0, 'nothing applied before the drain');
    queue.drain();
    // The write came first, so the read of its key is a ryw violation.
    assert.deepEqual([checker.counts.ryw.violations, checker.counts.ryw.eligible, checker.counts.ryw.keyReads], [1, 1, 1]);
    assert.equal(queue.touchedSum >= 0, true);
    queue.drain();
    assert.equal(checker.counts.ryw.keyReads, 1, 'a second drain applies nothing again');
  });

  it('drains by itself when full: nothing is lost and memory stays fixed', () => {
    const direct = new ConsistencyChecker();
    const queued = new ConsistencyChecker();
    const queue = new CheckQueue(queued, 4);
    for (let i = 0; i < 1000; i++) {
      const session = i % 7;
      const key = (i * 13) % 50;
      direct.recordWrite(session, key, 1 + (i % 9), null);
      queue.recordWrite(session, key, 1 + (i % 9), null);
      direct.checkRead(session, 1, [key], [i % 5], [null], [9], true);
      queue.read(session, 1, [key], [i % 5], [null], [9], true);
    }
    assert.ok(queued.counts.ryw.keyReads > 900, 'most reads were applied before the end, a batch at a time');
    queue.drain();
    assert.deepEqual(snapshot(queued), snapshot(direct));
  });
});
