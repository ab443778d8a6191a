/**
 * Nearest-rank percentile of ascending data: the smallest value v in the data such that at least
 * p% of the values are ≤ v, i.e. sorted[k − 1] with k = ⌈p/100 · n⌉ (k = 1 for p = 0).
 * It always returns an observed value (no interpolation), matching HdrHistogram's
 * getValueAtPercentile. p is in 0..100. Returns null for empty input.
 */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number | null {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be in [0, 100], got ${p}`);
  const n = sorted.length;
  if (n === 0) return null;
  // The 1e-12 relative slack stops representation error (e.g. 57·100/100 landing a hair above 57)
  // from moving the rank up by one.
  const rank = Math.min(n, Math.max(1, Math.ceil(((p * n) / 100) * (1 - 1e-12))));
  return sorted[rank - 1]!;
}
