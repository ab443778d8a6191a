// The exact checks of semantics.md section 3, driven directly through ConsistencyChecker's API with
// hand-made sequences of writes and reads. Keys are small integers; ABSENT (-1) is older than
// every version; a past is flat [key, version, key, version, …].
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FLAG_BITS, flagNames } from '../../src/checks/anomalies.js';
import { ConsistencyChecker } from '../../src/checks/consistencyChecker.js';
import { ABSENT, type Past } from '../../src/model/keys.js';

const K0 = 0;
const K1 = 1;
const K2 = 2;

interface KeyRead {
  key: number;
  version: number;
  past?: Past | null;
  leader?: number;
}

/** One read of several keys; returns the flag names. */
function read(checker: ConsistencyChecker, session: number, reads: KeyRead[], counted = true): string[] {
  const flags = checker.checkRead(
    session,
    reads.length,
    reads.map((r) => r.key),
    reads.map((r) => r.version),
    reads.map((r) => r.past ?? null),
    reads.map((r) => r.leader ?? r.version),
    counted,
  );
  return flagNames(flags);
}

function counts(checker: ConsistencyChecker): Record<string, [number, number, number]> {
  const out: Record<string, [number, number, number]> = {};
  for (const [name, c] of Object.entries(checker.counts)) out[name] = [c.violations, c.eligible, c.keyReads];
  return out;
}

describe('ConsistencyChecker: read-your-writes', () => {
  it('an insert not yet visible (absent) violates; once visible it does not', () => {
    const c = new ConsistencyChecker();
    c.recordWrite(1, K0, 5, null);
    assert.deepEqual(read(c, 1, [{ key: K0, version: ABSENT, leader: 5 }]), ['ryw', 'stale']);
    assert.deepEqual(read(c, 1, [{ key: K0, version: 5 }]), []);
    assert.deepEqual(counts(c).ryw, [1, 2, 2]);
  });

  it('an update not yet visible (the preloaded version 0) violates', () => {
    const c = new ConsistencyChecker();
    c.recordWrite(1, K0, 3, null);
    assert.deepEqual(read(c, 1, [{ key: K0, version: 0, leader: 3 }]), ['ryw', 'stale']);
  });

  it('W(k) is the highest version the session wrote; someone else’s newer version is not required', () => {
    const c = new ConsistencyChecker();
    c.recordWrite(1, K0, 7, null);
    c.recordWrite(1, K0, 4, null); // an out-of-order record cannot lower W(k)
    assert.deepEqual(read(c, 1, [{ key: K0, version: 6, leader: 6 }]), ['ryw']);
    assert.deepEqual(read(c, 1, [{ key: K0, version: 7, leader: 9 }]), ['stale']);
    // Another session never wrote K0: not eligible.
    assert.deepEqual(read(c, 2, [{ key: K0, version: 0, leader: 9 }]), ['stale']);
    assert.deepEqual(counts(c).ryw, [1, 2, 3]);
  });
});

describe('ConsistencyChecker: monotonic reads', () => {
  it('absent → present is fine; present → absent and newer → older violate', () => {
    const c = new ConsistencyChecker();
    assert.deepEqual(read(c, 1, [{ key: K0, version: ABSENT }]), []);
    assert.deepEqual(read(c, 1, [{ key: K0, version: 2 }]), []);
    assert.deepEqual(read(c, 1, [{ key: K0, version: ABSENT, leader: 2 }]), ['mr', 'stale']);
    assert.deepEqual(read(c, 1, [{ key: K0, version: 1, leader: 2 }]), ['mr', 'stale']);
    // M(k) is the highest seen, not the last seen.
    assert.deepEqual(read(c, 1, [{ key: K0, version: 2 }]), []);
    assert.deepEqual(counts(c).mr, [2, 4, 5]);
  });

  it('an absent read makes a key eligible; the session’s own writes do not', () => {
    const c = new ConsistencyChecker();
    c.recordWrite(1, K1, 4, null);
    assert.deepEqual(read(c, 1, [{ key: K1, version: 4 }]), []);
    assert.equal(c.counts.mr.eligible, 0, 'writes are not earlier reads');
    assert.deepEqual(read(c, 1, [{ key: K1, version: 4 }]), []);
    assert.equal(c.counts.mr.eligible, 1);
  });

  it('sessions are independent, and a reset slot starts from nothing', () => {
    const c = new ConsistencyChecker();
    read(c, 1, [{ key: K0, version: 5 }]);
    assert.deepEqual(read(c, 2, [{ key: K0, version: 1, leader: 5 }]), ['stale']);
    c.resetSession(1);
    assert.deepEqual(read(c, 1, [{ key: K0, version: 1, leader: 5 }]), ['stale']);
    assert.equal(c.counts.mr.eligible, 0);
  });
});

describe('ConsistencyChecker: consistent prefix', () => {
  // K1@1 (an answer, shard 1) was written with past {K0: 1} (its question, shard 0).
  const answerPast: Past = [K0, 1];

  it('across two shards in one read: the answer visible, the question not', () => {
    const c = new ConsistencyChecker();
    const flags = read(c, 3, [
      { key: K1, version: 1, past: answerPast, leader: 1 },
      { key: K0, version: ABSENT, leader: 1 },
    ]);
    assert.deepEqual(flags, ['cp', 'stale']);
    // Only K0 has Req defined (K1's Req would come from a past naming K1).
    assert.deepEqual(counts(c).cp, [1, 1, 2]);
  });

  it('the answer seen first, then the question missing in a later read', () => {
    const c = new ConsistencyChecker();
    assert.deepEqual(read(c, 3, [{ key: K1, version: 1, past: answerPast }]), []);
    assert.deepEqual(read(c, 3, [{ key: K0, version: 0, leader: 1 }]), ['cp', 'stale']);
    assert.deepEqual(read(c, 3, [{ key: K0, version: 1 }]), []);
    assert.deepEqual(counts(c).cp, [1, 2, 3]);
  });

  it('the question seen at the required version: consistent, and eligible', () => {
    const c = new ConsistencyChecker();
    assert.deepEqual(
      read(c, 3, [
        { key: K0, version: 2, leader: 2 },
        { key: K1, version: 1, past: answerPast },
      ]),
      [],
    );
    assert.equal(c.counts.cp.eligible, 1);
  });

  it('the session’s own write carries its past: reading the question older afterwards violates', () => {
    const c = new ConsistencyChecker();
    read(c, 2, [{ key: K0, version: 4 }]);
    c.recordWrite(2, K1, 9, [K0, 4]);
    assert.deepEqual(read(c, 2, [{ key: K0, version: 3, leader: 4 }]), ['mr', 'cp', 'stale']);
  });

  it('a past is transitive (the caller gives the closure): K2 → K1 → K0', () => {
    const c = new ConsistencyChecker();
    const k2Past: Past = [K0, 1, K1, 1];
    assert.deepEqual(
      read(c, 5, [
        { key: K2, version: 2, past: k2Past },
        { key: K0, version: ABSENT, leader: 1 },
      ]),
      ['cp', 'stale'],
    );
  });

  it('a key’s own earlier versions never require it (past(j, v) has no j)', () => {
    const c = new ConsistencyChecker();
    read(c, 1, [{ key: K1, version: 5, past: answerPast }]);
    assert.deepEqual(read(c, 1, [{ key: K1, version: 5, past: answerPast }]), []);
    assert.equal(c.counts.cp.eligible, 0);
  });
});

describe('ConsistencyChecker: stale reads, warm-up, forgetting', () => {
  it('stale compares with the leader version at t0; every key-read is eligible', () => {
    const c = new ConsistencyChecker();
    assert.deepEqual(read(c, 1, [{ key: K0, version: 3, leader: 4 }, { key: K1, version: ABSENT, leader: ABSENT }]), ['stale']);
    assert.deepEqual(counts(c).stale, [1, 2, 2]);
    assert.equal(c.counts.stale.violatingReads, 1);
  });

  it('warm-up reads return their flags and shape state but count nowhere', () => {
    const c = new ConsistencyChecker();
    c.recordWrite(1, K0, 2, null);
    assert.deepEqual(read(c, 1, [{ key: K0, version: 0, leader: 2 }], false), ['ryw', 'stale']);
    for (const name of ['ryw', 'mr', 'cp', 'stale'] as const) {
      assert.deepEqual([c.counts[name].violations, c.counts[name].eligible, c.counts[name].keyReads], [0, 0, 0]);
    }
    // The warm-up read made K0 mr-eligible for the next, counted read.
    assert.deepEqual(read(c, 1, [{ key: K0, version: 2 }]), []);
    assert.deepEqual(counts(c).mr, [0, 1, 1]);
  });

  it('flags are the union over key-reads, one bit per anomaly', () => {
    const c = new ConsistencyChecker();
    c.recordWrite(1, K0, 2, null);
    read(c, 1, [{ key: K1, version: 3 }]);
    const flags = c.checkRead(1, 2, [K0, K1], [ABSENT, 1], [null, null], [2, 3], true);
    assert.equal(flags, FLAG_BITS.ryw | FLAG_BITS.mr | FLAG_BITS.stale);
    assert.equal(flags & FLAG_BITS.cp, 0);
    assert.equal(c.counts.ryw.violatingReads, 1);
    assert.equal(c.counts.stale.violations, 2);
    assert.equal(c.counts.stale.violatingReads, 1);
  });

  it('forget drops one key of one session', () => {
    const c = new ConsistencyChecker();
    c.recordWrite(1, K0, 2, null);
    read(c, 1, [{ key: K0, version: 2 }]);
    c.forget(1, K0);
    assert.deepEqual(read(c, 1, [{ key: K0, version: ABSENT, leader: 2 }]), ['stale']);
    assert.equal(c.stateEntries, 1);
  });
});
