import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import seedrandom from 'seedrandom';
import {
  distCdf,
  distMean,
  distQuantile,
  makeSampler,
  meanExcess,
  normQuantile,
  roundMicros,
  type DistSpec,
} from '../../src/model/distributions/index.js';
import { standardNormal } from '../../src/model/distributions/special.js';

const DRAWS = 200_000;
/**
 * Statistical checks allow K standard errors. With ~60 such checks per run, K = 4.5 keeps the
 * chance of a false failure for a correct implementation below 1e-3 (and the seed is fixed, so a
 * run either always passes or always fails).
 */
const K = 4.5;

function draw(spec: DistSpec, n = DRAWS, seed = 'x'): Float64Array {
  const sample = makeSampler(spec);
  const rng = seedrandom(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = sample(rng);
  return out;
}

function meanAndSd(xs: Float64Array): { mean: number; sd: number } {
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < xs.length; i++) {
    const delta = xs[i]! - mean;
    mean += delta / (i + 1);
    m2 += delta * (xs[i]! - mean);
  }
  return { mean, sd: Math.sqrt(m2 / (xs.length - 1)) };
}

/** Nearest-rank sample quantile. */
const sampleQuantile = (sorted: Float64Array, p: number): number => sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1]!;

const fractionAtMost = (xs: Float64Array, x: number): number => {
  let c = 0;
  for (const v of xs) if (v <= x) c++;
  return c / xs.length;
};

/** Binomial standard error of a proportion estimated from n draws. */
const proportionSe = (p: number, n: number): number => Math.sqrt((p * (1 - p)) / n);

/** Adaptive Simpson (Lyness 1969); used on each smooth piece between breakpoints. */
function simpson(f: (x: number) => number, a: number, b: number, eps: number): number {
  const rec = (lo: number, hi: number, flo: number, fmid: number, fhi: number, whole: number, tol: number, depth: number): number => {
    const mid = (lo + hi) / 2;
    const fl = f((lo + mid) / 2);
    const fr = f((mid + hi) / 2);
    const left = ((mid - lo) / 6) * (flo + 4 * fl + fmid);
    const right = ((hi - mid) / 6) * (fmid + 4 * fr + fhi);
    const delta = left + right - whole;
    if (depth <= 0 || Math.abs(delta) <= 15 * tol) return left + right + delta / 15;
    return rec(lo, mid, flo, fl, fmid, left, tol / 2, depth - 1) + rec(mid, hi, fmid, fr, fhi, right, tol / 2, depth - 1);
  };
  const fa = f(a);
  const fb = f(b);
  const fm = f((a + b) / 2);
  return rec(a, b, fa, fm, fb, ((b - a) / 6) * (fa + 4 * fm + fb), eps, 50);
}

/** E[(L−d)+] = ∫_d^∞ (1 − F(x)) dx, integrated numerically up to the (1 − 1e-12) quantile. */
function numericMeanExcess(spec: DistSpec, d: number, breakpoints: number[]): number {
  const upper = distQuantile(spec, 1 - 1e-12);
  if (upper <= d) return 0;
  // Quantile cuts give the adaptive rule a starting grid that follows the mass (a mixture's
  // components can sit orders of magnitude apart); the tolerance is relative to the scale of L.
  const quantileCuts = [1e-3, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 0.999, 1e-4, 1e-6, 1e-8].map((p, i) => distQuantile(spec, i < 9 ? p : 1 - p));
  const inner = [...breakpoints, ...quantileCuts].filter((x) => x > d && x < upper);
  const cuts = [d, ...[...new Set(inner)].sort((x, y) => x - y), upper];
  const eps = 1e-11 * (Math.abs(distMean(spec)) + Math.abs(d) + 1);
  // Evaluate just inside each piece so step CDFs are integrated piece by piece without their jumps.
  let total = 0;
  for (let i = 0; i + 1 < cuts.length; i++) {
    const lo = cuts[i]!;
    const hi = cuts[i + 1]!;
    const inside = (x: number): number => 1 - distCdf(spec, Math.min(Math.max(x, lo + (hi - lo) * 1e-12), hi - (hi - lo) * 1e-12));
    total += simpson(inside, lo, hi, eps);
  }
  return total;
}

interface Case {
  name: string;
  spec: DistSpec;
  /** Has atoms, so quantiles are compared as exact values rather than in probability space. */
  discrete: boolean;
  ps: number[];
  /** Points where the CDF jumps or kinks, for the numeric integration. */
  breakpoints: number[];
  thresholds: number[];
}

const EMPIRICAL_SAMPLES = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5];

const cases: Case[] = [
  { name: 'constant', spec: { dist: 'constant', value: 300 }, discrete: true, ps: [0.1, 0.5, 0.99], breakpoints: [300], thresholds: [-5, 100, 300, 400] },
  { name: 'uniform', spec: { dist: 'uniform', min: 100, max: 500 }, discrete: false, ps: [0.1, 0.5, 0.9], breakpoints: [100, 500], thresholds: [0, 250, 450, 600] },
  { name: 'exponential', spec: { dist: 'exponential', mean: 1000 }, discrete: false, ps: [0.1, 0.5, 0.99], breakpoints: [0], thresholds: [-10, 500, 3000] },
  { name: 'normal', spec: { dist: 'normal', mean: 500, sd: 200 }, discrete: false, ps: [0.1, 0.5, 0.99], breakpoints: [0], thresholds: [-10, 400, 900] },
  { name: 'normal (heavily truncated)', spec: { dist: 'normal', mean: 50, sd: 100 }, discrete: false, ps: [0.1, 0.5, 0.9], breakpoints: [0], thresholds: [-10, 20, 200] },
  { name: 'lognormal', spec: { dist: 'lognormal', median: 50, sigma: 1 }, discrete: false, ps: [0.1, 0.5, 0.99], breakpoints: [0], thresholds: [-10, 50, 300] },
  { name: 'pareto', spec: { dist: 'pareto', scale: 100, shape: 3 }, discrete: false, ps: [0.1, 0.5, 0.99], breakpoints: [100], thresholds: [0, 150, 400] },
  { name: 'empirical', spec: { dist: 'empirical', samples: EMPIRICAL_SAMPLES }, discrete: true, ps: [0.25, 0.5, 0.9], breakpoints: EMPIRICAL_SAMPLES, thresholds: [0, 3, 4.5, 9] },
  {
    name: 'mixture',
    spec: {
      dist: 'mixture',
      of: [
        { weight: 95, dist: { dist: 'normal', mean: 1000, sd: 200 } },
        { weight: 5, dist: { dist: 'lognormal', median: 2_000_000, sigma: 0.5 } },
      ],
    },
    discrete: false,
    ps: [0.1, 0.5, 0.97],
    breakpoints: [0],
    thresholds: [-10, 1000, 1_000_000],
  },
];

describe('distributions: sampling agrees with the closed forms', () => {
  for (const c of cases) {
    describe(c.name, () => {
      const xs = draw(c.spec);
      const sorted = Float64Array.from(xs).sort();

      it('sample mean is within K standard errors of distMean', () => {
        const { mean, sd } = meanAndSd(xs);
        const expected = distMean(c.spec);
        const tolerance = (K * sd) / Math.sqrt(xs.length) + 1e-12 * Math.abs(expected);
        assert.ok(Math.abs(mean - expected) <= tolerance, `mean ${mean} vs ${expected} (±${tolerance})`);
      });

      it('sample quantiles agree with distQuantile', () => {
        for (const p of c.ps) {
          const q = distQuantile(c.spec, p);
          const qHat = sampleQuantile(sorted, p);
          if (c.discrete) {
            // The count of draws ≤ q is Binomial(n, F(q)); and away from a jump the sample
            // quantile must land on exactly the same atom.
            const f = distCdf(c.spec, q);
            const se = proportionSe(f, xs.length);
            assert.ok(Math.abs(fractionAtMost(xs, q) - f) <= K * se + 1e-12, `p=${p}: fraction ≤ ${q}`);
            assert.equal(qHat, q, `p=${p}`);
          } else {
            // F(sample quantile) is a uniform order statistic: mean ≈ p, sd ≈ √(p(1−p)/n).
            const fHat = distCdf(c.spec, qHat);
            const tolerance = K * proportionSe(p, xs.length) + 1 / xs.length;
            assert.ok(Math.abs(fHat - p) <= tolerance, `p=${p}: F(${qHat}) = ${fHat} (quantile ${q})`);
          }
        }
      });

      it('mean excess matches the sample average of (x − d)+', () => {
        for (const d of c.thresholds) {
          const excess = xs.map((x) => Math.max(x - d, 0));
          const { mean, sd } = meanAndSd(excess);
          const expected = meanExcess(c.spec, d);
          const tolerance = (K * sd) / Math.sqrt(xs.length) + 1e-12 * Math.abs(expected);
          assert.ok(Math.abs(mean - expected) <= tolerance, `d=${d}: ${mean} vs ${expected} (±${tolerance})`);
        }
      });

      it('mean excess matches numeric integration of 1 − F', () => {
        for (const d of c.thresholds) {
          const expected = meanExcess(c.spec, d);
          const numeric = numericMeanExcess(c.spec, d, c.breakpoints);
          assert.ok(Math.abs(numeric - expected) <= 1e-6 * Math.max(1, expected), `d=${d}: numeric ${numeric} vs ${expected}`);
        }
      });

      it('cdf and quantile round-trip', () => {
        for (let i = 1; i < 100; i++) {
          const p = i / 100;
          const q = distQuantile(c.spec, p);
          if (c.discrete) {
            // Generalised inverse: F(q) ≥ p and nothing smaller qualifies.
            assert.ok(distCdf(c.spec, q) >= p - 1e-12, `F(Q(${p})) ≥ ${p}`);
            const below = q - 1e-9 * Math.max(1, Math.abs(q));
            assert.ok(distCdf(c.spec, below) < p, `F just below Q(${p}) < ${p}`);
          } else {
            assert.ok(Math.abs(distCdf(c.spec, q) - p) <= 1e-9, `F(Q(${p})) = ${distCdf(c.spec, q)}`);
            const back = distQuantile(c.spec, distCdf(c.spec, q));
            assert.ok(Math.abs(back - q) <= 1e-6 * Math.max(1, Math.abs(q)), `Q(F(${q})) = ${back}`);
          }
        }
      });
    });
  }
});

describe('distributions: specific properties', () => {
  it('lognormal(median 50, sigma 1) has the textbook CDF', () => {
    const spec: DistSpec = { dist: 'lognormal', median: 50, sigma: 1 };
    const cdf3 = (x: number): number => Math.round(distCdf(spec, x) * 1000) / 1000;
    assert.deepEqual([25, 50, 100, 200].map(cdf3), [0.244, 0.5, 0.756, 0.917]);
    assert.equal(distQuantile(spec, 0.5), 50);
    // p99 = median·exp(σ·z₀.₉₉) is how the schema converts a p99 input.
    assert.ok(Math.abs(distQuantile(spec, 0.99) - 50 * Math.exp(normQuantile(0.99))) < 1e-9);
  });

  it('the same seed gives the same draws; a different seed different ones', () => {
    for (const c of cases) {
      assert.deepEqual(draw(c.spec, 1000), draw(c.spec, 1000), c.name);
      if (!c.discrete || c.name === 'empirical') assert.notDeepEqual(draw(c.spec, 1000), draw(c.spec, 1000, 'y'), c.name);
    }
  });

  it('truncated normal never draws a negative value and its mean is the truncated mean', () => {
    const spec: DistSpec = { dist: 'normal', mean: -100, sd: 100 };
    const xs = draw(spec);
    assert.ok(xs.every((x) => x >= 0));
    // Truncation, not clamping: no atom at 0, and the mean is μ + σφ(α)/Z, not E[max(X, 0)].
    assert.equal(xs.filter((x) => x === 0).length, 0);
    const { mean, sd } = meanAndSd(xs);
    assert.ok(Math.abs(mean - distMean(spec)) <= (K * sd) / Math.sqrt(xs.length));
    assert.ok(Math.abs(distMean(spec) - 52.5135) < 1e-3, `${distMean(spec)}`);
    assert.equal(distCdf(spec, -1), 0);
    assert.equal(distCdf(spec, 0), 0);
    assert.equal(distQuantile(spec, 0), 0);
  });

  it('mixture components are drawn in proportion to their weights', () => {
    const spec: DistSpec = {
      dist: 'mixture',
      of: [
        { weight: 1, dist: { dist: 'constant', value: 1 } },
        { weight: 0, dist: { dist: 'constant', value: 99 } },
        { weight: 3, dist: { dist: 'constant', value: 2 } },
      ],
    };
    const xs = draw(spec);
    assert.ok(xs.every((x) => x === 1 || x === 2), 'a zero-weight component is never drawn');
    const share = fractionAtMost(xs, 1);
    assert.ok(Math.abs(share - 0.25) <= K * proportionSe(0.25, xs.length), `share of component 1: ${share}`);
    assert.equal(distMean(spec), 1.75);
    assert.equal(distCdf(spec, 1), 0.25);
    assert.equal(distQuantile(spec, 0.25), 1);
    assert.equal(distQuantile(spec, 0.26), 2);
    assert.equal(meanExcess(spec, 1.5), 0.375);
  });

  it('mixture: the spike component shows up at its weight', () => {
    const spikes = cases.find((c) => c.name === 'mixture')!;
    const xs = draw(spikes.spec);
    const share = 1 - fractionAtMost(xs, 100_000);
    assert.ok(Math.abs(share - 0.05) <= K * proportionSe(0.05, xs.length), `${share}`);
  });

  it('pareto with shape ≤ 1 has infinite mean and mean excess', () => {
    const spec: DistSpec = { dist: 'pareto', scale: 10, shape: 1 };
    assert.equal(distMean(spec), Infinity);
    assert.equal(meanExcess(spec, 50), Infinity);
    assert.equal(distQuantile(spec, 0.5), 20);
    assert.equal(distQuantile(spec, 0), 10);
    assert.equal(distQuantile(spec, 1), Infinity);
  });

  it('extreme uniforms (0 and just below 1) give finite draws', () => {
    const zeros = (): number => 0;
    const almostOne = (): number => 1 - 2 ** -53;
    for (const c of cases) {
      for (const u of [zeros, almostOne]) {
        const x = makeSampler(c.spec)(u);
        assert.ok(Number.isFinite(x), `${c.name}: ${x}`);
      }
    }
    assert.equal(standardNormal(zeros), 0);
    assert.equal(makeSampler({ dist: 'exponential', mean: 10 })(zeros), 0);
    assert.equal(makeSampler({ dist: 'pareto', scale: 10, shape: 2 })(zeros), 10);
    assert.equal(makeSampler({ dist: 'empirical', samples: [1, 2, 3] })(almostOne), 3);
  });

  it('degenerate parameters behave as point masses', () => {
    assert.equal(makeSampler({ dist: 'exponential', mean: 0 })(Math.random), 0);
    assert.equal(makeSampler({ dist: 'normal', mean: 7, sd: 0 })(Math.random), 7);
    assert.equal(makeSampler({ dist: 'lognormal', median: 7, sigma: 0 })(Math.random), 7);
    assert.equal(makeSampler({ dist: 'uniform', min: 7, max: 7 })(Math.random), 7);
    assert.equal(distCdf({ dist: 'uniform', min: 7, max: 7 }, 7), 1);
    assert.equal(distCdf({ dist: 'uniform', min: 7, max: 7 }, 6.9), 0);
  });

  it('rejects invalid specs with plain Errors', () => {
    assert.throws(() => makeSampler({ dist: 'empirical', file: 'lag.csv' }), (e: unknown) => e instanceof Error && /samples/.test(e.message));
    assert.throws(() => makeSampler({ dist: 'empirical', samples: [] }), Error);
    assert.throws(() => makeSampler({ dist: 'uniform', min: 2, max: 1 }), Error);
    assert.throws(() => makeSampler({ dist: 'normal', mean: -1, sd: 0 }), Error);
    assert.throws(() => makeSampler({ dist: 'mixture', of: [] }), Error);
    assert.throws(() => makeSampler({ dist: 'mixture', of: [{ weight: 0, dist: { dist: 'constant', value: 1 } }] }), Error);
    assert.throws(() => distQuantile({ dist: 'constant', value: 1 }, 1.5), RangeError);
  });

  it('roundMicros rounds half up', () => {
    assert.deepEqual([1.5, 2.5, 2.4999, -0.5, -1.5, -1.6, 0].map(roundMicros), [2, 3, 2, 0, -1, -2, 0]);
  });
});
