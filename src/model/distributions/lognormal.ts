import { z } from 'zod';
import { formatDuration } from '../duration.js';
import { Duration, PositiveDuration } from '../fields.js';
import { messages } from '../../text/messages.js';
import { normCdf, normQuantile, standardNormal } from './special.js';
import { defineDist, requireFinite, type Sampler } from './types.js';

/**
 * Lognormal: L = exp(μ + σ·Z) with μ = ln(median). F(x) = Φ((ln x − μ)/σ), E[L] = exp(μ + σ²/2).
 * σ = 0 is the point mass at the median.
 */
export type LognormalSpec = { dist: 'lognormal'; median: number; sigma: number };

/** z = Φ⁻¹(0.99): a lognormal's p99 is median · e^(z·sigma). */
export const Z99 = 2.3263478740408408;

export const lognormalDist = defineDist<LognormalSpec>()({
  summary: 'lognormal: the usual shape of lag and latency; give `median` and one of `sigma` or `p99`',
  fields: () => ({
    median: PositiveDuration.describe('median (a duration > 0)'),
    sigma: z.number().min(0).optional().describe('shape: standard deviation of the underlying normal (give this or p99)'),
    p99: Duration.optional().describe('99th percentile (a duration > median; give this or sigma)'),
  }),
  normalize({ median, sigma, p99 }, issue) {
    if (sigma === undefined && p99 === undefined) {
      issue([], messages.lognormalNeedsSpread);
      return { dist: 'lognormal', median, sigma: 0 };
    }
    if (sigma !== undefined && p99 !== undefined) {
      issue(['p99'], messages.lognormalBoth);
      return { dist: 'lognormal', median, sigma };
    }
    if (sigma !== undefined) return { dist: 'lognormal', median, sigma };
    if (!(p99! > median)) issue(['p99'], messages.p99NotAboveMedian(formatDuration(median), formatDuration(p99!)));
    return { dist: 'lognormal', median, sigma: Math.log(p99! / median) / Z99 };
  },
  typical: (spec) => spec.median,
  validate(spec) {
    requireFinite('lognormal', 'median', spec.median);
    requireFinite('lognormal', 'sigma', spec.sigma);
    if (spec.median <= 0) throw new Error(`lognormal: median must be > 0, got ${spec.median}`);
    if (spec.sigma < 0) throw new Error(`lognormal: sigma must be ≥ 0, got ${spec.sigma}`);
  },
  sampler(spec): Sampler {
    const mu = Math.log(spec.median);
    const sigma = spec.sigma;
    if (sigma === 0) {
      const median = spec.median;
      return () => median;
    }
    return (u) => Math.exp(mu + sigma * standardNormal(u));
  },
  mean: (spec) => spec.median * Math.exp((spec.sigma * spec.sigma) / 2),
  cdf(spec, x) {
    if (x <= 0) return 0;
    if (spec.sigma === 0) return x < spec.median ? 0 : 1;
    return normCdf(Math.log(x / spec.median) / spec.sigma);
  },
  quantile(spec, p) {
    if (spec.sigma === 0) return spec.median;
    return spec.median * Math.exp(spec.sigma * normQuantile(p));
  },
  meanExcess(spec, d): number {
    const mean = lognormalDist.mean(spec);
    if (d <= 0) return mean - d;
    if (spec.sigma === 0) return Math.max(spec.median - d, 0);
    // Stop-loss transform of a lognormal (the Black–Scholes call formula):
    // E[(L−d)+] = E[L]·Φ((μ + σ² − ln d)/σ) − d·Φ((μ − ln d)/σ).
    const logRatio = Math.log(spec.median / d);
    const s = spec.sigma;
    return Math.max(0, mean * normCdf((logRatio + s * s) / s) - d * normCdf(logRatio / s));
  },
});
