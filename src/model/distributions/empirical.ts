import { z } from 'zod';
import { FilePath, Name } from '../fields.js';
import { messages } from '../../text/messages.js';
import { Duration } from '../fields.js';
import { defineDist, type Sampler } from './types.js';

/**
 * Empirical distribution of a sample: a draw is a uniformly chosen sample (bootstrap), so the CDF
 * is the step function F(x) = #{samples ≤ x}/n and the mean is the sample mean.
 * The spec is treated as immutable: sorted copies are cached per samples array.
 */
export type EmpiricalSpec = { dist: 'empirical'; samples?: number[]; file?: string; column?: string };

function samplesOf(spec: EmpiricalSpec): number[] {
  const samples = spec.samples;
  if (samples === undefined) {
    throw new Error(`empirical: samples not loaded${spec.file === undefined ? '' : ` (file ${spec.file})`}`);
  }
  return samples;
}

const sortedCache = new WeakMap<number[], Float64Array>();

function sortedOf(spec: EmpiricalSpec): Float64Array {
  const samples = samplesOf(spec);
  let sorted = sortedCache.get(samples);
  if (sorted === undefined) {
    sorted = Float64Array.from(samples).sort();
    sortedCache.set(samples, sorted);
  }
  return sorted;
}

/** Number of entries ≤ x in an ascending array (upper bound by binary search). */
function countAtMost(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export const empiricalDist = defineDist<EmpiricalSpec>()({
  summary: 'draws uniformly from measured values: `samples` or a CSV `file`',
  fields: () => ({
    samples: z.array(Duration).min(1).optional().describe('the measured values (durations)'),
    file: FilePath.optional().describe('CSV file of milliseconds, relative to the scenario file'),
    column: Name.optional().describe('header of the CSV column to use (default: the only column)'),
  }),
  normalize({ samples, file, column }, issue) {
    const out: EmpiricalSpec = { dist: 'empirical' };
    if (samples !== undefined && file !== undefined) issue(['file'], messages.empiricalBoth);
    else if (samples === undefined && file === undefined) issue([], messages.empiricalNeedsSource);
    if (column !== undefined && file === undefined) issue(['column'], messages.columnWithoutFile);
    if (samples !== undefined) out.samples = samples;
    if (file !== undefined) out.file = file;
    if (column !== undefined) out.column = column;
    return out;
  },
  // Samples not read yet (a file) count as typical enough: the check runs again once they are.
  typical: (spec) => (spec.samples === undefined ? Infinity : spec.samples.reduce((sum, x) => sum + x, 0) / spec.samples.length),
  validate(spec) {
    const samples = samplesOf(spec);
    if (samples.length === 0) throw new Error('empirical: samples must not be empty');
    for (const s of samples) {
      if (typeof s !== 'number' || !Number.isFinite(s)) throw new Error(`empirical: sample ${String(s)} is not a finite number`);
    }
  },
  sampler(spec): Sampler {
    const values = Float64Array.from(samplesOf(spec));
    const n = values.length;
    const last = n - 1;
    // min() guards against u·n rounding up to n for u just below 1.
    return (u) => values[Math.min(last, Math.floor(u() * n))]!;
  },
  mean(spec) {
    const samples = samplesOf(spec);
    let sum = 0;
    for (const s of samples) sum += s;
    return sum / samples.length;
  },
  cdf(spec, x) {
    const sorted = sortedOf(spec);
    return countAtMost(sorted, x) / sorted.length;
  },
  quantile(spec, p) {
    // Smallest sample whose rank k satisfies k/n ≥ p, i.e. k = ⌈p·n⌉ (nearest rank); the 1e-12
    // relative slack stops representation error in p·n (0.3·10 = 3.0000000000000004) bumping k.
    const sorted = sortedOf(spec);
    const n = sorted.length;
    const rank = Math.min(n, Math.max(1, Math.ceil(p * n * (1 - 1e-12))));
    return sorted[rank - 1]!;
  },
  meanExcess(spec, d) {
    const samples = samplesOf(spec);
    let sum = 0;
    for (const s of samples) if (s > d) sum += s - d;
    return sum / samples.length;
  },
});
