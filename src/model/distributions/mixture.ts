import { z } from 'zod';
import { messages } from '../../text/messages.js';
import { quantileByBisection } from './special.js';
import type { ComponentSpec, DistImpl, DistSpec, Sampler } from './types.js';

/**
 * Finite mixture: a draw picks component i with probability wᵢ/Σw, then draws from it. CDF, mean
 * and mean excess are the weight-averaged component values; zero-weight components are ignored
 * (so an infinite-mean component with weight 0 does not turn the mean into NaN).
 */
export type MixtureSpec = { dist: 'mixture'; of: ComponentSpec[] };

/** The top-level operations, injected to avoid an import cycle with index.ts. */
export interface DistOps {
  validate(spec: DistSpec): void;
  makeSampler(spec: DistSpec): Sampler;
  distMean(spec: DistSpec): number;
  distCdf(spec: DistSpec, x: number): number;
  distQuantile(spec: DistSpec, p: number): number;
  meanExcess(spec: DistSpec, d: number): number;
  typical(spec: DistSpec): number;
}

interface Component {
  probability: number;
  dist: DistSpec;
}

function components(spec: MixtureSpec): Component[] {
  let total = 0;
  for (const c of spec.of) total += c.weight;
  const out: Component[] = [];
  for (const c of spec.of) if (c.weight > 0) out.push({ probability: c.weight / total, dist: c.dist });
  return out;
}

/** `of`: the components, each parsed by the scenario's component schema (`item`). */
const mixtureFields = (item: () => z.ZodType<ComponentSpec>) => ({
  of: z.lazy(() => z.array(item()).min(1, { error: messages.noMixtureComponents })).describe('components: each `{weight, dist: ..., ...fields of that dist}`'),
});

export type MixtureImpl = DistImpl<MixtureSpec, ReturnType<typeof mixtureFields>>;

export function mixtureDist(ops: DistOps): MixtureImpl {
  const weighted = (spec: MixtureSpec, f: (dist: DistSpec) => number): number => {
    let sum = 0;
    for (const c of components(spec)) sum += c.probability * f(c.dist);
    return sum;
  };

  const impl: MixtureImpl = {
    summary: 'picks a component by weight, then draws from it',
    fields: mixtureFields,
    normalize({ of }, issue) {
      if (!(of.reduce((sum, c) => sum + c.weight, 0) > 0)) issue(['of'], messages.weightsSumZero);
      return { dist: 'mixture', of };
    },
    // The largest typical draw among the components that can be drawn.
    typical: (spec) => Math.max(-Infinity, ...spec.of.filter((c) => c.weight > 0).map((c) => ops.typical(c.dist))),
    validate(spec) {
      if (!Array.isArray(spec.of) || spec.of.length === 0) throw new Error('mixture: `of` must list at least one component');
      let total = 0;
      for (const c of spec.of) {
        if (typeof c.weight !== 'number' || !Number.isFinite(c.weight) || c.weight < 0) {
          throw new Error(`mixture: weights must be finite and ≥ 0, got ${String(c.weight)}`);
        }
        total += c.weight;
        ops.validate(c.dist);
      }
      if (!(total > 0)) throw new Error('mixture: weights must not all be 0');
    },
    sampler(spec): Sampler {
      const parts = components(spec);
      const samplers: Sampler[] = parts.map((c) => ops.makeSampler(c.dist));
      const cumulative = new Float64Array(parts.length);
      let acc = 0;
      parts.forEach((c, i) => {
        acc += c.probability;
        cumulative[i] = acc;
      });
      // Force the last bound to 1 so rounding in the running sum can never let u fall off the end.
      cumulative[parts.length - 1] = 1;
      return (u) => {
        const r = u();
        let i = 0;
        while (r >= cumulative[i]!) i++;
        return samplers[i]!(u);
      };
    },
    mean: (spec) => weighted(spec, ops.distMean),
    cdf: (spec, x) => Math.min(1, weighted(spec, (d) => ops.distCdf(d, x))),
    quantile(spec, p) {
      // The mixture quantile lies between the smallest and largest component quantile at p:
      // at max qᵢ(p) every Fᵢ ≥ p, and below min qᵢ(p) every Fᵢ < p.
      let lo = Infinity;
      let hi = -Infinity;
      for (const c of components(spec)) {
        const q = ops.distQuantile(c.dist, p);
        if (q < lo) lo = q;
        if (q > hi) hi = q;
      }
      if (p === 0) return lo;
      if (p === 1 || !Number.isFinite(hi)) return hi;
      return quantileByBisection((x) => impl.cdf(spec, x), p, lo, hi);
    },
    meanExcess: (spec, d) => weighted(spec, (dist) => ops.meanExcess(dist, d)),
  };
  return impl;
}
