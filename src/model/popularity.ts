import type { Uniform } from '../engine/random.js';

/** Picks an index in [0, n) — uniformly, or by Zipf's law P(i) ∝ 1/(i+1)^s (index 0 most popular). */
export type IndexPicker = (u: Uniform) => number;

export function uniformPicker(n: number): IndexPicker {
  return (u) => Math.min(n - 1, Math.floor(u() * n));
}

export function zipfPicker(n: number, s: number): IndexPicker {
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    total += 1 / Math.pow(i + 1, s);
    cumulative[i] = total;
  }
  return (u) => {
    const target = u() * total;
    let low = 0;
    let high = n - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (cumulative[mid]! > target) high = mid;
      else low = mid + 1;
    }
    return low;
  };
}
