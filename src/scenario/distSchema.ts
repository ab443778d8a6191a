/** Distributions in a scenario: a bare duration or `{dist: ..., ...}`, normalized to a `Dist`. */
import { z } from 'zod';
import { messages } from '../text/messages.js';
import { distNames, distributions, distTypical, type DistImpl } from '../model/distributions/index.js';
import { Duration, durationMessage, Weight, whenPresent } from '../model/fields.js';
import { type Dist, type DistInput, type MixtureComponent, type MixtureItemInput } from './types.js';
import { type Ctx, DIST_NAMES, fail } from './fields.js';

// ---------------------------------------------------------------------------------------------------
// Distributions: each one's fields, help and normalization come from its file in
// src/model/distributions/; this module only assembles them into `{dist: <name>, ...}` variants.

/** One `{dist: <name>, ...fields}` variant per registered distribution, in the registry's order; `extra` adds `weight` for mixture components. */
export function distVariants<E extends Record<string, z.ZodType>>(extra: E) {
  return distNames.map((name) =>
    z.strictObject({ dist: z.literal(name).describe(distributions[name].summary), ...distributions[name].fields(() => MixtureItemSchema), ...extra }),
  );
}

type Variants = ReturnType<typeof distVariants>;
const asUnionMembers = (variants: Variants): [Variants[number], ...Variants] => variants as [Variants[number], ...Variants];

/** The parsed `{dist, ...fields}` as a `Dist`, each distribution normalizing its own fields. */
function normalizeDist(raw: { dist: Dist['dist'] } & Record<string, unknown>, ctx: Ctx): Dist {
  const { dist, ...fields } = raw;
  // The registry's entry for `dist` takes exactly the fields its own schema parsed.
  const impl: DistImpl<Dist> = distributions[dist] as unknown as DistImpl<Dist>;
  return impl.normalize(fields, (path, message) => fail(ctx, path, message, raw));
}

export function distObjectError(iss: z.core.$ZodRawIssue): string | undefined {
  if (iss.code === 'invalid_union') {
    const given = (iss.input as Record<string, unknown> | undefined)?.['dist'];
    return given === undefined ? messages.missingDist(DIST_NAMES) : messages.unknownDist(given, DIST_NAMES);
  }
  return undefined;
}

export const DistObjectSchema = z
  .discriminatedUnion('dist', asUnionMembers(distVariants({})), { error: distObjectError })
  .transform((raw, ctx) => normalizeDist(raw, ctx));

export const MixtureItemSchema: z.ZodType<MixtureComponent, MixtureItemInput> = z
  .discriminatedUnion(
    'dist',
    asUnionMembers(distVariants({ weight: Weight.default(1).describe('relative weight of this component (>= 0, default 1)') })),
    { error: distObjectError },
  )
  .transform((raw, ctx) => {
    const { weight, ...rest } = raw as { weight: number; dist: Dist['dist'] } & Record<string, unknown>;
    return { weight, dist: normalizeDist(rest, ctx) };
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

/**
 * Whether a time drawn from `d` advances the clock (µs, rounded half-up): a think time whose draws
 * would be about 0 µs keeps a session at one instant for ever (a livelock, not a slow run). The
 * typical draw (each distribution says which: mean, median, midpoint) must be at least the clock's
 * resolution, 1 µs; samples not read yet count as yes.
 */
export function hasPositiveMean(d: Dist): boolean {
  return distTypical(d) >= 1;
}
