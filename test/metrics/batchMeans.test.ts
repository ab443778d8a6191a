import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import seedrandom from 'seedrandom';
import {
  clipped,
  lag1Correlated,
  NON_NEGATIVE,
  RATE_RANGE,
  MAX_BATCHES,
  MIN_BATCHES,
  rateInterval,
  ratioBatchMeans,
  replicationMeanPrecision,
  replicationRatePrecision,
  runMeanPrecision,
  runRatePrecision,
} from '../../src/metrics/batchMeans.js';
import { tQuantile } from '../../src/metrics/pairedDiff.js';
import { TimeBatches } from '../../src/metrics/timeBatches.js';
import { wilson } from '../../src/metrics/wilson.js';

/** An AR(1) series x_t = φ·x_{t−1} + ε_t of length n (a seeded stream). */
function ar1(n: number, phi: number, seed: string): Float64Array {
  const random = seedrandom(seed);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const out = new Float64Array(n);
  let x = 0;
  for (let t = 0; t < n; t++) out[t] = x = phi * x + normal();
  return out;
}

describe('lag1Correlated (von Neumann ratio test, one-sided α = 0.10)', () => {
  it('finds the correlation of an AR(1) series with φ = 0.5 and not that of white noise, mostly', () => {
    let correlated = 0;
    let white = 0;
    for (let k = 0; k < 200; k++) {
      if (lag1Correlated(ar1(256, 0.5, `ar-${k}`), 256)) correlated++;
      if (lag1Correlated(ar1(256, 0, `wn-${k}`), 256)) white++;
    }
    assert.ok(correlated >= 195, `power: ${correlated}/200`);
    // Under independence the test rejects with probability α = 0.10: 20 of 200, binomial band 9–33.
    assert.ok(white >= 9 && white <= 33, `size: ${white}/200`);
  });

  it('a constant series carries no evidence of correlation', () => {
    assert.equal(lag1Correlated(new Float64Array(64).fill(3), 64), false);
  });
});

describe('ratioBatchMeans', () => {
  it('is Σy/Σx with the classical ratio variance when the bins are independent', () => {
    // 32 bins of 100 trials with p = 0.3: nothing to merge below MAX_BATCHES, then one safety merge.
    const random = seedrandom('binomial');
    const x = new Float64Array(32).fill(100);
    const y = x.map((n) => {
      let s = 0;
      for (let i = 0; i < n; i++) if (random() < 0.3) s++;
      return s;
    });
    const r = ratioBatchMeans(y, x);
    const sumY = y.reduce((a, b) => a + b, 0);
    assert.equal(r.estimate, sumY / 3200);
    assert.ok([8, 16, 32].includes(r.batches), `batches ${r.batches}`);
    assert.equal(r.untrusted, null);
    // Var(R) ≈ p(1 − p)/n for independent trials: within a factor 2 (16 batches: χ²₁₅/15 spread).
    const binomial = (0.3 * 0.7) / 3200;
    assert.ok(r.variance! > binomial / 2 && r.variance! < binomial * 2, `variance ${r.variance} vs ${binomial}`);
  });

  it('merges strongly correlated bins further than independent ones', () => {
    const bins = 1024;
    const x = new Float64Array(bins).fill(10);
    const correlated = ar1(bins, 0.95, 'slow').map((v) => 5 + v);
    const white = ar1(bins, 0, 'white').map((v) => 5 + v);
    assert.ok(ratioBatchMeans(correlated, x).batches < ratioBatchMeans(white, x).batches);
    assert.ok(ratioBatchMeans(white, x).batches <= MAX_BATCHES);
  });

  it('withholds an interval when the data fall in fewer than MIN_BATCHES batches', () => {
    const x = new Float64Array(1024);
    const y = new Float64Array(1024);
    for (const bin of [3, 700]) {
      x[bin] = 50;
      y[bin] = 10;
    }
    const r = runRatePrecision(y, x);
    assert.equal(r.interval, null);
    assert.match(r.untrusted!.reason, /^data in only 2 of \d+ batches: run longer$/);
  });

  it('refuses a bin count that is not a power of two, and has no estimate without data', () => {
    assert.throws(() => ratioBatchMeans(new Float64Array(12), new Float64Array(12)), /power of two/);
    assert.deepEqual(runRatePrecision(new Float64Array(16), new Float64Array(16)), { interval: null, untrusted: null });
  });
});

describe('rateInterval (Wilson on the effective sample size, Korn & Graubard 1998)', () => {
  it('is Wilson’s interval when the variance is the binomial one and the degrees of freedom are many', () => {
    const p = 0.2;
    const n = 5000;
    const interval = rateInterval(p, (p * (1 - p)) / n, n, 1e6, 'batch-means');
    const plain = wilson(1000, 5000)!;
    assert.ok(Math.abs(interval.low - plain.low) < 1e-5 && Math.abs(interval.high - plain.high) < 1e-5, JSON.stringify(interval));
    assert.equal(interval.effectiveSampleSize, n);
  });

  it('widens with the design effect and with few degrees of freedom', () => {
    const p = 0.2;
    const n = 5000;
    const deff4 = rateInterval(p, (4 * p * (1 - p)) / n, n, 1e6, 'batch-means');
    assert.equal(deff4.effectiveSampleSize, 1250);
    const plain = wilson(1000, 5000)!;
    // Four times the variance: about twice the width.
    const ratio = (deff4.high - deff4.low) / (plain.high - plain.low);
    assert.ok(ratio > 1.95 && ratio < 2.05, `width ratio ${ratio}`);
    const fewBatches = rateInterval(p, (4 * p * (1 - p)) / n, n, 8, 'batch-means');
    const tRatio = (fewBatches.high - fewBatches.low) / (deff4.high - deff4.low);
    assert.ok(Math.abs(tRatio - tQuantile(0.975, 7) / 1.959963984540054) < 0.03, `t correction ${tRatio}`);
  });

  it('at 0 violations is Wilson’s bound on the key-reads, [0, z²/(n + z²)], and says so', () => {
    const interval = rateInterval(0, 0, 1000, 16, 'batch-means');
    assert.equal(interval.method, 'no-variance');
    assert.equal(interval.low, 0);
    assert.ok(Math.abs(interval.high - wilson(0, 1000)!.high) < 1e-12);
  });
});

describe('runMeanPrecision', () => {
  it('covers the mean of i.i.d. exponential values (t-interval over batches)', () => {
    let covered = 0;
    let withheld = 0;
    for (let k = 0; k < 200; k++) {
      const random = seedrandom(`exp-${k}`);
      const sum = new Float64Array(256);
      const count = new Float64Array(256).fill(20);
      for (let b = 0; b < 256; b++) for (let i = 0; i < 20; i++) sum[b]! += -Math.log(1 - random()) * 10;
      const interval = runMeanPrecision(sum, count).interval;
      if (interval === null) withheld++;
      else if (interval.low <= 10 && 10 <= interval.high) covered++;
    }
    // The 1% test that withholds an interval fires by chance about twice in 200.
    assert.ok(withheld <= 8, `withheld ${withheld}/200`);
    // 95% of the intervals shown: binomial band ±2.6 sd.
    const shown = 200 - withheld;
    const sd = Math.sqrt(shown * 0.95 * 0.05);
    assert.ok(Math.abs(covered - 0.95 * shown) <= 2.6 * sd, `covered ${covered}/${shown}`);
  });
});

describe('replications', () => {
  it('pool the seeds’ counts and take their spread from the seeds', () => {
    const r = replicationRatePrecision([10, 30, 20], [100, 100, 100]);
    assert.equal(r.interval!.method, 'replications');
    assert.equal(r.interval!.df, 2);
    assert.ok(r.interval!.low < 0.2 && r.interval!.high > 0.2);
    // One seed has no spread to go on.
    assert.equal(replicationRatePrecision([10], [100]).interval, null);
  });

  it('give the mean of per-seed values with a t-interval', () => {
    const r = replicationMeanPrecision([1, 2, 3, 4], NON_NEGATIVE);
    assert.equal(r.estimate, 2.5);
    const half = tQuantile(0.975, 3) * Math.sqrt(5 / 3 / 4);
    assert.ok(Math.abs(r.interval!.high - (2.5 + half)) < 1e-12);
    assert.ok(Math.abs(r.interval!.low - (2.5 - half)) < 1e-12);
  });

  it('clip an interval to the range of its quantity: a p99 over seeds is never below 0, a rate never outside [0, 1]', () => {
    // Spread over seeds wide enough that estimate − half is below 0 (half = t_{0.975,2}·s/√3 ≈ 84.8).
    const p99s = replicationMeanPrecision([1, 2, 120], NON_NEGATIVE);
    const half = tQuantile(0.975, 2) * Math.sqrt(((1 - 41) ** 2 + (2 - 41) ** 2 + (120 - 41) ** 2) / 2 / 3);
    assert.deepEqual([p99s.interval!.low, p99s.interval!.high], [0, 41 + half]);
    assert.ok(replicationMeanPrecision([1, 2, 120], [-Infinity, Infinity]).interval!.low < 0);
    const rate = { low: -0.02, high: 1.3 };
    assert.deepEqual(clipped(rate, RATE_RANGE), { low: 0, high: 1 });
    assert.deepEqual(clipped({ low: 0.2, high: 0.3 }, RATE_RANGE), { low: 0.2, high: 0.3 });
    // An interval wholly outside collapses onto the nearest end (it cannot happen for an estimate in range).
    assert.deepEqual(clipped({ low: -3, high: -1 }, NON_NEGATIVE), { low: 0, high: 0 });
  });
});

describe('TimeBatches', () => {
  it('turns cumulative counters into per-bin totals, an event at a boundary counting in the new bin', () => {
    let counter = 0;
    const batches = new TimeBatches(1000, 400, [() => counter], 4);
    const events = [1000, 1050, 1100, 1100, 1350, 1399, 1500];
    for (const t of events) {
      batches.advanceTo(t);
      counter++;
    }
    batches.finish();
    assert.deepEqual([...batches.totals(0)], [2, 2, 0, 3]);
    assert.equal(MIN_BATCHES, 8);
  });
});
