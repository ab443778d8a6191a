// LagSampler against a brute-force evaluation of semantics.md section 1 (lag at t = t − c_j of the
// oldest entry with c_j ≤ t < a_j, else 0) on random logs: the samples exactly, and the peak of
// each step against the lag evaluated at every microsecond of the step.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LagSampler, sampleStepUs } from '../../../src/run/sweep/lagSampler.js';

function lagAt(entries: readonly [number, number][], t: number): number {
  for (const [c, a] of entries) if (c <= t && a > t) return t - c;
  return 0;
}

/** Entries in commit order with a_i = max(a_{i−1}, c_i + L_i), as a replica applies them. */
const logs = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 60 })), { maxLength: 30 })
  .map((steps) => {
    let c = 0;
    let a = 0;
    return steps.map(([gap, lag]): [number, number] => {
      c += gap;
      a = Math.max(a, c + lag);
      return [c, a];
    });
  });

describe('LagSampler', () => {
  it('samples the lag and the exact peak of each step', () => {
    fc.assert(
      fc.property(logs, fc.integer({ min: 1, max: 25 }), (entries, stepUs) => {
        const endUs = 400;
        const sampler = new LagSampler(stepUs, endUs);
        for (const [c, a] of entries) sampler.onEntry(c, a);
        sampler.finish();
        assert.equal(sampler.lagUs.length, Math.floor(endUs / stepUs) + 1);
        sampler.lagUs.forEach((lag, k) => {
          const t = k * stepUs;
          assert.equal(lag, lagAt(entries, t), `lag at ${t}`);
          // The supremum over (t − step, t]: the lag grows between integer instants, so it is the value at
          // each instant or the limit just before it (where an apply makes it drop).
          let peak = 0;
          for (let u = Math.max(0, t - stepUs + 1); u <= t; u++) peak = Math.max(peak, lagAt(entries, u), lagJustBefore(entries, u));
          assert.equal(sampler.peakUs[k], peak, `peak of the step ending at ${t}`);
        });
      }),
      { seed: 31, numRuns: 100 },
    );
  });

  it('picks round steps: 1 s for 10 minutes, at most 600 samples', () => {
    assert.equal(sampleStepUs(600e6), 1e6);
    assert.equal(sampleStepUs(630e6), 2e6);
    assert.equal(sampleStepUs(20e6), 50e3);
  });
});

/** lim of the lag as time rises to u: the oldest entry unapplied just before u. */
function lagJustBefore(entries: readonly [number, number][], u: number): number {
  for (const [c, a] of entries) if (c < u && a >= u) return u - c;
  return 0;
}
