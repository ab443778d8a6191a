import { Duration } from '../fields.js';
import { normCdf, normPdf, normQuantile, standardNormal } from './special.js';
import { defineDist, requireFinite, type Sampler } from './types.js';

/**
 * Normal(mean, sd) truncated to [0, ∞): negative draws are redrawn, so every quantity here is the
 * normal conditioned on X ≥ 0. With α = −mean/sd and Z = P(X ≥ 0) = Φ(mean/sd):
 *   F(x) = (Φ((x − mean)/sd) − Φ(α)) / Z,   E[X] = mean + sd·φ(α)/Z.
 * sd = 0 is the point mass at `mean` (which must then be ≥ 0).
 */
export type NormalSpec = { dist: 'normal'; mean: number; sd: number };

/** Acceptance probability below which redrawing would effectively never terminate. */
const MIN_ACCEPTANCE = 1e-6;

const acceptance = (spec: NormalSpec): number => normCdf(spec.mean / spec.sd);

export const normalDist = defineDist<NormalSpec>()({
  summary: 'normal; negative draws are redrawn (truncated at 0)',
  fields: () => ({
    mean: Duration.describe('mean (a duration)'),
    sd: Duration.describe('standard deviation (a duration)'),
  }),
  normalize: ({ mean, sd }) => ({ dist: 'normal', mean, sd }),
  typical: (spec) => spec.mean,
  validate(spec) {
    requireFinite('normal', 'mean', spec.mean);
    requireFinite('normal', 'sd', spec.sd);
    if (spec.sd < 0) throw new Error(`normal: sd must be ≥ 0, got ${spec.sd}`);
    if (spec.sd === 0 ? spec.mean < 0 : acceptance(spec) < MIN_ACCEPTANCE) {
      throw new Error(`normal: mean ${spec.mean}, sd ${spec.sd} puts almost no mass at ≥ 0, so truncation at 0 is ill-defined`);
    }
  },
  sampler(spec): Sampler {
    const mean = spec.mean;
    const sd = spec.sd;
    if (sd === 0) return () => mean;
    return (u) => {
      for (;;) {
        const x = mean + sd * standardNormal(u);
        if (x >= 0) return x;
      }
    };
  },
  mean(spec) {
    if (spec.sd === 0) return spec.mean;
    return spec.mean + (spec.sd * normPdf(-spec.mean / spec.sd)) / acceptance(spec);
  },
  cdf(spec, x) {
    if (x < 0) return 0;
    if (spec.sd === 0) return x < spec.mean ? 0 : 1;
    const t = (x - spec.mean) / spec.sd;
    const z = acceptance(spec);
    // Above the mean use the upper tail, 1 − Φ(−t)/Z, to keep relative precision near 1.
    if (t > 0) return Math.max(0, 1 - normCdf(-t) / z);
    return Math.max(0, (normCdf(t) - normCdf(-spec.mean / spec.sd)) / z);
  },
  quantile(spec, p) {
    if (spec.sd === 0) return spec.mean;
    if (p === 0) return 0;
    if (p === 1) return Infinity;
    const z = acceptance(spec);
    const lowerMass = normCdf(-spec.mean / spec.sd) + p * z;
    // Invert whichever tail is smaller so Φ⁻¹ gets a well-conditioned argument.
    const x = lowerMass < 0.5
      ? spec.mean + spec.sd * normQuantile(lowerMass)
      : spec.mean - spec.sd * normQuantile((1 - p) * z);
    return Math.max(0, x);
  },
  meanExcess(spec, d): number {
    if (d <= 0) return normalDist.mean(spec) - d;
    if (spec.sd === 0) return Math.max(spec.mean - d, 0);
    // For d > 0 the truncation only rescales: E[(X−d)+ | X ≥ 0] = (sd·φ(k) + (mean−d)·Φ(−k)) / Z,
    // k = (d − mean)/sd (the untruncated normal's stop-loss transform).
    const k = (d - spec.mean) / spec.sd;
    const untruncated = spec.sd * normPdf(k) + (spec.mean - d) * normCdf(-k);
    return Math.max(0, untruncated) / acceptance(spec);
  },
});
