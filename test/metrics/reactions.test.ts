import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { per1000FromPrecision, ReactionCollector } from '../../src/metrics/reactions.js';
import { runMeanPrecision } from '../../src/metrics/batchMeans.js';

describe('reaction rates per 1,000 sessions', () => {
  it('scales the batch-means interval of reactions per session exposure by 1,000', () => {
    // 32 bins of 10 sessions' exposure each; reactions 1, 3, 1, 3, …: 2 per bin, 0.2 per session.
    const exposure = new Float64Array(32).fill(10);
    const counts = Float64Array.from({ length: 32 }, (_, i) => (i % 2 === 0 ? 1 : 3));
    const precision = runMeanPrecision(counts, exposure);
    const rate = per1000FromPrecision(64, 320, precision);
    assert.equal(rate.per1000Sessions, 200);
    assert.ok(rate.interval !== null && rate.interval.method === 'batch-means');
    assert.ok(Math.abs(rate.interval.low - precision.interval!.low * 1000) < 1e-9);
    assert.ok(rate.interval.low < 200 && rate.interval.high > 200);
  });

  it('with no reaction: the Poisson bound −ln(0.025) ≈ 3.69 events over the sessions, not [0, 0]', () => {
    const rate = per1000FromPrecision(0, 1000, { interval: null, untrusted: null });
    assert.equal(rate.per1000Sessions, 0);
    assert.equal(rate.interval!.method, 'no-variance');
    assert.ok(Math.abs(rate.interval!.high - 3.6888794541139363) < 1e-12);
  });

  it('says why an interval is withheld, and has no rate without sessions', () => {
    assert.deepEqual(per1000FromPrecision(5, 100, { interval: null, untrusted: { reason: 'too few batches' } }), {
      count: 5,
      per1000Sessions: 50,
      interval: null,
      intervalWithheld: 'too few batches',
    });
    assert.deepEqual(per1000FromPrecision(0, 0, { interval: null, untrusted: null }), { count: 0, per1000Sessions: null, interval: null });
  });

  it('counts closed-loop sessions pro rata over the measured period, open-loop ones on arrival after warm-up', () => {
    const c = new ReactionCollector(1000, 4000);
    c.onSessionStart(1, false, 0);
    c.onSessionStart(2, false, 0);
    c.onSessionStart(3, true, 500); // arrived in warm-up: not counted, nor its reactions
    c.onSessionStart(4, true, 2000);
    assert.equal(c.exposureSoFar(1000), 1);
    assert.equal(c.exposureSoFar(3000), 2 * 0.5 + 1);
    assert.equal(c.exposureSoFar(9000), 3);
    c.onReaction(3, true, 'refresh', true);
    c.onReaction(1, false, 'refresh', false);
    c.onReaction(4, true, 'refresh', true);
    assert.equal(c.countSoFar('refresh'), 1);
  });
});
