import { Duration } from '../fields.js';
import { defineDist, requireFinite, type Sampler } from './types.js';

export type ConstantSpec = { dist: 'constant'; value: number };

/** Point mass at `value`; also the degenerate limit the other distributions fall back to. */
export const constantDist = defineDist<ConstantSpec>()({
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
});

export const constantOf = (value: number): ConstantSpec => ({ dist: 'constant', value });
