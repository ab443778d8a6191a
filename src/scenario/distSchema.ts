/** Distributions in a scenario: a bare duration or `{dist: ..., ...}`, normalized to a `Dist`. */
import { z } from 'zod';
import { messages } from '../text/messages.js';
import { formatDuration } from '../model/duration.js';
import { Duration, durationMessage, whenPresent } from '../model/fields.js';
import { type Dist, type DistInput, type MixtureComponent, type MixtureItemInput } from './types.js';
import { type Ctx, DIST_NAMES, FilePath, Name, PositiveDuration, Weight, Z99, fail } from './fields.js';

// ---------------------------------------------------------------------------------------------------
// Distributions

export type RawDist =
  | { dist: 'constant'; value: number }
  | { dist: 'uniform'; min: number; max: number }
  | { dist: 'exponential'; mean: number }
  | { dist: 'normal'; mean: number; sd: number }
  | { dist: 'lognormal'; median: number; sigma?: number | undefined; p99?: number | undefined }
  | { dist: 'pareto'; scale: number; shape: number }
  | { dist: 'empirical'; samples?: number[] | undefined; file?: string | undefined; column?: string | undefined }
  | { dist: 'mixture'; of: MixtureComponent[] };

export function normalizeDist(raw: RawDist, ctx: Ctx): Dist {
  switch (raw.dist) {
    case 'constant':
      return { dist: 'constant', value: raw.value };
    case 'uniform':
      if (raw.min > raw.max) fail(ctx, ['max'], messages.uniformMaxBelowMin(formatDuration(raw.min), formatDuration(raw.max)), raw);
      return { dist: 'uniform', min: raw.min, max: raw.max };
    case 'exponential':
      return { dist: 'exponential', mean: raw.mean };
    case 'normal':
      return { dist: 'normal', mean: raw.mean, sd: raw.sd };
    case 'lognormal': {
      if (raw.sigma === undefined && raw.p99 === undefined) {
        fail(ctx, [], messages.lognormalNeedsSpread, raw);
        return { dist: 'lognormal', median: raw.median, sigma: 0 };
      }
      if (raw.sigma !== undefined && raw.p99 !== undefined) {
        fail(ctx, ['p99'], messages.lognormalBoth, raw);
        return { dist: 'lognormal', median: raw.median, sigma: raw.sigma };
      }
      if (raw.sigma !== undefined) return { dist: 'lognormal', median: raw.median, sigma: raw.sigma };
      const p99 = raw.p99 as number;
      if (!(p99 > raw.median)) fail(ctx, ['p99'], messages.p99NotAboveMedian(formatDuration(raw.median), formatDuration(p99)), raw);
      return { dist: 'lognormal', median: raw.median, sigma: Math.log(p99 / raw.median) / Z99 };
    }
    case 'pareto':
      return { dist: 'pareto', scale: raw.scale, shape: raw.shape };
    case 'empirical': {
      const out: Dist & { dist: 'empirical' } = { dist: 'empirical' };
      if (raw.samples !== undefined && raw.file !== undefined) fail(ctx, ['file'], messages.empiricalBoth, raw);
      else if (raw.samples === undefined && raw.file === undefined) fail(ctx, [], messages.empiricalNeedsSource, raw);
      if (raw.column !== undefined && raw.file === undefined) fail(ctx, ['column'], messages.columnWithoutFile, raw);
      if (raw.samples !== undefined) out.samples = raw.samples;
      if (raw.file !== undefined) out.file = raw.file;
      if (raw.column !== undefined) out.column = raw.column;
      return out;
    }
    case 'mixture':
      if (!(raw.of.reduce((sum, c) => sum + c.weight, 0) > 0)) fail(ctx, ['of'], messages.weightsSumZero, raw);
      return { dist: 'mixture', of: raw.of };
  }
}

// The variants of a `{dist: ...}` object; `extra` adds `weight` for mixture components.
export function distVariants<E extends Record<string, z.ZodType>>(extra: E) {
  return [
    z.strictObject({
      dist: z.literal('constant').describe('every draw is `value`'),
      value: Duration.describe('the value (a duration)'),
      ...extra,
    }),
    z.strictObject({
      dist: z.literal('uniform').describe('uniform between `min` and `max`'),
      min: Duration.describe('smallest value (a duration)'),
      max: Duration.describe('largest value (a duration), at least `min`'),
      ...extra,
    }),
    z.strictObject({
      dist: z.literal('exponential').describe('exponential (memoryless) with the given `mean`'),
      mean: PositiveDuration.describe('mean (a duration > 0)'),
      ...extra,
    }),
    z.strictObject({
      dist: z.literal('normal').describe('normal; negative draws are redrawn (truncated at 0)'),
      mean: Duration.describe('mean (a duration)'),
      sd: Duration.describe('standard deviation (a duration)'),
      ...extra,
    }),
    z.strictObject({
      dist: z.literal('lognormal').describe('lognormal: the usual shape of lag and latency; give `median` and one of `sigma` or `p99`'),
      median: PositiveDuration.describe('median (a duration > 0)'),
      sigma: z.number().min(0).optional().describe('shape: standard deviation of the underlying normal (give this or p99)'),
      p99: Duration.optional().describe('99th percentile (a duration > median; give this or sigma)'),
      ...extra,
    }),
    z.strictObject({
      dist: z.literal('pareto').describe('Pareto: heavy tails; values from `scale` up'),
      scale: PositiveDuration.describe('minimum value x_m (a duration > 0)'),
      shape: z.number().positive().describe('tail index alpha (> 0; the mean is infinite when <= 1)'),
      ...extra,
    }),
    z.strictObject({
      dist: z.literal('empirical').describe('draws uniformly from measured values: `samples` or a CSV `file`'),
      samples: z.array(Duration).min(1).optional().describe('the measured values (durations)'),
      file: FilePath.optional().describe('CSV file of milliseconds, relative to the scenario file'),
      column: Name.optional().describe('header of the CSV column to use (default: the only column)'),
      ...extra,
    }),
    z.strictObject({
      dist: z.literal('mixture').describe('picks a component by weight, then draws from it'),
      of: z
        .lazy(() => z.array(MixtureItemSchema).min(1, { error: messages.noMixtureComponents }))
        .describe('components: each `{weight, dist: ..., ...fields of that dist}`'),
      ...extra,
    }),
  ] as const;
}

export function distObjectError(iss: z.core.$ZodRawIssue): string | undefined {
  if (iss.code === 'invalid_union') {
    const given = (iss.input as Record<string, unknown> | undefined)?.['dist'];
    return given === undefined ? messages.missingDist(DIST_NAMES) : messages.unknownDist(given, DIST_NAMES);
  }
  return undefined;
}

export const DistObjectSchema = z
  .discriminatedUnion('dist', distVariants({}), { error: distObjectError })
  .transform((raw, ctx) => normalizeDist(raw as RawDist, ctx));

export const MixtureItemSchema: z.ZodType<MixtureComponent, MixtureItemInput> = z
  .discriminatedUnion(
    'dist',
    distVariants({ weight: Weight.default(1).describe('relative weight of this component (>= 0, default 1)') }),
    { error: distObjectError },
  )
  .transform((raw, ctx) => {
    const { weight, ...rest } = raw as RawDist & { weight: number };
    return { weight, dist: normalizeDist(rest as RawDist, ctx) };
  })
  .meta({ id: 'MixtureComponent', description: 'a mixture component: {weight, dist: ..., ...fields of that dist}' });

/** A distribution: a bare duration (a constant) or `{dist: ..., ...}`. */
export const DistSchema: z.ZodType<Dist, DistInput> = z.union(
  [Duration.transform((value): Dist => ({ dist: 'constant', value })), DistObjectSchema],
  {
    error: whenPresent((input) =>
      typeof input === 'string' || typeof input === 'number' ? durationMessage(input) : messages.expectedDurationOrDist(input),
    ),
  },
).meta({
  id: 'Dist',
  description: 'a distribution: a bare duration (a constant) or {dist: constant|uniform|exponential|normal|lognormal|pareto|empirical|mixture, ...}',
});

/** Whether a distribution's mean is positive (unknown, i.e. an unresolved file, counts as yes). */
/**
 * Whether a time drawn from `d` advances the clock (µs, rounded half-up): a think time whose draws
 * would be about 0 µs keeps a session at one instant for ever (a livelock, not a slow run). The
 * typical draw must be at least the clock's resolution, 1 µs.
 */
export function hasPositiveMean(d: Dist): boolean {
  const TICK_US = 1;
  switch (d.dist) {
    case 'constant':
      return d.value >= TICK_US;
    case 'uniform':
      return (d.min + d.max) / 2 >= TICK_US;
    case 'exponential':
      return d.mean >= TICK_US;
    case 'normal':
      return d.mean >= TICK_US;
    case 'lognormal':
      return d.median >= TICK_US;
    case 'pareto':
      return d.scale >= TICK_US;
    case 'empirical':
      return d.samples === undefined || d.samples.reduce((sum, x) => sum + x, 0) >= TICK_US * d.samples.length;
    case 'mixture':
      return d.of.some((c) => c.weight > 0 && hasPositiveMean(c.dist));
  }
}
