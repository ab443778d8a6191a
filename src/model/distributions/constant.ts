import { Duration } from '../fields.js';
import { requireFinite, type DistImpl, type Sampler, type SpecOf } from './types.js';

/** Point mass at `value`; also the degenerate limit the other distributions fall back to. */
export const constantDist: DistImpl<SpecOf<'constant'>, { value: number }> = {
  summary: 'every draw is `value`',
  fields: () => ({ value: Duration.describe('the value (a duration)') }),
  normalize: ({ value }) => ({ dist: 'constant', value }),
  typical: (spec) => spec.value,
  validate(spec) {
    requireFinite('constant', 'value', spec.value);
  },
  sampler(spec): Sampler {
    const value = spec.value;
    return () => value;
  },
  mean: (spec) => spec.value,
  cdf: (spec, x) => (x < spec.value ? 0 : 1),
  quantile: (spec) => spec.value,
  meanExcess: (spec, d) => Math.max(spec.value - d, 0),
};

export const constantOf = (value: number): SpecOf<'constant'> => ({ dist: 'constant', value });
