/**
 * Output analysis of one run (batch means) and of several runs (independent replications), for
 * ratio estimators R = Σy / Σx: an anomaly rate (y violations, x eligible key-reads), a mean latency
 * (y summed latency, x operations), a utilisation (y busy time, x capacity time).
 *
 * Why not count key-reads as independent: neighbouring key-reads fail together (a held lag level,
 * a slow entry at the head of the log, a queue, a hot key), so the variance of R is larger than
 * R(1 − R)/n. Batch means (Law & Kelton, "Simulation Modeling and Analysis", 5th ed., §9.5.3)
 * estimate it from totals over consecutive stretches of simulated time, long enough that their
 * totals are nearly uncorrelated; the batch size is chosen as Fishman's LBATCH does (Fishman &
 * Yarberry 1997): merge neighbouring batches pairwise until von Neumann's test no longer finds
 * lag-1 autocorrelation (one-sided, α = 0.10).
 *
 * The ratio's variance is the linearised (delta-method) one of classical ratio estimation
 * (Cochran, "Sampling Techniques", §6.4): with residuals dⱼ = yⱼ − R·xⱼ over b batches,
 *   Var(R) ≈ Σ dⱼ² / (b (b − 1) x̄²).
 * A rate's interval is then Wilson's score interval on the effective sample size
 * n_eff = R(1 − R) / Var(R), reduced for the b − 1 degrees of freedom by (z / t_{b−1})² (Korn &
 * Graubard 1998, "Confidence intervals for proportions with small expected number of positive
 * counts estimated from survey data", Survey Methodology 24:193): it stays inside [0, 1], is
 * Wilson's own interval when key-reads are independent, and has a sensible bound at 0 or all
 * violations, where no variance can be estimated: there n_eff = n (see `rateInterval`).
 * A mean's interval is R ± t_{b−1}·√Var(R).
 */
import { tQuantile } from './pairedDiff.js';
import { wilsonScore, Z_95, type Interval } from './wilson.js';

/** How an interval was obtained, for `--json` readers. */
export type IntervalMethod =
  /** Batch means over one run's measured period. */
  | 'batch-means'
  /** Independent replications: one value per seed. */
  | 'replications'
  /** A percentile of one run: sections of the measured period (sectionedQuantile.ts). */
  | 'sectioning'
  /** No violation (or nothing but violations) observed: Wilson's bound on the key-reads as if independent. */
  | 'no-variance';

export interface EstimateInterval extends Interval {
  method: IntervalMethod;
  /** Batches (or replications) behind the interval. */
  batches: number;
  /** Degrees of freedom of the t quantile used (batches − 1). */
  df: number;
  /** For rates: the number of independent key-reads the interval is worth (n_eff before the df correction). */
  effectiveSampleSize?: number;
}

/** Why a run reports no interval although it has data. */
export interface Untrusted {
  reason: string;
}

/** Batches below which batch means are not trusted (t with 7 degrees of freedom). */
export const MIN_BATCHES = 8;
/**
 * Batches above which they are merged even when the test finds no correlation: the test misses
 * weak correlation spread over many small batches, and past about 30 batches more of them buy
 * little (Schmeiser 1982, "Batch size effects in the analysis of simulation output").
 */
export const MAX_BATCHES = 32;
/** Φ⁻¹(1 − α) for the one-sided significance α = 0.10 of the autocorrelation test (LBATCH's choice). */
const Z_ALPHA = 1.2815515655446004;
/**
 * Φ⁻¹(0.99): the evidence of correlation that withholds an interval at the fewest batches. Withholding
 * at α = 0.10 would withhold one honest interval in ten.
 */
const Z_WITHHOLD = 2.3263478740408408;

export interface RatioBatches {
  /** Σy / Σx, or null when Σx = 0. */
  estimate: number | null;
  /** Estimated variance of the estimate (null when it cannot be estimated). */
  variance: number | null;
  /** Batches used after merging. */
  batches: number;
  /** Σx. */
  total: number;
  /** Set when the batch means cannot be trusted. */
  untrusted: Untrusted | null;
}

/**
 * Von Neumann's ratio test of lag-1 autocorrelation, as LBATCH uses it: C = 1 − Σ(dⱼ − dⱼ₊₁)² /
 * (2 Σ(dⱼ − d̄)²) is approximately normal with mean 0 and variance (b − 2)/(b² − 1) when the dⱼ are
 * independent. Returns true when positive correlation is significant at α = 0.10. A series without
 * spread carries no evidence of correlation.
 */
export function lag1Correlated(d: Float64Array, b: number, zCritical = Z_ALPHA): boolean {
  if (b < 3) return false;
  let mean = 0;
  for (let j = 0; j < b; j++) mean += d[j]!;
  mean /= b;
  let spread = 0;
  let successive = 0;
  for (let j = 0; j < b; j++) {
    const centred = d[j]! - mean;
    spread += centred * centred;
    if (j + 1 < b) {
      const step = d[j]! - d[j + 1]!;
      successive += step * step;
    }
  }
  if (!(spread > 0)) return false;
  const c = 1 - successive / (2 * spread);
  return c / Math.sqrt((b - 2) / (b * b - 1)) > zCritical;
}

/** Adds neighbouring pairs in place: the first b/2 entries become the merged batches. */
function mergePairs(values: Float64Array, b: number): void {
  for (let j = 0; j < b >> 1; j++) values[j] = values[2 * j]! + values[2 * j + 1]!;
}

/** Residuals yⱼ − R·xⱼ of the first b batches into `out`. */
function residuals(y: Float64Array, x: Float64Array, b: number, ratio: number, out: Float64Array): void {
  for (let j = 0; j < b; j++) out[j] = y[j]! - ratio * x[j]!;
}

/** The classical ratio estimator's variance from b batch totals (see the module comment). */
function ratioVariance(d: Float64Array, b: number, total: number): number {
  let sum = 0;
  for (let j = 0; j < b; j++) sum += d[j]! * d[j]!;
  const meanX = total / b;
  return sum / (b * (b - 1) * meanX * meanX);
}

/**
 * Batch means of a ratio over `y` and `x` given per fine time bin (a power of two of them, as
 * `TimeBatches` records): merges neighbouring bins until the residuals pass the lag-1 test, down to
 * MIN_BATCHES. The inputs are not changed.
 */
export function ratioBatchMeans(yBins: ArrayLike<number>, xBins: ArrayLike<number>): RatioBatches {
  const bins = xBins.length;
  if (yBins.length !== bins) throw new RangeError(`ratioBatchMeans: ${yBins.length} y bins vs ${bins} x bins`);
  // Every merge must pair whole batches.
  if ((bins & (bins - 1)) !== 0) throw new RangeError(`ratioBatchMeans: ${bins} bins is not a power of two`);
  const y = Float64Array.from(yBins);
  const x = Float64Array.from(xBins);
  let sumY = 0;
  let total = 0;
  for (let j = 0; j < bins; j++) {
    sumY += y[j]!;
    total += x[j]!;
  }
  if (total === 0) return { estimate: null, variance: null, batches: 0, total, untrusted: null };
  const ratio = sumY / total;
  const d = new Float64Array(bins);
  let b = bins;
  residuals(y, x, b, ratio, d);
  const merge = (): void => {
    mergePairs(y, b);
    mergePairs(x, b);
    b >>= 1;
    residuals(y, x, b, ratio, d);
  };
  while (b > MIN_BATCHES && lag1Correlated(d, b)) merge();
  // The test never accepted: correlated at every batch count down to the fewest.
  const neverAccepted = b === MIN_BATCHES && lag1Correlated(d, b);
  // Where the test found correlation, one merge beyond its verdict: at 16 to 32 batches it misses
  // correlation that spans about a batch (an apply queue near saturation, a held lag level), and
  // coverage falls to about 90% (test/metrics/coverage.test.ts).
  const correlationFound = b < bins;
  const target = Math.min(MAX_BATCHES, correlationFound ? Math.max(MIN_BATCHES, b >> 1) : b);
  while (b > target) merge();
  let occupied = 0;
  for (let j = 0; j < b; j++) if (x[j]! > 0) occupied++;
  let untrusted: Untrusted | null = null;
  if (b < MIN_BATCHES) untrusted = { reason: `only ${b} batches` };
  else if (occupied < MIN_BATCHES) untrusted = { reason: `data in only ${occupied} of ${b} batches: run longer` };
  else if (neverAccepted || lag1Correlated(d, b, Z_WITHHOLD)) untrusted = { reason: `batch means still correlated at ${b} batches: run longer` };
  return { estimate: ratio, variance: b > 1 ? ratioVariance(d, b, total) : null, batches: b, total, untrusted };
}

/**
 * A rate's 95% interval from its ratio estimate (see the module comment): Wilson's score interval
 * on the effective sample size, corrected for `df` degrees of freedom. With no variance to go on
 * (no violation, or only violations) the key-reads count as independent: Wilson's bound on n.
 */
export function rateInterval(
  estimate: number,
  variance: number,
  n: number,
  batches: number,
  method: Exclude<IntervalMethod, 'no-variance'>,
): EstimateInterval {
  const df = batches - 1;
  if (estimate <= 0 || estimate >= 1 || !(variance > 0)) {
    return { ...wilsonScore(Math.min(1, Math.max(0, estimate)), n), method: 'no-variance', batches, df, effectiveSampleSize: n };
  }
  // Not capped at n: an estimate of the variance below the binomial one is as likely as one above
  // when key-reads are independent, and capping would widen every such interval.
  const effective = (estimate * (1 - estimate)) / variance;
  const t = tQuantile(0.975, df);
  const corrected = effective * (Z_95 / t) ** 2;
  return { ...wilsonScore(estimate, corrected), method, batches, df, effectiveSampleSize: Math.round(effective) };
}

/** The values a quantity can take: a latency, lag or utilisation is at least 0, a rate within [0, 1]. */
export type Range = readonly [lowest: number, highest: number];
export const NON_NEGATIVE: Range = [0, Infinity];
export const RATE_RANGE: Range = [0, 1];
/** The difference of two rates (a paired difference of strategies): within ±1. */
export const RATE_DIFFERENCE_RANGE: Range = [-1, 1];
export const ANY_VALUE: Range = [-Infinity, Infinity];

/**
 * `interval` with its ends kept inside `range`. The truth lies in the range, so an interval clipped
 * to it contains the truth whenever the unclipped one did: coverage is kept, and no mean latency
 * is reported as possibly negative.
 */
export function clipped<T extends Interval>(interval: T, [lowest, highest]: Range): T {
  return { ...interval, low: Math.min(highest, Math.max(lowest, interval.low)), high: Math.max(lowest, Math.min(highest, interval.high)) };
}

/** A mean's 95% interval: estimate ± t_{df}·√variance, clipped to the quantity's range. */
export function meanInterval(
  estimate: number,
  variance: number,
  batches: number,
  method: Exclude<IntervalMethod, 'no-variance'>,
  range: Range,
): EstimateInterval {
  const df = batches - 1;
  const half = tQuantile(0.975, df) * Math.sqrt(Math.max(0, variance));
  return clipped({ low: estimate - half, high: estimate + half, method, batches, df }, range);
}

/** What a summary shows for one estimate: the interval, or why there is none. */
export interface Precision {
  interval: EstimateInterval | null;
  /** Set (and `interval` null) when the data cannot support an interval. */
  untrusted: Untrusted | null;
}

const NO_DATA: Precision = { interval: null, untrusted: null };

/**
 * Why an estimate with data has no interval, for the summary's `…IntervalWithheld` fields and the
 * tables' `[no interval]` lines: the reason the data could not support one.
 */
export function withheldReason(precision: Precision): string {
  return precision.untrusted?.reason ?? 'too few batches';
}

/** A rate over one run's time bins: batch means, then the rate interval (or why there is none). */
export function runRatePrecision(yBins: ArrayLike<number>, xBins: ArrayLike<number>): Precision {
  const r = ratioBatchMeans(yBins, xBins);
  if (r.estimate === null) return NO_DATA;
  if (r.estimate === 0 || r.estimate === 1) {
    return { interval: rateInterval(r.estimate, 0, r.total, Math.max(r.batches, 2), 'batch-means'), untrusted: null };
  }
  if (r.untrusted !== null || r.variance === null) return { interval: null, untrusted: r.untrusted ?? { reason: 'too few batches' } };
  return { interval: rateInterval(r.estimate, r.variance, r.total, r.batches, 'batch-means'), untrusted: null };
}

/**
 * A mean over one run's time bins (y summed values, x counts or capacity): batch means, then the
 * t-interval. Every such mean lagsim reports (latency, wait, lag, utilisation, queue length,
 * reactions per session) is of a quantity that is never negative.
 */
export function runMeanPrecision(yBins: ArrayLike<number>, xBins: ArrayLike<number>): Precision {
  const r = ratioBatchMeans(yBins, xBins);
  if (r.estimate === null) return NO_DATA;
  if (r.untrusted !== null || r.variance === null) return { interval: null, untrusted: r.untrusted ?? { reason: 'too few batches' } };
  return { interval: meanInterval(r.estimate, r.variance, r.batches, 'batch-means', NON_NEGATIVE), untrusted: null };
}

/**
 * The ratio estimator over independent replications (one (y, x) pair per seed), with the same
 * variance formula: the seeds are the batches, and nothing needs merging.
 */
export function replicationRatio(y: readonly number[], x: readonly number[]): RatioBatches {
  const n = x.length;
  let sumY = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    sumY += y[i]!;
    total += x[i]!;
  }
  if (total === 0) return { estimate: null, variance: null, batches: n, total, untrusted: null };
  const ratio = sumY / total;
  if (n < 2) return { estimate: ratio, variance: null, batches: n, total, untrusted: { reason: 'one replication' } };
  const d = new Float64Array(n);
  residuals(Float64Array.from(y), Float64Array.from(x), n, ratio, d);
  return { estimate: ratio, variance: ratioVariance(d, n, total), batches: n, total, untrusted: null };
}

/** A pooled rate over seeds with its replication interval (Wilson on the effective sample size). */
export function replicationRatePrecision(y: readonly number[], x: readonly number[]): Precision {
  const r = replicationRatio(y, x);
  if (r.estimate === null) return NO_DATA;
  if (r.estimate === 0 || r.estimate === 1) {
    return { interval: rateInterval(r.estimate, 0, r.total, Math.max(r.batches, 2), 'replications'), untrusted: null };
  }
  if (r.variance === null) return { interval: null, untrusted: r.untrusted };
  return { interval: rateInterval(r.estimate, r.variance, r.total, r.batches, 'replications'), untrusted: null };
}

/** The mean of per-seed values of a quantity in `range` (e.g. each run's p99) with its t-interval over the seeds. */
export function replicationMeanPrecision(values: readonly number[], range: Range): { estimate: number | null } & Precision {
  const n = values.length;
  if (n === 0) return { estimate: null, ...NO_DATA };
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < n; i++) {
    const delta = values[i]! - mean;
    mean += delta / (i + 1);
    m2 += delta * (values[i]! - mean);
  }
  if (n < 2) return { estimate: mean, interval: null, untrusted: { reason: 'one replication' } };
  return { estimate: mean, interval: meanInterval(mean, m2 / (n - 1) / n, n, 'replications', range), untrusted: null };
}
