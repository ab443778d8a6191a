// Random inputs of a ConsistencyChecker, applied at once or held (CheckQueue, the check thread):
// held ones must leave the checker where the same inputs applied one by one leave it.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { HeldChecks } from '../../src/checks/checkStream.js';
import { ConsistencyChecker } from '../../src/checks/consistencyChecker.js';
import { CountMarks } from '../../src/checks/countMarks.js';
import { ABSENT, type Past } from '../../src/model/keys.js';

export type Step =
  | { kind: 'read'; session: number; keys: number[]; versions: number[]; pasts: (Past | null)[]; leaders: number[]; counted: boolean }
  | { kind: 'write'; session: number; key: number; version: number; past: Past | null }
  | { kind: 'forget'; session: number; key: number }
  | { kind: 'reset'; session: number }
  | { kind: 'mark' }
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

export const stepArb: fc.Arbitrary<Step> = fc.oneof(
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
  { weight: 1, arbitrary: fc.constant({ kind: 'mark' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'drain' as const }) },
);

/** Applies a step at once; a mark records the counts in the next row of `marks`. */
export function applyDirect(checker: ConsistencyChecker, step: Step, marks?: { marks: CountMarks; next: number }): void {
  if (step.kind === 'read') checker.checkRead(step.session, step.keys.length, step.keys, step.versions, step.pasts, step.leaders, step.counted);
  else if (step.kind === 'write') checker.recordWrite(step.session, step.key, step.version, step.past);
  else if (step.kind === 'forget') checker.forget(step.session, step.key);
  else if (step.kind === 'reset') checker.resetSession(step.session);
  else if (step.kind === 'mark' && marks !== undefined) marks.marks.record(marks.next++, checker.counts);
}

/** Hands a step to the holder; a mark goes to the next row. */
export function applyHeld(queue: HeldChecks, step: Step, marks: { next: number }): void {
  if (step.kind === 'read') queue.read(step.session, step.keys.length, step.keys, step.versions, step.pasts, step.leaders, step.counted);
  else if (step.kind === 'write') queue.recordWrite(step.session, step.key, step.version, step.past);
  else if (step.kind === 'forget') queue.forget(step.session, step.key);
  else if (step.kind === 'reset') queue.resetSession(step.session);
  else if (step.kind === 'mark') queue.mark(marks.next++);
  else queue.drain();
}

/** Every counter of every anomaly, and the state's size. */
export function snapshot(checker: ConsistencyChecker): unknown {
  return { counts: JSON.parse(JSON.stringify(checker.counts)) as unknown, entries: checker.stateEntries, bytes: checker.stateBytes };
}

/** The flags of reading every key in every session at a version below and at each write: what the state answers. */
export function probe(checker: ConsistencyChecker): number[] {
  const flags: number[] = [];
  for (let session = 0; session < SESSIONS; session++) {
    for (let key = 0; key < KEYS; key++) {
      for (const version of [ABSENT, 0, 4, 9]) flags.push(checker.checkRead(session, 1, [key], [version], [null], [version], false));
    }
  }
  return flags;
}


/** Steps with at most `rows` marks. */
export const stepsArb = (rows: number, maxLength = 80): fc.Arbitrary<Step[]> =>
  fc.array(stepArb, { maxLength }).map((steps) => {
    let marks = 0;
    return steps.filter((step) => step.kind !== 'mark' || marks++ < rows);
  });

/** Applies `steps` at once and held; the counts, the marks and, where `stateToo`, the state agree. */
export function assertHeldAgrees(steps: readonly Step[], held: (checker: ConsistencyChecker, marks: CountMarks) => HeldChecks, rows: number, stateToo: boolean): void {
  const direct = new ConsistencyChecker();
  const directMarks = { marks: new CountMarks(rows), next: 0 };
  const heldChecker = new ConsistencyChecker();
  const heldMarks = new CountMarks(rows);
  const holder = held(heldChecker, heldMarks);
  const next = { next: 0 };
  try {
    for (const step of steps) {
      applyDirect(direct, step, directMarks);
      applyHeld(holder, step, next);
    }
    holder.drain();
  } finally {
    holder.close();
  }
  assert.deepEqual(JSON.parse(JSON.stringify(heldChecker.counts)), JSON.parse(JSON.stringify(direct.counts)));
  assert.deepEqual([...heldMarks.rows], [...directMarks.marks.rows]);
  if (stateToo) {
    assert.deepEqual(snapshot(heldChecker), snapshot(direct));
    assert.deepEqual(probe(heldChecker), probe(direct));
  }
}
