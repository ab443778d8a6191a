import { PositiveDuration } from '../fields.js';
import { defineDist, requireFinite, type Sampler } from './types.js';

export type ExponentialSpec = { dist: 'exponential'; mean: number };

/** Exponential with the given mean (rate 1/mean); mean = 0 is the point mass at 0. */
export const exponentialDist = defineDist<ExponentialSpec>()({
  summary: 'exponential (memoryless) with the given `mean`',
  fields: () => ({ mean: PositiveDuration.describe('mean (a duration > 0)') }),
  normalize: ({ mean }) => ({ dist: 'exponential', mean }),
  typical: (spec) => spec.mean,
  validate(spec) {
    requireFinite('exponential', 'mean', spec.mean);
    if (spec.mean < 0) throw new Error(`exponential: mean must be ≥ 0, got ${spec.mean}`);
  },
  sampler(spec): Sampler {
    const mean = spec.mean;
    if (mean === 0) return () => 0;
    // Inverse CDF −mean·ln(1 − u); log1p keeps precision for small u and u ∈ [0, 1) never hits ln 0.
    return (u) => -mean * Math.log1p(-u());
  },
  mean: (spec) => spec.mean,
  cdf(spec, x) {
    if (x < 0) return 0;
    if (spec.mean === 0) return 1;
    return -Math.expm1(-x / spec.mean);
  },
  quantile: (spec, p) => (spec.mean === 0 ? 0 : -spec.mean * Math.log1p(-p)),
  meanExcess(spec, d) {
    // Memorylessness: E[(L−d)+] = P(L > d)·mean for d ≥ 0.
    if (d <= 0) return spec.mean - d;
    if (spec.mean === 0) return 0;
    return spec.mean * Math.exp(-d / spec.mean);
  },
});
