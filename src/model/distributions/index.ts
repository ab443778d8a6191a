/**
 * Distribution registry, Maelstrom style: `dist` name → implementation. Everything a simulation
 * draw needs is precomputed in `makeSampler`, so a draw allocates nothing.
 */
import { constantDist } from './constant.js';
import { empiricalDist } from './empirical.js';
import { exponentialDist } from './exponential.js';
import { lognormalDist } from './lognormal.js';
import { mixtureDist, type MixtureImpl, type MixtureSpec } from './mixture.js';
import { normalDist } from './normal.js';
import { paretoDist } from './pareto.js';
import type { z } from 'zod';
import type { DistImpl, DistName, Sampler } from './types.js';
import { uniformDist } from './uniform.js';

export type { ComponentSpec, DistImpl, DistName, Sampler, SpecOf } from './types.js';
export { normCdf, normQuantile, normPdf, erfc } from './special.js';

/** Every distribution but the mixture, which is built over the others' operations (below). */
const simple = {
  constant: constantDist,
  uniform: uniformDist,
  exponential: exponentialDist,
  normal: normalDist,
  lognormal: lognormalDist,
  pareto: paretoDist,
  empirical: empiricalDist,
};
type Simple = typeof simple;
type SpecOfImpl<I> = I extends DistImpl<infer S, infer _Shape> ? S : never;
type ShapeOfImpl<I> = I extends DistImpl<infer _S, infer Shape> ? Shape : never;

/**
 * A distribution as the model takes it (durations in µs, lognormal `p99` already turned into
 * `sigma`, empirical `file` already loaded): the union of the registry's specs.
 */
export type DistSpec = { [K in keyof Simple]: SpecOfImpl<Simple[K]> }[keyof Simple] | MixtureSpec;

/** The registry: `dist` name → implementation, in the order the scenario format lists them. */
export const distributions: Simple & { mixture: MixtureImpl } = {
  ...simple,
  mixture: mixtureDist({ validate: validateDist, makeSampler, distMean, distCdf, distQuantile, meanExcess, typical: distTypical }),
};
type Registry = typeof distributions;

/** A distribution as a scenario file may write it (`{dist: <name>, ...fields}`), from each entry's fields. */
export type DistObjectInput = { [K in keyof Registry]: { dist: K } & z.input<z.ZodObject<ShapeOfImpl<Registry[K]>>> }[keyof Registry];

/** The distributions' names, in the registry's order (the order the scenario format lists them). */
export const distNames = Object.keys(distributions) as DistName[];

/** A typical draw (mean, median or midpoint) of a distribution, µs. */
export function distTypical(spec: DistSpec): number {
  return implOf(spec).typical(spec);
}

function implOf(spec: DistSpec): DistImpl<DistSpec> {
  const name: string = spec.dist;
  if (!Object.prototype.hasOwnProperty.call(distributions, name)) throw new Error(`unknown dist "${name}"`);
  // The mapped registry type guarantees distributions[spec.dist] accepts exactly this spec's
  // variant; TypeScript cannot correlate the two through the union, hence the widening cast.
  return distributions[spec.dist] as unknown as DistImpl<DistSpec>;
}

/** Throws an Error describing the first invalid parameter (recursing into mixtures). */
export function validateDist(spec: DistSpec): void {
  implOf(spec).validate(spec);
}

/** A draw function over a uniform [0, 1) stream; validates the spec once, here. */
export function makeSampler(spec: DistSpec): Sampler {
  const impl = implOf(spec);
  impl.validate(spec);
  return impl.sampler(spec);
}

/** E[L] exactly; Infinity for pareto with shape ≤ 1; the truncated-at-0 mean for normal. */
export function distMean(spec: DistSpec): number {
  const impl = implOf(spec);
  impl.validate(spec);
  return impl.mean(spec);
}

/** F(x) = P(L ≤ x). */
export function distCdf(spec: DistSpec, x: number): number {
  const impl = implOf(spec);
  impl.validate(spec);
  return impl.cdf(spec, x);
}

/**
 * Generalised inverse inf{x : F(x) ≥ p} for p ∈ [0, 1]; p = 0 gives the lower end of the support
 * and p = 1 the upper end (Infinity for unbounded distributions).
 */
export function distQuantile(spec: DistSpec, p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile probability must be in [0, 1], got ${p}`);
  const impl = implOf(spec);
  impl.validate(spec);
  return impl.quantile(spec, p);
}

/** E[(L − d)+] = ∫_d^∞ (1 − F(x)) dx, in closed form for every distribution. */
export function meanExcess(spec: DistSpec, d: number): number {
  const impl = implOf(spec);
  impl.validate(spec);
  return impl.meanExcess(spec, d);
}

/** Round half up to an integer number of microseconds. */
export function roundMicros(x: number): number {
  return Math.floor(x + 0.5);
}
