import type { z } from 'zod';
import type { DistSpec } from './index.js';

export type { DistSpec };
export type DistName = DistSpec['dist'];
export type SpecOf<K extends DistName> = Extract<DistSpec, { dist: K }>;

/** A mixture component once parsed (the schema of one is defined with the scenario's, after the registry). */
export interface ComponentSpec {
  weight: number;
  dist: DistSpec;
}

/** One draw from a distribution, given a uniform [0, 1) stream (e.g. a seedrandom PRNG). */
export type Sampler = (u: () => number) => number;

/** Reports a problem between a distribution's fields, at a path below it (a zod issue). */
export type IssueAt = (path: PropertyKey[], message: string) => void;

/**
 * What every distribution provides: how a scenario writes it (its fields, with help and
 * validation, and how they become the spec) and the mathematics. Parameters are validated by the
 * caller (index.ts) before any other method runs, and `quantile` receives p already checked to lie
 * in [0, 1]. `Shape` is its fields' zod shape: what they parse to (normalize's input) and what a
 * scenario may write (DistObjectInput) both come from it.
 */
export interface DistImpl<S extends { dist: string }, Shape extends z.ZodRawShape = z.ZodRawShape> {
  /** What it is, in one line (the scenario schema's description of `dist: <name>`). */
  summary: string;
  /** Its fields in a scenario besides `dist`; `item()` is the schema of a mixture component (defined after this). */
  fields(item: () => z.ZodType<ComponentSpec>): Shape;
  /** The parsed fields (durations in µs) as the spec; a problem between fields goes to `issue`. */
  normalize(raw: z.output<z.ZodObject<Shape>>, issue: IssueAt): S;
  /** A typical draw (mean, median or midpoint): a think time needs one of at least 1 µs. */
  typical(spec: S): number;
  validate(spec: S): void;
  sampler(spec: S): Sampler;
  mean(spec: S): number;
  cdf(spec: S, x: number): number;
  /** inf{x : F(x) ≥ p}; p = 0 gives the infimum of the support, p = 1 its supremum. */
  quantile(spec: S, p: number): number;
  /** E[(L − d)+]. */
  meanExcess(spec: S, d: number): number;
}

export function requireFinite(name: string, field: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`${name}: ${field} must be a finite number, got ${String(value)}`);
  }
}

/** A distribution's entry with its fields' shape inferred (`defineDist<Spec>()({...})`). */
export const defineDist =
  <S extends { dist: string }>() =>
  <Shape extends z.ZodRawShape>(impl: DistImpl<S, Shape>): DistImpl<S, Shape> =>
    impl;
