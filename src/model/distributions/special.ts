/** Numerical special functions shared by the distributions. */

const SQRT_PI = Math.sqrt(Math.PI);
const SQRT2 = Math.SQRT2;
const SQRT_2PI = Math.sqrt(2 * Math.PI);
const TWO_PI = 2 * Math.PI;

/**
 * erf by the everywhere-positive series (Abramowitz & Stegun 7.1.6):
 * erf(x) = 2/√π · e^{−x²} · Σ_{n≥0} 2ⁿ x^{2n+1} / (1·3·…·(2n+1)).
 * No cancellation, so it is accurate to a few ulp for the range it is used on (0 ≤ x < 2.5).
 */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 500; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term <= sum * 1e-17) break;
  }
  return (2 / SQRT_PI) * Math.exp(-x2) * sum;
}

/**
 * erfc for x ≥ 2.5 by the continued fraction (A&S 7.1.14)
 * erfc(x) = e^{−x²}/√π · 1/(x + ½/(x + 1/(x + (3/2)/(x + …)))), evaluated with modified Lentz.
 * Keeps full relative precision deep in the tail, where 1 − erf would underflow to 0.
 */
function erfcContinuedFraction(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 5000; n++) {
    const a = n / 2;
    d = x + a * d;
    d = Math.abs(d) < tiny ? 1 / tiny : 1 / d;
    c = x + a / c;
    if (Math.abs(c) < tiny) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / (SQRT_PI * f);
}

export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 2.5) return 1 - erfSeries(x);
  return erfcContinuedFraction(x);
}

/** Standard normal CDF Φ(x) = ½·erfc(−x/√2); accurate in both tails. */
export function normCdf(x: number): number {
  return 0.5 * erfc(-x / SQRT2);
}

/** Standard normal density φ(x). */
export function normPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / SQRT_2PI;
}

// Acklam's rational approximation to Φ⁻¹ (relative error < 1.15e-9), refined below.
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

/**
 * Standard normal quantile Φ⁻¹(p): Acklam's approximation followed by one Halley step against the
 * accurate `normCdf`, which brings it to near machine precision.
 */
export function normQuantile(p: number): number {
  if (Number.isNaN(p)) return NaN;
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  let x: number;
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((C[0]! * q + C[1]!) * q + C[2]!) * q + C[3]!) * q + C[4]!) * q + C[5]!) /
      ((((D[0]! * q + D[1]!) * q + D[2]!) * q + D[3]!) * q + 1);
  } else if (p <= 1 - P_LOW) {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((A[0]! * r + A[1]!) * r + A[2]!) * r + A[3]!) * r + A[4]!) * r + A[5]!) * q) /
      (((((B[0]! * r + B[1]!) * r + B[2]!) * r + B[3]!) * r + B[4]!) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log1p(-p));
    x = -(((((C[0]! * q + C[1]!) * q + C[2]!) * q + C[3]!) * q + C[4]!) * q + C[5]!) /
      ((((D[0]! * q + D[1]!) * q + D[2]!) * q + D[3]!) * q + 1);
  }
  // Halley refinement on e = Φ(x) − p; for x ≥ 0 it is computed as (1 − p) − Φ(−x), which keeps
  // relative precision in the upper tail.
  const e = x < 0 ? normCdf(x) - p : (1 - p) - normCdf(-x);
  const u = e * SQRT_2PI * Math.exp(0.5 * x * x);
  return x - u / (1 + (x * u) / 2);
}

/**
 * One standard normal variate by Box–Muller (1958): z = √(−2 ln U₁)·cos(2πU₂). The stream yields
 * [0, 1), so U₁ is taken as 1 − u (computed as log1p(−u)) to keep ln away from 0; at u = 0 the
 * radius is +0. Consumes exactly two uniforms.
 */
export function standardNormal(u: () => number): number {
  const radius = Math.sqrt(-2 * Math.log1p(-u()));
  return radius * Math.cos(TWO_PI * u());
}

/**
 * inf{x : cdf(x) ≥ p} by bisection, given lo ≤ answer ≤ hi (finite). Runs until the bracket can no
 * longer be split in double precision, so it is exact for step CDFs too.
 */
export function quantileByBisection(cdf: (x: number) => number, p: number, lo: number, hi: number): number {
  if (cdf(lo) >= p) return lo;
  let below = lo;
  let above = hi;
  for (let i = 0; i < 2200; i++) {
    const mid = below + (above - below) / 2;
    if (mid <= below || mid >= above) break;
    if (cdf(mid) >= p) above = mid;
    else below = mid;
  }
  return above;
}
