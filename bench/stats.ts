import { tQuantile } from '../src/metrics/pairedDiff.js';
import { wilson, type Interval } from '../src/metrics/wilson.js';

/** Median, min and max of repeated measurements (the benchmark's table). */
export interface Spread {
  median: number;
  min: number;
  max: number;
  values: number[];
}

export function spread(values: readonly number[]): Spread {
  if (values.length === 0) throw new RangeError('spread of no values');
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, values: [...values] };
}

export function mean(values: readonly number[]): number {
  return values.reduce((sum, x) => sum + x, 0) / values.length;
}

function variance(values: readonly number[]): number {
  const m = mean(values);
  return values.reduce((sum, x) => sum + (x - m) ** 2, 0) / (values.length - 1);
}

/** A mean with its 95% Student-t interval over independent replications (seeds). */
export interface MeanInterval {
  mean: number;
  low: number;
  high: number;
  n: number;
}

export function tInterval(values: readonly number[], level = 0.95): MeanInterval | null {
  if (values.length < 2) return null;
  const m = mean(values);
  const half = tQuantile(1 - (1 - level) / 2, values.length - 1) * Math.sqrt(variance(values) / values.length);
  return { mean: m, low: m - half, high: m + half, n: values.length };
}

/** Welch's interval for mean(a) − mean(b) (unequal variances, Welch–Satterthwaite df). */
export function welch(a: readonly number[], b: readonly number[], level = 0.95): MeanInterval | null {
  if (a.length < 2 || b.length < 2) return null;
  const va = variance(a) / a.length;
  const vb = variance(b) / b.length;
  const diff = mean(a) - mean(b);
  const se = Math.sqrt(va + vb);
  if (se === 0) return { mean: diff, low: diff, high: diff, n: a.length + b.length };
  const df = (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  const half = tQuantile(1 - (1 - level) / 2, df) * se;
  return { mean: diff, low: diff - half, high: diff + half, n: a.length + b.length };
}

/** A pooled proportion with its Wilson interval (what one run's summary reports). */
export interface PooledRate {
  successes: number;
  n: number;
  rate: number | null;
  interval: Interval | null;
}

export function pooled(successes: number, n: number): PooledRate {
  return { successes, n, rate: n === 0 ? null : successes / n, interval: wilson(successes, n) };
}

export function overlaps(a: { low: number; high: number } | null, b: { low: number; high: number } | null): boolean | null {
  if (a === null || b === null) return null;
  return a.low <= b.high && b.low <= a.high;
}
