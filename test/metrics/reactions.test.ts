import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { perThousand } from '../../src/metrics/reactions.js';

describe('perThousand', () => {
  it('is the mean per session × 1,000 with a t-interval from Σx and Σx²', () => {
    // Counts 0, 1, 2, 1: mean 1, sample variance 2/3, t(0.975, 3) = 3.182446305284263.
    const { mean, interval } = perThousand(4, 4, 6);
    assert.equal(mean, 1000);
    const half = 3.182446305284263 * Math.sqrt(2 / 3 / 4) * 1000;
    assert.ok(Math.abs(interval!.high - (1000 + half)) < 1e-6 && Math.abs(interval!.low - Math.max(0, 1000 - half)) < 1e-6);
  });

  it('has no interval for fewer than 2 sessions, no mean for none; zero counts give [0, 0]', () => {
    assert.deepEqual(perThousand(0, 0, 0), { mean: null, interval: null });
    assert.deepEqual(perThousand(1, 2, 4), { mean: 2000, interval: null });
    assert.deepEqual(perThousand(10, 0, 0), { mean: 0, interval: { low: 0, high: 0 } });
  });
});
