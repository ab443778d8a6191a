import { z } from 'zod';
import { PositiveDuration } from '../fields.js';
import { defineDist, requireFinite, type Sampler } from './types.js';

/**
 * Pareto (type I): support [scale, ∞), F(x) = 1 − (scale/x)^shape.
 * E[L] = shape·scale/(shape − 1) for shape > 1, otherwise infinite.
 */
export type ParetoSpec = { dist: 'pareto'; scale: number; shape: number };

export const paretoDist = defineDist<ParetoSpec>()({
  summary: 'Pareto: heavy tails; values from `scale` up',
  fields: () => ({
    scale: PositiveDuration.describe('minimum value x_m (a duration > 0)'),
    shape: z.number().positive().describe('tail index alpha (> 0; the mean is infinite when <= 1)'),
  }),
  normalize: ({ scale, shape }) => ({ dist: 'pareto', scale, shape }),
  typical: (spec) => spec.scale,
  validate(spec) {
    requireFinite('pareto', 'scale', spec.scale);
    requireFinite('pareto', 'shape', spec.shape);
    if (spec.scale <= 0) throw new Error(`pareto: scale must be > 0, got ${spec.scale}`);
    if (spec.shape <= 0) throw new Error(`pareto: shape must be > 0, got ${spec.shape}`);
  },
  sampler(spec): Sampler {
    const scale = spec.scale;
    const invShape = 1 / spec.shape;
    // Inverse CDF; 1 − u ∈ (0, 1] so the power never divides by 0.
    return (u) => scale / Math.pow(1 - u(), invShape);
  },
  mean: (spec) => (spec.shape <= 1 ? Infinity : (spec.shape * spec.scale) / (spec.shape - 1)),
  cdf: (spec, x) => (x <= spec.scale ? 0 : 1 - Math.pow(spec.scale / x, spec.shape)),
  quantile: (spec, p) => spec.scale / Math.pow(1 - p, 1 / spec.shape),
  meanExcess(spec, d): number {
    if (d <= spec.scale) return paretoDist.mean(spec) - d;
    if (spec.shape <= 1) return Infinity;
    // ∫_d^∞ (scale/x)^shape dx = d·(scale/d)^shape / (shape − 1).
    return (d * Math.pow(spec.scale / d, spec.shape)) / (spec.shape - 1);
  },
});
