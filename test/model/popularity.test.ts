// Key popularity (scenario.md, `popularity: uniform | {zipf: S}`): zipfPicker(n, s) must pick index
// i with probability (1/(i+1)^s) / Σ_j 1/(j+1)^s. Each share is checked against that closed form
// with a Wilson interval; the shares of one (n, s) come from one stream, so they use the 99.9%
// interval (Z_999) to keep the chance of a false alarm across them small.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import seedrandom from 'seedrandom';
import { uniformPicker, zipfPicker, type IndexPicker } from '../../src/model/popularity.js';
import { assertInWilson, assertOutsideWilson, Z_999 } from '../helpers/sim.js';

const DRAWS = 40_000;

function counts(pick: IndexPicker, n: number, seed: string): number[] {
  const u = seedrandom.alea(seed);
  const out = new Array<number>(n).fill(0);
  for (let k = 0; k < DRAWS; k++) {
    const i = pick(u);
    assert.ok(Number.isInteger(i) && i >= 0 && i < n, `index ${i} outside [0, ${n})`);
    out[i]!++;
  }
  return out;
}

/** The closed form: 1/(i+1)^s normalised over i in [0, n). */
function zipfShares(n: number, s: number): number[] {
  const weights = Array.from({ length: n }, (_, i) => 1 / Math.pow(i + 1, s));
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => w / total);
}

describe('zipfPicker', () => {
  for (const [n, s] of [
    [10, 0.8],
    [10, 1.1],
    [25, 2],
  ] as const) {
    it(`n = ${n}, s = ${s}: each index's share is 1/(i+1)^s normalised`, () => {
      const observed = counts(zipfPicker(n, s), n, `zipf-${n}-${s}`);
      const expected = zipfShares(n, s);
      for (let i = 0; i < n; i++) assertInWilson(observed[i]!, DRAWS, expected[i]!, `n = ${n}, s = ${s}, index ${i}`, DRAWS, Z_999);
      // The test tells neighbouring exponents apart: the most popular share under s ± 0.1 is outside.
      for (const other of [s - 0.1, s + 0.1]) assertOutsideWilson(observed[0]!, DRAWS, zipfShares(n, other)[0]!, `index 0 under s = ${other}`);
    });
  }

  it('u = 0 picks the most popular index and u just below 1 the least', () => {
    const pick = zipfPicker(7, 1.3);
    assert.equal(pick(() => 0), 0);
    assert.equal(pick(() => 1 - 2 ** -53), 6);
    assert.equal(zipfPicker(1, 1.1)(() => 0.5), 0);
  });
});

describe('uniformPicker', () => {
  it('each of n indices has share 1/n', () => {
    const n = 8;
    const observed = counts(uniformPicker(n), n, 'uniform-8');
    for (let i = 0; i < n; i++) assertInWilson(observed[i]!, DRAWS, 1 / n, `index ${i}`, DRAWS, Z_999);
  });
});
