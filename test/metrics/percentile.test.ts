import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { percentileSorted } from '../../src/metrics/percentile.js';

describe('percentileSorted (nearest rank)', () => {
  const oneToHundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it('gives the textbook nearest-rank values', () => {
    assert.equal(percentileSorted(oneToHundred, 0), 1);
    assert.equal(percentileSorted(oneToHundred, 50), 50);
    assert.equal(percentileSorted(oneToHundred, 50.1), 51);
    assert.equal(percentileSorted(oneToHundred, 57), 57);
    assert.equal(percentileSorted(oneToHundred, 99), 99);
    assert.equal(percentileSorted(oneToHundred, 100), 100);
    // Wikipedia's example: {15, 20, 35, 40, 50} → p30 = 20, p40 = 20, p50 = 35, p100 = 50.
    const w = [15, 20, 35, 40, 50];
    assert.deepEqual([5, 30, 40, 50, 100].map((p) => percentileSorted(w, p)), [15, 20, 20, 35, 50]);
    const thousand = Float64Array.from({ length: 1000 }, (_, i) => i);
    assert.equal(percentileSorted(thousand, 99.9), 998);
  });

  it('returns null for empty data and rejects p outside 0..100', () => {
    assert.equal(percentileSorted([], 50), null);
    assert.throws(() => percentileSorted([1], 101), RangeError);
    assert.throws(() => percentileSorted([1], -1), RangeError);
  });

  it('property: the smallest value with at least p% of the data at or below it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 0, max: 1000 }).map((permille) => permille / 10),
        (values, p) => {
          const sorted = [...values].sort((a, b) => a - b);
          const n = sorted.length;
          // Definition by brute force, in integers: count(≤ v)·1000 ≥ p·10·n (p has one decimal).
          const target = Math.round(p * 10) * n;
          const atLeast = sorted.filter((v) => sorted.filter((w) => w <= v).length * 1000 >= target);
          assert.equal(percentileSorted(sorted, p), atLeast[0]);
        },
      ),
      { seed: 7, numRuns: 1000 },
    );
  });
});
