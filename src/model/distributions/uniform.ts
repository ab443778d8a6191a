import { formatDuration } from '../duration.js';
import { Duration } from '../fields.js';
import { messages } from '../../text/messages.js';
import { constantDist, constantOf } from './constant.js';
import { defineDist, requireFinite, type Sampler } from './types.js';

export type UniformSpec = { dist: 'uniform'; min: number; max: number };

/** Continuous uniform on [min, max]; min = max is the point mass at min. */
export const uniformDist = defineDist<UniformSpec>()({
  summary: 'uniform between `min` and `max`',
  fields: () => ({
    min: Duration.describe('smallest value (a duration)'),
    max: Duration.describe('largest value (a duration), at least `min`'),
  }),
  normalize({ min, max }, issue) {
    if (min > max) issue(['max'], messages.uniformMaxBelowMin(formatDuration(min), formatDuration(max)));
    return { dist: 'uniform', min, max };
  },
  typical: (spec) => (spec.min + spec.max) / 2,
  validate(spec) {
    requireFinite('uniform', 'min', spec.min);
    requireFinite('uniform', 'max', spec.max);
    if (spec.min > spec.max) throw new Error(`uniform: min (${spec.min}) must be ≤ max (${spec.max})`);
  },
  sampler(spec): Sampler {
    const min = spec.min;
    const width = spec.max - spec.min;
    return (u) => min + width * u();
  },
  mean: (spec) => (spec.min + spec.max) / 2,
  cdf(spec, x) {
    if (spec.min === spec.max) return constantDist.cdf(constantOf(spec.min), x);
    if (x <= spec.min) return 0;
    if (x >= spec.max) return 1;
    return (x - spec.min) / (spec.max - spec.min);
  },
  quantile: (spec, p) => spec.min + (spec.max - spec.min) * p,
  meanExcess(spec, d) {
    // E[(L−d)+] = ∫_d^max (max − x)/(max − min) dx inside the support.
    if (d <= spec.min) return (spec.min + spec.max) / 2 - d;
    if (d >= spec.max) return 0;
    const above = spec.max - d;
    return (above * above) / (2 * (spec.max - spec.min));
  },
});
