import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { wilson } from '../../src/metrics/wilson.js';

const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;

describe('wilson', () => {
  it('matches known 95% intervals', () => {
    // At s = 0 the centre equals the half-width, so the interval is [0, z²/(n + z²)] in closed form.
    const z = 1.959963984540054;
    const none = wilson(0, 10)!;
    assert.equal(none.low, 0);
    assert.ok(Math.abs(none.high - (z * z) / (10 + z * z)) < 1e-12, `high ${none.high} vs z²/(n + z²) = ${(z * z) / (10 + z * z)}`);
    assert.equal(round4(none.high), 0.2775);
    const half = wilson(5, 10)!;
    assert.deepEqual([round4(half.low), round4(half.high)], [0.2366, 0.7634]);
    const all = wilson(10, 10)!;
    assert.deepEqual([round4(all.low), all.high], [0.7225, 1]);
    // 1/20: centre (0.05 + z²/40)/(1 + z²/20), half-width z/(1 + z²/20)·√(0.0475/20 + z²/1600).
    const one = wilson(1, 20)!;
    assert.deepEqual([round4(one.low), round4(one.high)], [0.0089, 0.2361]);
  });

  it('matches the published score intervals of Newcombe (1998), Statistics in Medicine 17:857, method 3', () => {
    for (const [s, n, low, high] of [
      [81, 263, 0.2553, 0.3662],
      [15, 148, 0.0624, 0.1605],
      [0, 20, 0, 0.1611],
      [1, 29, 0.0061, 0.1718],
    ] as const) {
      const interval = wilson(s, n)!;
      assert.deepEqual([round4(interval.low), round4(interval.high)], [low, high], `${s}/${n}`);
    }
  });

  it('returns null when there are no trials', () => {
    assert.equal(wilson(0, 0), null);
  });

  it('is symmetric: [low, high] for s is [1 − high, 1 − low] for n − s', () => {
    const a = wilson(3, 17)!;
    const b = wilson(14, 17)!;
    assert.ok(Math.abs(a.low - (1 - b.high)) < 1e-15 && Math.abs(a.high - (1 - b.low)) < 1e-15);
  });

  it('honours a custom z (z = 0 collapses to the point estimate)', () => {
    assert.deepEqual(wilson(3, 12, 0), { low: 0.25, high: 0.25 });
    const wide = wilson(3, 12, 2.576)!;
    const narrow = wilson(3, 12)!;
    assert.ok(wide.low < narrow.low && wide.high > narrow.high);
  });

  it('rejects impossible counts', () => {
    assert.throws(() => wilson(11, 10), RangeError);
    assert.throws(() => wilson(-1, 10), RangeError);
    assert.throws(() => wilson(1.5, 10), RangeError);
  });

  it('property: 0 ≤ low ≤ p̂ ≤ high ≤ 1', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }).chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n))),
        ([s, n]) => {
          const interval = wilson(s, n);
          assert.ok(interval !== null);
          const pHat = s / n;
          assert.ok(0 <= interval.low && interval.low <= pHat && pHat <= interval.high && interval.high <= 1, JSON.stringify({ s, n, interval }));
        },
      ),
      { seed: 42, numRuns: 2000 },
    );
  });
});
