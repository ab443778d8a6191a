// CheckQueue applies a ConsistencyChecker's inputs later, in batches: after a drain, the checker
// must be exactly where the same inputs applied one by one leave it — counts, state, and the flags
// of whatever comes next.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CheckQueue } from '../../src/checks/checkQueue.js';
import { ConsistencyChecker } from '../../src/checks/consistencyChecker.js';
import { ABSENT, type Past } from '../../src/model/keys.js';

type Step =
  | { kind: 'read'; session: number; keys: number[]; versions: number[]; pasts: (Past | null)[]; leaders: number[]; counted: boolean }
  | { kind: 'write'; session: number; key: number; version: number; past: Past | null }
  | { kind: 'forget'; session: number; key: number }
  | { kind: 'reset'; session: number }
  | { kind: 'drain' };

const SESSIONS = 5;
const KEYS = 12;
const sessionArb = fc.integer({ min: 0, max: SESSIONS - 1 });
const keyArb = fc.integer({ min: 0, max: KEYS - 1 });
const versionArb = fc.integer({ min: ABSENT, max: 9 });
/** A causal past: flat [key, version, …] pairs, sorted by key, each key once. */
const pastArb: fc.Arbitrary<Past | null> = fc.option(
  fc.uniqueArray(fc.tuple(keyArb, fc.integer({ min: 1, max: 9 })), { selector: ([key]) => key, maxLength: 3 }).map((pairs) =>
    pairs.sort((x, y) => x[0] - y[0]).flat(),
  ),
  { nil: null, freq: 2 },
);

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .record({ session: sessionArb, keys: fc.uniqueArray(keyArb, { minLength: 1, maxLength: 9 }), counted: fc.boolean() })
      .chain(({ session, keys, counted }) =>
        fc.record({
          kind: fc.constant('read' as const),
          session: fc.constant(session),
          keys: fc.constant(keys),
          versions: fc.array(versionArb, { minLength: keys.length, maxLength: keys.length }),
          pasts: fc.array(pastArb, { minLength: keys.length, maxLength: keys.length }),
          leaders: fc.array(versionArb, { minLength: keys.length, maxLength: keys.length }),
          counted: fc.constant(counted),
        }),
      ),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('write' as const), session: sessionArb, key: keyArb, version: fc.integer({ min: 1, max: 9 }), past: pastArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('forget' as const), session: sessionArb, key: keyArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reset' as const), session: sessionArb }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'drain' as const }) },
);

function applyDirect(checker: ConsistencyChecker, step: Step): void {
  if (step.kind === 'read') checker.checkRead(step.session, step.keys.length, step.keys, step.versions, step.pasts, step.leaders, step.counted);
  else if (step.kind === 'write') checker.recordWrite(step.session, step.key, step.version, step.past);
  else if (step.kind === 'forget') checker.forget(step.session, step.key);
  else if (step.kind === 'reset') checker.resetSession(step.session);
}

function applyQueued(queue: CheckQueue, step: Step): void {
  if (step.kind === 'read') queue.read(step.session, step.keys.length, step.keys, step.versions, step.pasts, step.leaders, step.counted);
  else if (step.kind === 'write') queue.recordWrite(step.session, step.key, step.version, step.past);
  else if (step.kind === 'forget') queue.forget(step.session, step.key);
  else if (step.kind === 'reset') queue.resetSession(step.session);
  else queue.drain();
}

/** Every counter of every anomaly, and the state's size. */
function snapshot(checker: ConsistencyChecker): unknown {
  return { counts: JSON.parse(JSON.stringify(checker.counts)) as unknown, entries: checker.stateEntries, bytes: checker.stateBytes };
}

/** The flags of reading every key in every session at a version below and at each write: what the state answers. */
function probe(checker: ConsistencyChecker): number[] {
  const flags: number[] = [];
  for (let session = 0; session < SESSIONS; session++) {
    for (let key = 0; key < KEYS; key++) {
      for (const version of [ABSENT, 0, 4, 9]) flags.push(checker.checkRead(session, 1, [key], [version], [null], [version], false));
    }
  }
  return flags;
}

describe('CheckQueue', () => {
  it('after a drain, the checker is where the inputs applied one by one leave it (counts, state, later flags)', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 80 }), fc.integer({ min: 1, max: 20 }), (steps, capacityKeys) => {
        const direct = new ConsistencyChecker();
        const queued = new ConsistencyChecker();
        // A small queue: reads fill it, and reads of more keys than it holds go straight through.
        const queue = new CheckQueue(queued, capacityKeys);
        for (const step of steps) {
          applyDirect(direct, step);
          applyQueued(queue, step);
        }
        queue.drain();
        assert.deepEqual(snapshot(queued), snapshot(direct));
        assert.deepEqual(probe(queued), probe(direct));
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
