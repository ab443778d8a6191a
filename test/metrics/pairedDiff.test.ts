import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pairedDifference, tCdf, tQuantile } from '../../src/metrics/pairedDiff.js';

const close = (actual: number, expected: number, tolerance: number, label: string): void => {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${label}: ${actual} vs ${expected}`);
};

describe('tQuantile', () => {
  it('matches published two-sided 95% critical values', () => {
    // Reference values t_{0.975, df} to 9 significant digits (e.g. R qt(0.975, df)).
    const table: Array<[number, number]> = [
      [1, 12.7062047], [2, 4.30265273], [3, 3.18244631], [4, 2.77644511], [5, 2.57058184],
      [10, 2.22813885], [20, 2.08596345], [30, 2.04227246], [60, 2.00029782], [120, 1.97993041],
    ];
    for (const [df, t] of table) close(tQuantile(0.975, df), t, 5e-8, `df=${df}`);
    assert.equal(Math.round(tQuantile(0.975, 1) * 1000) / 1000, 12.706);
    assert.equal(Math.round(tQuantile(0.975, 10) * 1000) / 1000, 2.228);
    assert.equal(Math.round(tQuantile(0.975, 30) * 1000) / 1000, 2.042);
  });

  it('tends to the normal quantile and is odd in p', () => {
    // First Cornish–Fisher term: t ≈ z + (z³ + z)/(4·df).
    const z = 1.959963984540054;
    close(tQuantile(0.975, 1e9), z + (z ** 3 + z) / 4e9, 1e-12, 'df=1e9');
    close(tQuantile(0.975, 1e5), 1.95998771, 1e-7, 'df=1e5');
    close(tQuantile(0.995, 7), 3.49948329, 1e-7, 'p=0.995 df=7');
    assert.equal(tQuantile(0.5, 4), 0);
    assert.equal(tQuantile(0.1, 6), -tQuantile(0.9, 6));
  });

  it('inverts tCdf', () => {
    for (const df of [1.5, 3, 8, 25, 400]) {
      for (const p of [0.6, 0.9, 0.99, 0.9999]) close(tCdf(tQuantile(p, df), df), p, 1e-12, `df=${df} p=${p}`);
    }
  });
});

describe('pairedDifference', () => {
  it('computes the mean difference with a t-interval', () => {
    // d = [1, 2, 3, 4]: mean 2.5, s = √(5/3), half-width t_{0.975,3}·s/2.
    const r = pairedDifference([2, 4, 6, 8], [1, 2, 3, 4]);
    assert.equal(r.n, 4);
    assert.equal(r.meanDiff, 2.5);
    close(r.sdDiff!, Math.sqrt(5 / 3), 1e-15, 'sd');
    const half = 3.182446305284263 * Math.sqrt(5 / 3) / 2;
    close(r.interval!.low, 2.5 - half, 1e-9, 'low');
    close(r.interval!.high, 2.5 + half, 1e-9, 'high');
  });

  it('a textbook example: Student (1908) sleep data', () => {
    // Extra sleep (hours) for 10 patients under two drugs; the classic paired t-test gives
    // mean difference −1.58, 95% CI [−2.4598858, −0.7001142].
    const drug1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
    const drug2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];
    const r = pairedDifference(drug1, drug2);
    close(r.meanDiff!, -1.58, 1e-12, 'mean');
    close(r.interval!.low, -2.4598858, 1e-6, 'low');
    close(r.interval!.high, -0.7001142, 1e-6, 'high');
  });

  it('has no interval below two pairs, and a zero-width one for identical differences', () => {
    assert.deepEqual(pairedDifference([], []), { n: 0, meanDiff: null, sdDiff: null, interval: null });
    assert.deepEqual(pairedDifference([5], [3]), { n: 1, meanDiff: 2, sdDiff: null, interval: null });
    assert.deepEqual(pairedDifference([5, 6, 7], [3, 4, 5]).interval, { low: 2, high: 2 });
  });

  it('rejects unpaired input', () => {
    assert.throws(() => pairedDifference([1, 2], [1]), RangeError);
  });
});
