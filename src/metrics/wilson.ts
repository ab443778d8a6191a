/**
 * Wilson score interval for a binomial proportion (Wilson 1927; semantics.md §3 uses it for every
 * anomaly rate). With p̂ = s/n:
 *   centre = (p̂ + z²/2n) / (1 + z²/n),   half = z/(1 + z²/n) · √(p̂(1 − p̂)/n + z²/4n²).
 * Unlike the Wald interval it stays inside [0, 1] and is not degenerate at s = 0 or s = n.
 * `z` defaults to Φ⁻¹(0.975), i.e. a 95% interval. Returns null when n = 0 (no information).
 */
export interface Interval {
  low: number;
  high: number;
}

export function wilson(successes: number, n: number, z = Z_95): Interval | null {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`wilson: n must be a non-negative integer, got ${n}`);
  if (!Number.isInteger(successes) || successes < 0 || successes > n) {
    throw new RangeError(`wilson: successes must be an integer in [0, ${n}], got ${successes}`);
  }
  if (n === 0) return null;
  return wilsonScore(successes / n, n, z);
}

/** Φ⁻¹(0.975): the z of a two-sided 95% interval. */
export const Z_95 = 1.959963984540054;

/**
 * The Wilson score interval of a proportion p̂ observed on a sample worth `n` independent trials;
 * `n` need not be whole, so an effective sample size (Kish; Korn & Graubard 1998) can stand in for
 * a count of correlated trials. Requires n > 0 and p̂ in [0, 1].
 */
export function wilsonScore(pHat: number, n: number, z = Z_95): Interval {
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (pHat + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((pHat * (1 - pHat)) / n + z2 / (4 * n * n));
  // At p̂ = 0 (p̂ = 1) the bound is exactly 0 (1) in exact arithmetic; pin it so rounding cannot
  // leave it a hair off, and clamp elsewhere for the same reason.
  const low = pHat === 0 ? 0 : Math.min(pHat, Math.max(0, centre - half));
  const high = pHat === 1 ? 1 : Math.max(pHat, Math.min(1, centre + half));
  return { low, high };
}
