import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import seedrandom from 'seedrandom';
import { ReplicaLog, type DrawUs } from '../../src/model/replica.js';

/** A draw that returns the scripted values in turn (ignoring the stream), for hand-computed cases. */
function scripted(values: number[]): DrawUs {
  let i = 0;
  return () => {
    if (i >= values.length) throw new Error('script exhausted');
    return values[i++]!;
  };
}

const noStream = (): number => {
  throw new Error('this test draws nothing from the stream');
};

describe('ReplicaLog: apply order a_i = max(a_{i−1}, r_i) + S_i (semantics.md section 1)', () => {
  it('a hand-computed case with per-entry lags (lagHold 0), out-of-order arrivals and apply times', () => {
    // c = 0, 10, 20, 30; L = 100, 5, 50, 1 → r = 100, 15, 70, 31; S = 2, 3, 0, 4
    // a1 = max(0, 100) + 2 = 102; a2 = max(102, 15) + 3 = 105; a3 = max(105, 70) + 0 = 105; a4 = max(105, 31) + 4 = 109
    const log = new ReplicaLog(scripted([100, 5, 50, 1]), 0, scripted([2, 3, 0, 4]), noStream, noStream);
    assert.deepEqual(
      [0, 10, 20, 30].map((c, i) => log.enqueue(i + 1, c)),
      [102, 105, 105, 109],
    );
    // Entries 2–4 arrived at 15, 70 and 31 but wait behind entry 1 (r = 100): the log arrives as a
    // prefix, and the received position counts only that prefix (what a promoted replica can apply).
    assert.equal(log.receivedPosition(99), 0);
    assert.equal(log.receivedPosition(100), 4);
    assert.equal(log.advance(101), 0);
    assert.equal(log.lagUs(101), 101); // the oldest unapplied entry committed at 0
    assert.equal(log.advance(102), 1); // applied at a_i ≤ t
    assert.equal(log.lagUs(102), 102 - 10);
    assert.equal(log.applyTimeUs(3, 102), 105);
    assert.equal(log.applyTimeUs(1, 102), 102); // already applied: now
    assert.equal(log.applyTimeUs(5, 102), Infinity); // not committed yet
    assert.equal(log.advance(105), 3);
    assert.equal(log.receivedPosition(105), 4);
    assert.equal(log.lagUs(108), 108 - 30);
    assert.equal(log.lagUs(109), 0); // everything committed is applied
    assert.equal(log.appliedPosition, 4);
  });

  it('tracks explicit log positions (positions are never reused, so a log may skip some)', () => {
    const log = new ReplicaLog(scripted([100, 100, 100]), 0, null, noStream, noStream);
    assert.equal(log.enqueue(10, 0), 100);
    assert.equal(log.enqueue(12, 50), 150);
    assert.equal(log.enqueue(13, 60), 160);
    assert.equal(log.applyTimeUs(11, 0), 150, 'position 11 is covered once 12 is applied');
    assert.equal(log.advance(99), 0);
    assert.equal(log.advance(100), 10);
    assert.equal(log.receivedPosition(150), 12);
    assert.equal(log.advance(160), 13);
  });

  it('a pause only delays applies and keeps their order: a_i = max(a_{i−1}, r_i, end of pause) + S_i', () => {
    const log = new ReplicaLog(scripted([10, 10, 10, 10]), 0, scripted([5, 5, 5, 5]), noStream, noStream);
    assert.equal(log.enqueue(1, 0), 15);
    assert.equal(log.enqueue(2, 100), 115);
    assert.equal(log.enqueue(3, 101), 120);
    log.pauseUntil(200); // nothing applied yet: 1, 2 and 3 all wait for 200
    assert.equal(log.applyTimeUs(1, 0), 205);
    assert.equal(log.applyTimeUs(2, 0), 210);
    assert.equal(log.applyTimeUs(3, 0), 215);
    assert.equal(log.enqueue(4, 150), 220);
    assert.equal(log.advance(209), 1);
    assert.equal(log.advance(220), 4);
  });

  it('a leader crash holds what was not received; a resend delivers it at max(r_i, resend) in order (semantics-readings.md)', () => {
    // c = 0, 10, 20; L = 50, 200, 30 → r = 50, 210, 50 (entry 3 waits behind 2); S = 1 each.
    const log = new ReplicaLog(scripted([50, 200, 30]), 0, scripted([1, 1, 1]), noStream, noStream);
    assert.deepEqual([0, 10, 20].map((c, i) => log.enqueue(i + 1, c)), [51, 211, 212]);
    log.holdUnreceived(100); // entry 1 arrived at 50; 2 and 3 had not (the log arrives in order)
    assert.equal(log.receivedPosition(1_000), 1);
    assert.equal(log.applyTimeUs(2, 100), Infinity);
    assert.equal(log.advance(5_000), 1, 'held entries are never applied before a resend');
    assert.equal(log.lagUs(5_000), 5_000 - 10, 'the replica is behind by the oldest entry it lacks');
    log.resend(5_000); // r_2 = max(210, 5000), r_3 = max(50, 5000): a = 5001, 5002
    assert.equal(log.applyTimeUs(2, 5_000), 5_001);
    assert.equal(log.applyTimeUs(3, 5_000), 5_002);
    assert.equal(log.advance(5_002), 3);
  });

  it('with parallel apply, a failover keeps applying: held entries the new leader had are resent, later ones follow', () => {
    // c = 0, 10, 20; L = 50, 200, 300 → r = 50, 210, 320; S = 1; two workers: a = 51, 211, 321.
    const log = new ReplicaLog(scripted([50, 200, 300, 5]), 0, scripted([1, 1, 1, 1]), noStream, noStream, null, null, 2);
    assert.deepEqual([0, 10, 20].map((c, i) => log.enqueue(i + 1, c)), [51, 211, 321]);
    log.holdUnreceived(100); // 2 and 3 had not arrived
    log.truncateAfter(2); // the promoted replica had 2, not 3
    log.resend(500); // r_2 = max(210, 500): a_2 = 501
    assert.equal(log.applyTimeUs(2, 500), 501);
    assert.equal(log.applyTimeUs(3, 500), Infinity, 'dropped: not committed on the new leader');
    assert.equal(log.enqueue(4, 600), 606, 'the next entry applies as usual: r = 605, a free worker, S = 1');
    assert.equal(log.advance(606), 4);
  });

  it('a resend before an entry was first due keeps its first arrival time', () => {
    const log = new ReplicaLog(scripted([1_000]), 0, null, noStream, noStream);
    assert.equal(log.enqueue(1, 0), 1_000);
    log.holdUnreceived(100);
    log.resend(300);
    assert.equal(log.applyTimeUs(1, 300), 1_000);
  });

  it('an entry that never arrives (a partition for ever) is never applied, even with stalls to step past', () => {
    const stalls = { every: () => 1_000, for: () => 100 };
    const log = new ReplicaLog(scripted([10, 10]), 0, null, noStream, noStream, stalls, () => 0.5);
    assert.equal(log.enqueue(1, 0, Infinity), Infinity);
    assert.equal(log.enqueue(2, 5), Infinity, 'a later entry waits behind it');
    assert.equal(log.advance(1e12), 0);
    log.pauseUntil(2_000);
    assert.equal(log.applyTimeUs(1, 2_000), Infinity);
  });

  it('steps a bounded number of stalls for an entry far ahead of its stall clock (a partition of months, stalls every microsecond)', () => {
    let draws = 0;
    const counting = (): number => {
      draws++;
      return 0.5;
    };
    // Each stall draws its gap and its length from the stall stream: one draw each.
    const stalls: { every: DrawUs; for: DrawUs } = { every: (u) => u() * 2, for: (u) => u() * 2 };
    const log = new ReplicaLog(scripted([0]), 0, null, noStream, noStream, stalls, counting);
    const monthsUs = 8_000 * 3_600e6;
    const applyUs = log.enqueue(1, 0, monthsUs);
    assert.ok(applyUs >= monthsUs && applyUs <= monthsUs + 2, `applied at ${applyUs}`);
    // Stepping there stall by stall would take 1.4·10^13 cycles; the clock restarts after 10^4.
    assert.ok(draws <= 2 * 10_002, `${draws} stall draws`);
  });

  it('rounds drawn lags and apply times half up to a microsecond', () => {
    const log = new ReplicaLog(scripted([10.5, 10.49]), 0, scripted([0.5, 0.4]), noStream, noStream);
    assert.equal(log.enqueue(1, 0), 11 + 1); // r = 0 + 11, S = 1
    assert.equal(log.enqueue(2, 100), 110 + 0); // r = 100 + 10, S = 0
  });

  it('matches a direct model of the definitions for random commits, lags and apply times', () => {
    const entry = fc.record({
      gapUs: fc.integer({ min: 0, max: 50 }),
      lagUs: fc.integer({ min: 0, max: 200 }),
      applyUs: fc.integer({ min: 0, max: 20 }),
    });
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 60 }), fc.boolean(), fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 30 }), (entries, withApply, probeGaps) => {
        const log = new ReplicaLog(
          scripted(entries.map((e) => e.lagUs)),
          0,
          withApply ? scripted(entries.map((e) => e.applyUs)) : null,
          noStream,
          noStream,
        );
        const c: number[] = [];
        const r: number[] = [];
        const a: number[] = [];
        let t = 0;
        for (const e of entries) {
          t += e.gapUs;
          c.push(t);
          r.push(t + e.lagUs);
          a.push(Math.max(a.at(-1) ?? 0, t + e.lagUs) + (withApply ? e.applyUs : 0));
          assert.equal(log.enqueue(c.length, t), a.at(-1));
        }
        // Probe at non-decreasing times from the last commit on (the log is queried as time moves).
        let now = t;
        for (const gap of [0, ...probeGaps.map((g) => g * 10)]) {
          now += gap;
          const applied = a.filter((ai) => ai <= now).length;
          let received = 0;
          while (received < r.length && r[received]! <= now) received++;
          const oldest = a.findIndex((ai) => ai > now);
          assert.equal(log.receivedPosition(now), Math.max(received, applied), `received at ${now}`);
          assert.equal(log.advance(now), applied, `applied at ${now}`);
          assert.equal(log.lagUs(now), oldest < 0 ? 0 : now - c[oldest]!, `lag at ${now}`);
          for (let position = 1; position <= a.length + 1; position++) {
            const expected = position <= applied ? now : position <= a.length ? a[position - 1]! : Infinity;
            assert.equal(log.applyTimeUs(position, now), expected);
          }
        }
      }),
      { seed: 4242, numRuns: 300 },
    );
  });

  it('keeps the pending entries in order while applies and commits interleave (its queue wraps and grows)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 2000 })), { minLength: 1, maxLength: 400 }), (steps) => {
        const log = new ReplicaLog(scripted(steps.map(([, lagUs]) => lagUs)), 0, null, noStream, noStream);
        const c: number[] = [];
        const a: number[] = [];
        let t = 0;
        for (const [gapUs, lagUs] of steps) {
          t += gapUs;
          // Applies due by now happen before the commit (the log is advanced as time moves).
          assert.equal(log.advance(t), a.filter((ai) => ai <= t).length);
          c.push(t);
          a.push(Math.max(a.at(-1) ?? 0, t + lagUs));
          assert.equal(log.enqueue(c.length, t), a.at(-1));
          const oldest = a.findIndex((ai) => ai > t);
          assert.equal(log.backlog, a.length - a.filter((ai) => ai <= t).length);
          assert.equal(log.lagUs(t), oldest < 0 ? 0 : t - c[oldest]!);
          if (oldest >= 0) assert.equal(log.applyTimeUs(a.length, t), a.at(-1));
        }
      }),
      { seed: 77, numRuns: 200 },
    );
  });

  it('keeps the order when its queue grows while wrapped (entries applied first, then a long backlog)', () => {
    const lags = [...Array.from({ length: 10 }, () => 1), ...Array.from({ length: 40 }, () => 10_000)];
    const log = new ReplicaLog(scripted(lags), 0, null, noStream, noStream);
    for (let i = 0; i < 10; i++) log.enqueue(i + 1, i * 10);
    assert.equal(log.advance(100), 10);
    // 40 entries committed at 100, 110, …: the queue's first slot is past its start, so they wrap, then grow it twice.
    const applyUs = Array.from({ length: 40 }, (_, i) => log.enqueue(11 + i, 100 + i * 10));
    assert.deepEqual(applyUs, Array.from({ length: 40 }, (_, i) => 10_100 + i * 10));
    assert.equal(log.backlog, 40);
    assert.equal(log.lagUs(10_099), 10_099 - 100);
    for (let i = 0; i < 40; i++) {
      assert.equal(log.applyTimeUs(11 + i, 10_099), 10_100 + i * 10);
      assert.equal(log.advance(10_100 + i * 10), 11 + i);
    }
    assert.equal(log.backlog, 0);
  });
});

describe('ReplicaLog: lag levels (lagHold > 0)', () => {
  /** A lag draw that returns 1 ms, 2 ms, 3 ms, …: each level is recognisable and levels only grow, so a_i = c_i + L_i. */
  function countingLag(): { draw: DrawUs; count: () => number } {
    let n = 0;
    return { draw: () => 1000 * ++n, count: () => n };
  }

  it('holds each level for exponential times of mean lagHold', () => {
    const lagHoldUs = 1000;
    const stepUs = 10;
    const lag = countingLag();
    const log = new ReplicaLog(lag.draw, lagHoldUs, null, seedrandom.alea('hold'), noStream);
    const changesUs: number[] = [];
    let previous = -1;
    let position = 0;
    const endUs = 4_000_000;
    for (let c = 0; c <= endUs; c += stepUs) {
      const level = log.enqueue(++position, c) - c;
      if (level !== previous) changesUs.push(c);
      previous = level;
      log.advance(c);
    }
    const holds = changesUs.slice(1).map((t, i) => t - changesUs[i]!);
    const n = holds.length;
    const mean = holds.reduce((s, x) => s + x, 0) / n;
    // Mean within 4.5 standard errors (an exponential's sd is its mean); the sampling grid adds ±10 µs.
    assert.ok(Math.abs(mean - lagHoldUs) < (4.5 * lagHoldUs) / Math.sqrt(n) + stepUs, `mean hold ${mean} µs over ${n} levels`);
    // Exponential, not constant or uniform: P(hold > mean) = e^−1, and the sd equals the mean.
    const over = holds.filter((h) => h > lagHoldUs).length / n;
    assert.ok(Math.abs(over - Math.exp(-1)) < 4.5 * Math.sqrt((Math.exp(-1) * (1 - Math.exp(-1))) / n), `P(hold > mean) = ${over}`);
    const sd = Math.sqrt(holds.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1));
    assert.ok(Math.abs(sd / mean - 1) < 0.1, `coefficient of variation ${sd / mean}`);
  });

  it('draws levels on its own clock: the level at time t does not depend on how many writes came before', () => {
    const dense = new ReplicaLog(countingLag().draw, 5000, null, seedrandom.alea('levels'), noStream);
    const sparseLag = countingLag();
    const sparse = new ReplicaLog(sparseLag.draw, 5000, null, seedrandom.alea('levels'), noStream);
    let position = 0;
    for (let c = 0; c < 1_000_000; c += 37) dense.advance(c), dense.enqueue(++position, c);
    const probe = 1_000_000;
    assert.equal(sparse.enqueue(1, probe), dense.enqueue(position + 1, probe));
    assert.ok(sparseLag.count() > 100, 'about one level per 5 ms was drawn, writes or not');
  });

  it('uses one level for every entry committed while it holds (a constant lag gives a_i = c_i + L)', () => {
    const log = new ReplicaLog(() => 300_000, 1_000_000, null, seedrandom.alea('c'), noStream);
    let position = 0;
    for (let c = 0; c < 10_000_000; c += 12_345) assert.equal(log.enqueue(++position, c), c + 300_000);
  });
});

describe('ReplicaLog.onApplied: each entry told when it is applied, at the time it was, after the faults moved it', () => {
  const told = (log: ReplicaLog): number[][] => {
    const calls: number[][] = [];
    log.onApplied = (position, applyUs) => calls.push([position, applyUs]);
    return calls;
  };

  it('a pause after the commits moves the applies to its end; pendingEntries lists what waits without applying it', () => {
    // L = 10: c = 0, 5, 20 → a = 10, 15, 30; a pause until 25 → a = 25, 25, 30.
    const log = new ReplicaLog(() => 10, 0, null, noStream, noStream);
    const calls = told(log);
    assert.deepEqual([0, 5, 20].map((c, i) => log.enqueue(i + 1, c)), [10, 15, 30]);
    log.pauseUntil(25);
    assert.deepEqual(log.pendingEntries(), [
      { position: 1, applyUs: 25 },
      { position: 2, applyUs: 25 },
      { position: 3, applyUs: 30 },
    ]);
    assert.equal(log.backlog, 3);
    assert.deepEqual(calls, []);
    assert.equal(log.advance(26), 2);
    assert.deepEqual(calls, [
      [1, 25],
      [2, 25],
    ]);
    assert.deepEqual(log.pendingEntries(), [{ position: 3, applyUs: 30 }]);
  });

  it('held entries are told at their resent time; entries dropped in a failover never are', () => {
    // L = 10: c = 0, 5 → r = 10, 15. The leader crashes at 12: entry 2 is held, then sent again at 40.
    const resent = new ReplicaLog(() => 10, 0, null, noStream, noStream);
    const resentCalls = told(resent);
    resent.enqueue(1, 0);
    resent.enqueue(2, 5);
    resent.holdUnreceived(12);
    assert.deepEqual(resent.pendingEntries(), [
      { position: 1, applyUs: 10 },
      { position: 2, applyUs: Infinity },
    ]);
    resent.resend(40);
    resent.advance(100);
    assert.deepEqual(resentCalls, [
      [1, 10],
      [2, 40],
    ]);
    // S = 20: a = 30, 50, 70 for c = 0, 5, 20; crash at 12 (entry 1 received), failover at 25.
    const make = (): ReplicaLog => {
      const log = new ReplicaLog(() => 10, 0, () => 20, noStream, noStream);
      [0, 5, 20].forEach((c, i) => log.enqueue(i + 1, c));
      log.holdUnreceived(12);
      return log;
    };
    // The promoted replica applies entry 1 at once at its promotion (25, before its a = 30); 2 and 3 are dropped.
    const promoted = make();
    const promotedCalls = told(promoted);
    assert.equal(promoted.applyReceived(12, 25), 1);
    assert.deepEqual(promotedCalls, [[1, 25]]);
    // Promoted at 40, after a = 30: entry 1 was applied at 30.
    const later = make();
    const laterCalls = told(later);
    later.applyReceived(12, 40);
    assert.deepEqual(laterCalls, [[1, 30]]);
    // Another replica drops what the new leader never had: only entry 1 is ever applied.
    const other = make();
    const otherCalls = told(other);
    other.truncateAfter(1);
    other.resend(25);
    other.advance(1000);
    assert.deepEqual(otherCalls, [[1, 30]]);
    assert.deepEqual(other.pendingEntries(), []);
  });
});
