/**
 * Distribution input, structurally identical to the scenario schema's `Dist` after the schema has
 * normalised it (durations in microseconds, lognormal `p99` already converted to `sigma`, empirical
 * `file` already loaded into `samples`). Declared here rather than imported so this folder has no
 * dependency on the scenario layer.
 */
export type DistSpec =
  | { dist: 'constant'; value: number }
  | { dist: 'uniform'; min: number; max: number }
  | { dist: 'exponential'; mean: number }
  | { dist: 'normal'; mean: number; sd: number }
  | { dist: 'lognormal'; median: number; sigma: number }
  | { dist: 'pareto'; scale: number; shape: number }
  | { dist: 'empirical'; samples?: number[]; file?: string; column?: string }
  | { dist: 'mixture'; of: Array<{ weight: number; dist: DistSpec }> };

export type DistName = DistSpec['dist'];
export type SpecOf<K extends DistName> = Extract<DistSpec, { dist: K }>;

/** One draw from a distribution, given a uniform [0, 1) stream (e.g. a seedrandom PRNG). */
export type Sampler = (u: () => number) => number;

/**
 * What every distribution provides. Parameters are validated by the caller (index.ts) before any
 * other method runs, and `quantile` receives p already checked to lie in [0, 1].
 */
export interface DistImpl<S extends DistSpec> {
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
