/**
 * Paired comparison of two runs measured on the same seeds: dᵢ = aᵢ − bᵢ, reported as the mean
 * difference with a Student-t confidence interval d̄ ± t_{(1+level)/2, n−1} · s_d/√n.
 * Pairing removes the between-seed variance the two runs share.
 */
import { normQuantile } from '../model/distributions/special.js';
import type { Interval } from './wilson.js';

export interface PairedDifference {
  n: number;
  /** Mean of aᵢ − bᵢ; null when there are no pairs. */
  meanDiff: number | null;
  /** Sample standard deviation (n − 1 denominator) of the differences; null for n < 2. */
  sdDiff: number | null;
  /** Two-sided t-interval for the mean difference; null for n < 2. */
  interval: Interval | null;
}

export function pairedDifference(a: readonly number[], b: readonly number[], level = 0.95): PairedDifference {
  if (a.length !== b.length) throw new RangeError(`pairedDifference: ${a.length} vs ${b.length} values; pairs must match`);
  if (!(level > 0 && level < 1)) throw new RangeError(`pairedDifference: level must be in (0, 1), got ${level}`);
  const n = a.length;
  if (n === 0) return { n, meanDiff: null, sdDiff: null, interval: null };
  // Welford's update: numerically stable mean and sum of squared deviations in one pass.
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    const delta = d - mean;
    mean += delta / (i + 1);
    m2 += delta * (d - mean);
  }
  if (n < 2) return { n, meanDiff: mean, sdDiff: null, interval: null };
  const sd = Math.sqrt(m2 / (n - 1));
  const half = tQuantile((1 + level) / 2, n - 1) * (sd / Math.sqrt(n));
  return { n, meanDiff: mean, sdDiff: sd, interval: { low: mean - half, high: mean + half } };
}

// Lanczos approximation to ln Γ (g = 7, 9 terms; relative error ~1e-15).
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

export function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
  const y = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (y + i);
  const t = y + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Continued fraction for the incomplete beta (Numerical Recipes §6.4, modified Lentz). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 100000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return h;
}

/** Regularised incomplete beta I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
  // Use the fraction on whichever side converges quickly (NR: x < (a+1)/(a+b+2)).
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(a, b, x)) / a;
  return 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** P(T > t) for t ≥ 0 with df degrees of freedom: ½·I_{df/(df+t²)}(df/2, ½). */
function tUpperTail(t: number, df: number): number {
  return 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/** Student-t CDF. */
export function tCdf(t: number, df: number): number {
  const upper = tUpperTail(Math.abs(t), df);
  return t >= 0 ? 1 - upper : upper;
}

/**
 * Student-t quantile t_{p, df}: closed forms for df = 1 (Cauchy) and df = 2, the Cornish–Fisher
 * expansion around the normal quantile for very large df (error O(df⁻³)), and otherwise bisection
 * on the exact tail probability until the bracket cannot be split in double precision.
 */
export function tQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`tQuantile: p must be in (0, 1), got ${p}`);
  if (!(df > 0)) throw new RangeError(`tQuantile: df must be > 0, got ${df}`);
  if (p === 0.5) return 0;
  if (p < 0.5) return -tQuantile(1 - p, df);
  if (df === 1) return Math.tan(Math.PI * (p - 0.5));
  if (df === 2) return (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
  const upper = 1 - p;
  if (df > 1e5) {
    const z = -normQuantile(upper);
    const z3 = z * z * z;
    const z5 = z3 * z * z;
    return z + (z3 + z) / (4 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96 * df * df);
  }
  let lo = 0;
  let hi = 1;
  while (tUpperTail(hi, df) > upper) {
    lo = hi;
    hi *= 2;
  }
  for (let i = 0; i < 2200; i++) {
    const mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) break;
    if (tUpperTail(mid, df) > upper) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
