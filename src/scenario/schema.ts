/**
 * The scenario file format (docs/scenario-format.md) as one zod schema. It validates a parsed
 * YAML/JSON document and normalizes it: every duration becomes microseconds (a number, not rounded),
 * every distribution a `Dist`, every shorthand its full form, every default filled in. The JSON
 * Schema printed by `lagsim schema` is generated from the same schema (jsonSchema.ts).
 *
 * Error texts come from `messages` (src/text/messages.ts); `validateScenario` turns the first zod
 * issue into one InputError line `<file>: <path>: <expected>`.
 */
import { z } from 'zod';
import { strategies, strategyNames, type StrategyChoice, type StrategyName } from '../strategies/index.js';
import { MAX_VNODES } from '../strategies/sticky.js';
import { messages } from '../text/messages.js';
import { formatDuration } from '../model/duration.js';
import { Count, countUpTo, Duration, durationMessage, whenPresent } from '../model/fields.js';
import { formatPath, InputError } from '../text/errors.js';
import { isUnder, setError, setOriginOf, type SetOrigin } from './overrides.js';

// ---------------------------------------------------------------------------------------------------
// Output types (what the simulator codes against). All durations are microseconds.

export type Dist =
  | { dist: 'constant'; value: number }
  | { dist: 'uniform'; min: number; max: number }
  | { dist: 'exponential'; mean: number }
  | { dist: 'normal'; mean: number; sd: number }
  | { dist: 'lognormal'; median: number; sigma: number }
  | { dist: 'pareto'; scale: number; shape: number }
  /** After loadScenario, `samples` is always set (µs); `file`/`column` are kept for reports. */
  | { dist: 'empirical'; samples?: number[]; file?: string; column?: string }
  | { dist: 'mixture'; of: MixtureComponent[] };

export interface MixtureComponent {
  weight: number;
  dist: Dist;
}

export type KeySelector =
  | { kind: 'new' }
  | { kind: 'own' }
  | { kind: 'lastWritten' }
  | { kind: 'popular' }
  | { kind: 'topic' }
  | { kind: 'topicHead' }
  | { kind: 'reply' }
  | { kind: 'shared'; name: string };

export interface Action {
  weight: number;
  do: 'read' | 'write';
  key: KeySelector;
  count: number;
  /** Think time after this action, instead of the group's (absent: the group's). */
  think?: Dist;
  /** Long-running work: how long its operations hold their node (absent: the node's service time). */
  hold?: Dist;
  /** Reads go to `leader` or to this replica group whatever the strategy (absent: the strategy decides). */
  target?: string;
  /** Probability that a read goes out without the session's strategy (absent: 0). */
  untracked?: number;
}

/** What users do after seeing an anomaly (client group `reactions`). */
export interface Reaction {
  on: 'ryw' | 'mr' | 'cp' | 'stale' | 'notFound';
  action?: number;
  p: number;
  after: Dist;
  do: 'resubmit' | 'refresh' | 'abandon';
  limit: number;
}

/** How an open-loop group's sessions arrive (absent: Poisson). */
export type ArrivalProcess = { process: 'fixed' } | { process: 'onoff'; on: Dist; off: Dist };

export type Popularity = { kind: 'uniform' } | { kind: 'zipf'; s: number };

/** A point of an open-loop rate schedule: `rate` sessions per second at time `at` (µs). */
export interface RatePoint {
  at: number;
  rate: number;
}

export interface ClientGroup {
  name: string;
  region: string;
  /** Closed loop: this many sessions for the whole run. Exactly one of sessions / rate. */
  sessions?: number;
  /** Open loop: new sessions per second. */
  rate?: number;
  /** Operations per open-loop session; set (default 1) exactly when `rate` is. */
  steps?: number;
  /** Open loop: the arrival rate over time (sessions/s at each point), replacing `rate` from its first point on. */
  schedule?: RatePoint[];
  /** How the rate goes between schedule points: linear (a ramp) or step (default linear). */
  interpolate?: 'linear' | 'step';
  /** Open loop: the arrival process; absent = Poisson. */
  arrivals?: ArrivalProcess;
  /** What users do after an anomaly; absent = nothing. */
  reactions?: Reaction[];
  think: Dist;
  ownKeys: number;
  popularity: Popularity;
  order: 'random' | 'cycle';
  actions: Action[];
}

// Input types (what a scenario file may contain), used for ScenarioInput.
export type DurationInput = number | string;
export type DistObjectInput =
  | { dist: 'constant'; value: DurationInput }
  | { dist: 'uniform'; min: DurationInput; max: DurationInput }
  | { dist: 'exponential'; mean: DurationInput }
  | { dist: 'normal'; mean: DurationInput; sd: DurationInput }
  | { dist: 'lognormal'; median: DurationInput; sigma?: number; p99?: DurationInput }
  | { dist: 'pareto'; scale: DurationInput; shape: number }
  | { dist: 'empirical'; samples?: DurationInput[]; file?: string; column?: string }
  | { dist: 'mixture'; of: MixtureItemInput[] };
export type DistInput = DurationInput | DistObjectInput;
export type MixtureItemInput = DistObjectInput & { weight?: number };

// ---------------------------------------------------------------------------------------------------
// Building blocks

/** z = Φ⁻¹(0.99): a lognormal's p99 is median · e^(z·sigma). */
export const Z99 = 2.3263478740408408;

export const DIST_NAMES = ['constant', 'uniform', 'exponential', 'normal', 'lognormal', 'pareto', 'empirical', 'mixture'] as const;
export const STRATEGY_NAMES: readonly StrategyName[] = strategyNames;
export type { StrategyName };

type Ctx = z.core.$RefinementCtx<unknown>;
function fail(ctx: Ctx, path: PropertyKey[], message: string, input: unknown): void {
  ctx.issues.push({ code: 'custom', message, input, path });
}

const PositiveDuration = Duration.refine((us) => us > 0, { error: messages.expectedPositiveDuration });

/** A relative weight: bounded so that any sum of them stays finite (1e308 + 1e308 is Infinity). */
const Weight = z.number().min(0).max(1e9);

/**
 * What one run can hold in memory (docs/scenario-format-notes.md, "Limits"): the simulator builds a
 * table of every keyspace key, a Session (with its own keys, random streams and checker state) per
 * closed-loop session, and per node its queues, streams and histograms, all before the first event.
 */
export const LIMITS = {
  /** keyspace.count: an Int32Array of ids, plus a Float64Array per Zipf picker. */
  keys: 10_000_000,
  /** closed-loop sessions, per group and in all groups (about 4 KB each). */
  sessions: 1_000_000,
  /** clients.N.ownKeys, per session. */
  ownKeysPerSession: 10_000,
  /** sessions × ownKeys in all groups (about 500 B per own key). */
  ownKeys: 1_000_000,
  /** cluster.shards. */
  shards: 1_000,
  /** cluster.replicas.N.count, copies per shard. */
  copies: 1_000,
  /** shards × (1 leader + replica copies): about 170 KB per node. */
  nodes: 2_000,
  /** sticky vnodes: ring points per node (the strategy's own bound). */
  vnodes: MAX_VNODES,
  /** actions.N.count: keys one read touches. */
  keysPerRead: 10_000,
} as const;

const MAX_NAME_LENGTH = 100;
const Region = z
  .string({ error: whenPresent(messages.expectedRegion) })
  .regex(/^[^/\s]+$/, { error: (iss) => messages.expectedRegion(iss.input) })
  .max(MAX_NAME_LENGTH, { error: (iss) => messages.nameTooLong(MAX_NAME_LENGTH, iss.input) });
/** Names (regions, groups, nodes, alerts) appear in messages, tables and charts: a line's worth at most. */
const Name = z
  .string()
  .min(1, { error: messages.emptyString })
  .max(MAX_NAME_LENGTH, { error: (iss) => messages.nameTooLong(MAX_NAME_LENGTH, iss.input) });
/** A data file's path, relative to the scenario (PATH_MAX). */
const FilePath = z.string().min(1, { error: messages.emptyString }).max(4096, { error: (iss) => messages.nameTooLong(4096, iss.input) });

/**
 * The scenario's `name` names folders (`lagsim-out/<name>-<command>-<n>/` by default, `results/<name>/`),
 * so it may not leave them or hide: no `/` or `\`, no leading `.` (so not `.` or `..`), no NUL or other control
 * character, at most 80 UTF-16 units (at most 240 bytes in UTF-8, under the usual 255).
 */
export const SCENARIO_NAME_RE = /^(?!\.)[^/\\\u0000-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]{1,80}$/;
const ScenarioName = Name.regex(SCENARIO_NAME_RE, { error: (iss) => messages.unsafeScenarioName(iss.input) });

// ---------------------------------------------------------------------------------------------------
// Distributions

type RawDist =
  | { dist: 'constant'; value: number }
  | { dist: 'uniform'; min: number; max: number }
  | { dist: 'exponential'; mean: number }
  | { dist: 'normal'; mean: number; sd: number }
  | { dist: 'lognormal'; median: number; sigma?: number | undefined; p99?: number | undefined }
  | { dist: 'pareto'; scale: number; shape: number }
  | { dist: 'empirical'; samples?: number[] | undefined; file?: string | undefined; column?: string | undefined }
  | { dist: 'mixture'; of: MixtureComponent[] };

function normalizeDist(raw: RawDist, ctx: Ctx): Dist {
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
function distVariants<E extends Record<string, z.ZodType>>(extra: E) {
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

function distObjectError(iss: z.core.$ZodRawIssue): string | undefined {
  if (iss.code === 'invalid_union') {
    const given = (iss.input as Record<string, unknown> | undefined)?.['dist'];
    return given === undefined ? messages.missingDist(DIST_NAMES) : messages.unknownDist(given, DIST_NAMES);
  }
  return undefined;
}

const DistObjectSchema = z
  .discriminatedUnion('dist', distVariants({}), { error: distObjectError })
  .transform((raw, ctx) => normalizeDist(raw as RawDist, ctx));

const MixtureItemSchema: z.ZodType<MixtureComponent, MixtureItemInput> = z
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

// ---------------------------------------------------------------------------------------------------
// Strategies

/**
 * Per strategy name, the schema of its options (without `name`), with defaults: each strategy's own
 * `options` (src/strategies/), described by its summary.
 */
export const StrategySchemas = Object.fromEntries(
  Object.values(strategies).map((entry) => [entry.name, entry.options.describe(entry.summary)]),
) as unknown as { [N in StrategyName]: (typeof strategies)[N]['options'] };

/** `strategy`: `{name, ...options}`, one member per registered strategy, in the registry's order. */
const strategyMembers = Object.values(strategies).map((entry) =>
  z.strictObject({ name: z.literal(entry.name).describe(entry.summary), ...entry.options.shape }),
);
// The members are built from the registry in a loop: zod cannot follow which options go with which
// name, so the schema's output is declared as the registry's StrategyChoice, its one cast.
const StrategySchema = z.discriminatedUnion('name', strategyMembers as [(typeof strategyMembers)[number], ...(typeof strategyMembers)[number][]], {
  error: (iss) => {
    if (iss.code === 'invalid_union') {
      const given = (iss.input as Record<string, unknown> | undefined)?.['name'];
      return given === undefined ? messages.missingStrategy(STRATEGY_NAMES) : messages.unknownStrategy(given, STRATEGY_NAMES);
    }
    if (iss.code === 'invalid_type' && iss.input !== undefined) return messages.expectedStrategy(iss.input);
    return undefined;
  },
}) as unknown as z.ZodType<StrategyChoice, unknown>;

export type StrategyConfig = StrategyChoice;
export type StrategyOptions<N extends StrategyName> = z.output<(typeof strategies)[N]['options']>;

// ---------------------------------------------------------------------------------------------------
// Clients

const KEY_RE = /^(?:new|own|lastWritten|popular|topic|topicHead|reply|shared:\S+)$/;
const KeySelectorSchema = z
  .string({ error: whenPresent(messages.unknownKeySelector) })
  .regex(KEY_RE, { error: (iss) => messages.unknownKeySelector(iss.input) })
  .transform((s): KeySelector => (s.startsWith('shared:') ? { kind: 'shared', name: s.slice('shared:'.length) } : ({ kind: s } as KeySelector)));

function keyText(key: KeySelector): string {
  return key.kind === 'shared' ? `shared:${key.name}` : key.kind;
}

export const ActionSchema = z
  .strictObject({
    weight: Weight.default(1).describe('relative weight with order: random (>= 0, default 1; ignored with order: cycle)'),
    do: z.enum(['read', 'write']).describe('read or write'),
    key: KeySelectorSchema.describe(
      'which keys: new | own | lastWritten | popular | topic | topicHead | reply | shared:NAME',
    ),
    count: countUpTo(LIMITS.keysPerRead, 'keys per read').default(1).describe('with key: popular, how many keys one read touches (default 1)'),
    think: DistSchema.optional().describe(
      "think time after this action completes, instead of the group's (positive mean; default: the group's think)",
    ),
    hold: DistSchema.optional().describe(
      "long-running work (analytics, a long transaction): how long each operation holds the node's service slot, instead of the node's service time; on a replica with replayConflicts it also blocks replay (default: the node's service time)",
    ),
    target: Name.optional().describe('reads go to `leader` or to the named replica group, whatever the strategy and balancer (default: the strategy decides)'),
    untracked: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe("probability that a read goes out without the session's strategy state (a second browser tab, another service, a cache): the balancer alone routes it (default 0)"),
  })
  .transform((a, ctx): Action => {
    if (a.count !== 1 && a.key.kind !== 'popular') fail(ctx, ['count'], messages.countOnlyPopular(keyText(a.key)), a);
    else if (a.do === 'write' && a.count !== 1) fail(ctx, ['count'], messages.writeOneKeyCount, a);
    if (a.do === 'write' && a.key.kind === 'topic') fail(ctx, ['key'], messages.writeOneKeyTopic, a);
    if (a.think !== undefined && !hasPositiveMean(a.think)) fail(ctx, ['think'], messages.thinkMeanZero, a);
    if (a.target !== undefined && a.do === 'write') fail(ctx, ['target'], messages.targetOnlyReads, a);
    if (a.untracked !== undefined && a.do === 'write') fail(ctx, ['untracked'], messages.targetOnlyReads, a);
    const out: Action = { weight: a.weight, do: a.do, key: a.key, count: a.count };
    if (a.think !== undefined) out.think = a.think;
    if (a.hold !== undefined) out.hold = a.hold;
    if (a.target !== undefined) out.target = a.target;
    if (a.untracked !== undefined) out.untracked = a.untracked;
    return out;
  });

const ReactionSchema = z.strictObject({
  on: z
    .enum(['ryw', 'mr', 'cp', 'stale', 'notFound'])
    .describe('the anomaly the user sees: ryw | mr | cp | stale (a violating read), or notFound (a key read returned absent)'),
  action: z.number().int().min(0).optional().describe('index of the read action (in actions) whose reads trigger it (default: any read)'),
  p: z.number().min(0).max(1).describe('probability that the user reacts to such a read (0 to 1)'),
  after: DistSchema.prefault(0).describe('delay before the reaction, instead of the think time (default 0)'),
  do: z
    .enum(['resubmit', 'refresh', 'abandon'])
    .describe('resubmit: write again what the session last wrote (a duplicate); refresh: re-read the same keys; abandon: an open-loop session leaves'),
  limit: Count.default(3).describe('at most this many reactions in a row per session (default 3)'),
});

const ArrivalsSchema = z
  .union(
    [
      z.enum(['poisson', 'fixed', 'onoff']).transform((process) => ({ process, on: undefined, off: undefined })),
      z.strictObject({
        process: z
          .enum(['poisson', 'fixed', 'onoff'])
          .describe('poisson: exponential gaps; fixed: exactly 1/rate apart; onoff: Poisson at `rate` during on periods, none during off periods'),
        on: DistSchema.optional().describe('onoff: length of an on (sending) period; periods alternate, starting on at time 0'),
        off: DistSchema.optional().describe('onoff: length of an off (silent) period'),
      }),
    ],
    { error: whenPresent(messages.invalidValue) },
  )
  .transform((a, ctx): ArrivalProcess | null => {
    if (a.process === 'onoff') {
      if (a.on === undefined || a.off === undefined) {
        fail(ctx, [], messages.onOffNeedsPeriods, a);
        return null;
      }
      if (!hasPositiveMean(a.on)) fail(ctx, ['on'], messages.onOffMeanZero, a);
      return { process: 'onoff', on: a.on, off: a.off };
    }
    if (a.on !== undefined || a.off !== undefined) fail(ctx, [a.on !== undefined ? 'on' : 'off'], messages.periodsOnlyOnOff, a);
    return a.process === 'fixed' ? { process: 'fixed' } : null;
  });

const PopularitySchema = z.union(
  [
    z.literal('uniform').transform((): Popularity => ({ kind: 'uniform' })),
    z
      .strictObject({ zipf: z.number().positive().describe('Zipf exponent s (> 0)') })
      .transform((v): Popularity => ({ kind: 'zipf', s: v.zipf })),
  ],
  { error: whenPresent(messages.expectedPopularity) },
);

export const ClientGroupSchema = z
  .strictObject({
    name: Name.describe('name of the group, used in key and session names (unique)'),
    region: Region.describe('region the clients run in'),
    sessions: countUpTo(LIMITS.sessions, 'sessions').optional().describe('closed loop: number of sessions, each one operation at a time then a think time'),
    rate: z.number().positive().optional().describe('open loop: new sessions per second, each running `steps` operations then leaving'),
    steps: Count.optional().describe('operations per open-loop session (default 1; only with rate)'),
    schedule: z
      .array(z.strictObject({ at: Duration.describe('time since the start of the run'), rate: z.number().min(0).describe('sessions per second from then on') }))
      .min(1)
      .optional()
      .describe('open loop: the arrival rate over time, e.g. a Black Friday surge: [{at: 0, rate: 20}, {at: 5m, rate: 200}, {at: 8m, rate: 20}]'),
    interpolate: z.enum(['linear', 'step']).default('linear').describe('between schedule points: linear (a ramp) or step (default linear)'),
    arrivals: ArrivalsSchema.optional().describe(
      'open loop: how sessions arrive: poisson | fixed | {process: onoff, on: DIST, off: DIST} (default poisson)',
    ),
    think: DistSchema.describe('think time between one operation\'s completion and the next one\'s start (positive mean)'),
    ownKeys: countUpTo(LIMITS.ownKeysPerSession, 'own keys per session').default(1).describe('distinct own keys per session (default 1)'),
    popularity: PopularitySchema.prefault('uniform').describe('how popular, topic and topicHead pick from the keyspace: uniform | {zipf: S} (default uniform)'),
    order: z
      .enum(['random', 'cycle'])
      .default('random')
      .describe('random: each step picks an action by weight; cycle: the actions in listed order, again and again (default random)'),
    actions: z.array(ActionSchema).min(1, { error: messages.noActions }).describe('what a session does'),
    reactions: z
      .array(ReactionSchema)
      .optional()
      .describe('what users do after an anomaly: [{on: notFound, p: 0.3, after: 2s, do: resubmit}] (default: nothing)'),
  })
  .transform((g, ctx): ClientGroup => {
    if (g.sessions === undefined && g.rate === undefined) fail(ctx, [], messages.sessionsOrRateNeither, g);
    else if (g.sessions !== undefined && g.rate !== undefined) fail(ctx, [], messages.sessionsOrRateBoth, g);
    else if (g.steps !== undefined && g.rate === undefined) fail(ctx, ['steps'], messages.stepsNeedRate, g);
    if (g.schedule !== undefined && g.rate === undefined) fail(ctx, ['schedule'], messages.scheduleNeedsRate, g);
    if (g.arrivals !== undefined && g.rate === undefined) fail(ctx, ['arrivals'], messages.arrivalsNeedRate, g);
    if (g.schedule !== undefined && g.schedule.some((p, i) => i > 0 && p.at <= g.schedule![i - 1]!.at)) {
      fail(ctx, ['schedule'], messages.scheduleNotSorted, g);
    }
    if (!hasPositiveMean(g.think)) fail(ctx, ['think'], messages.thinkMeanZero, g);
    g.reactions?.forEach((r, i) => {
      if (r.action !== undefined && g.actions[r.action]?.do !== 'read') {
        fail(ctx, ['reactions', i, 'action'], messages.reactionActionNotRead(g.actions.length, r.action), g);
      }
    });
    if (g.order === 'random' && !(g.actions.reduce((sum, a) => sum + a.weight, 0) > 0)) fail(ctx, ['actions'], messages.weightsSumZero, g);
    const out: ClientGroup = {
      name: g.name,
      region: g.region,
      think: g.think,
      ownKeys: g.ownKeys,
      popularity: g.popularity,
      order: g.order,
      actions: g.actions,
    };
    if (g.sessions !== undefined) out.sessions = g.sessions;
    if (g.rate !== undefined) {
      out.rate = g.rate;
      out.steps = g.steps ?? 1;
      if (g.schedule !== undefined) {
        out.schedule = g.schedule;
        out.interpolate = g.interpolate;
      }
      if (g.arrivals !== undefined && g.arrivals !== null) out.arrivals = g.arrivals;
    }
    if (g.reactions !== undefined && g.reactions.length > 0) {
      out.reactions = g.reactions.map(({ action, ...rule }): Reaction => (action === undefined ? rule : { ...rule, action }));
    }
    return out;
  });

// ---------------------------------------------------------------------------------------------------
// Cluster, network, keyspace, balancer

export const ReplicaGroupSchema = z.strictObject({
  name: Name.default('replica').describe('name: copies are named <name>-<shard>-<copy> (default replica; unique)'),
  region: Region.describe('region of these replicas'),
  count: countUpTo(LIMITS.copies, 'copies per shard').default(1).describe('copies per shard (default 1)'),
  weight: Weight.default(1).describe('weight for the weighted balancer (>= 0, default 1)'),
  lag: DistSchema.describe('replication lag level (includes the network), e.g. {dist: lognormal, median: 300ms, p99: 1.2s}'),
  lagHold: Duration.prefault('1s').describe('mean holding time of a lag level (exponential); 0 = a fresh lag per log entry (default 1s)'),
  apply: DistSchema.optional().describe('apply time per log entry, one at a time in order (default 0)'),
  service: DistSchema.optional().describe('read service time (default 0)'),
  concurrency: Count.optional().describe('parallel requests; more wait FIFO (default unlimited)'),
  sync: z
    .enum(['remote_write', 'remote_apply'])
    .optional()
    .describe(
      'synchronous replicas: writes are acknowledged once cluster.syncQuorum of them have received (remote_write) or applied (remote_apply) the entry (default: asynchronous)',
    ),
  replayConflicts: z
    .strictObject({
      maxDelay: Duration.describe("how long replay may wait for a conflicting query before cancelling it (PostgreSQL's max_standby_streaming_delay)"),
    })
    .optional()
    .describe('hot-standby conflicts: a long query (an action with hold) blocks replay on these replicas, at most maxDelay, then replay cancels it (a failed read) (default: queries never block replay)'),
  stalls: z
    .strictObject({
      every: DistSchema.describe('time between the end of one stall and the start of the next'),
      for: DistSchema.describe('how long applying stops'),
    })
    .optional()
    .describe('replication stalls (vacuum, long transactions): applying stops for `for`, every `every`'),
});

const LeaderSchema = z.strictObject({
  region: Region.describe('region of the leaders'),
  service: DistSchema.optional().describe('service time of a request on a leader (default 0)'),
  readService: DistSchema.optional().describe('service time of a read on a leader, instead of `service` (default: service)'),
  writeService: DistSchema.optional().describe('service time of a write on a leader, instead of `service` (default: service)'),
  concurrency: Count.optional().describe('parallel requests; more wait FIFO (default unlimited)'),
});

const ClusterSchema = z.strictObject({
  shards: countUpTo(LIMITS.shards, 'shards').default(1).describe('number of shards, each with one leader and its replicas (default 1)'),
  leader: LeaderSchema.describe('the leader of each shard'),
  replicas: z.array(ReplicaGroupSchema).min(1, { error: messages.noReplicas }).describe('replica groups, per shard'),
  syncQuorum: Count.optional().describe(
    'how many synchronous replica copies of a shard must confirm a write before it is acknowledged (ANY k; default 1 when a group has sync)',
  ),
});

const RegionPair = z
  .string()
  .regex(/^[^/\s]+\/[^/\s]+$/, { error: (iss) => messages.expectedRegionPair(iss.input) });

const NetworkSchema = z.strictObject({
  latency: z
    .record(RegionPair, DistSchema)
    .prefault({})
    .describe('one-way latency between two regions ("us-east/us-west", symmetric), any Dist; within a region 0 unless given'),
});

const KeyspaceSchema = z.strictObject({
  count: countUpTo(LIMITS.keys, 'keys').default(1000).describe('number of shared keys k0..k(n-1) (default 1000)'),
  topicSize: Count.default(1).describe('keys per topic: topic t = keys t*size .. t*size+size-1 (default 1)'),
  preload: z.boolean().default(true).describe('every keyspace key starts at version 0 (default true)'),
  placement: z
    .enum(['hash', 'position'])
    .default('hash')
    .describe('hash: fnv1a32(key) mod shards; position: topic position mod shards (default hash)'),
});

const BalancerSchema = z.strictObject({
  policy: z
    .enum(['random', 'round-robin', 'least-outstanding', 'weighted'])
    .default('random')
    .describe('how reads pick a replica (default random)'),
  maxLag: Duration.optional().describe('drop replicas whose polled lag exceeds this; all dropped = read the leader'),
  poll: PositiveDuration.prefault('1s').describe('how often replica lag is polled (default 1s)'),
  readFrom: z
    .enum(['any', 'sync'])
    .optional()
    .describe('any: every replica; sync: only synchronous replicas (the leader when none is eligible) (default any)'),
});

const TVisibilityTimes = z
  .array(PositiveDuration)
  .min(1)
  .refine((times) => times.every((t, i) => i === 0 || t > times[i - 1]!), { error: messages.tVisibilityNotSorted });

const ReportSchema = z.strictObject({
  queueing: z
    .boolean()
    .default(false)
    .describe('per node: queue wait (mean, p99) apart from service time, mean queue length and P(wait), in the summary\'s `queueing` (default false)'),
  tVisibility: TVisibilityTimes.optional().describe(
    'the t-visibility curve\'s bucket edges instead of the built-in ones, e.g. [50ms, 100ms, 500ms] (run --tvis sets them too)',
  ),
});

const StrategyOptionsSchema = z.strictObject(
  Object.fromEntries(strategyNames.map((name) => [name, StrategySchemas[name].optional()])) as unknown as {
    [N in StrategyName]: z.ZodOptional<(typeof StrategySchemas)[N]>;
  },
);

// ---------------------------------------------------------------------------------------------------
// Faults

/** One fault: when (once `at`, or repeatedly `every`), what (crash, pause, partition) and for how long. */
export type FaultEvent = {
  at: number | null;
  every: Dist | null;
  for: Dist | null;
} & ({ kind: 'crash'; node: string } | { kind: 'pause'; node: string } | { kind: 'partition'; regions: [string, string] });

const FaultEventSchema = z
  .strictObject({
    at: Duration.optional().describe('when it happens (time since the start of the run)'),
    every: DistSchema.optional().describe('or: time between occurrences (from the end of the previous one)'),
    crash: Name.optional().describe('a node that crashes: leader-<shard> (then fails over) or <replica>-<shard>-<copy>'),
    pause: Name.optional().describe('a replica that stops applying its log (it still serves reads)'),
    partition: z.tuple([Region, Region]).optional().describe('two regions that cannot reach each other'),
    for: DistSchema.optional().describe('how long it lasts (default: until the end; a crashed leader never comes back)'),
  })
  .transform((e, ctx): FaultEvent => {
    if (e.at === undefined && e.every === undefined) fail(ctx, [], messages.faultNeedsWhen, e);
    else if (e.at !== undefined && e.every !== undefined) fail(ctx, ['every'], messages.faultBothWhen, e);
    const kinds = [e.crash, e.pause, e.partition].filter((k) => k !== undefined).length;
    if (kinds === 0) fail(ctx, [], messages.faultNeedsKind, e);
    else if (kinds > 1) fail(ctx, [], messages.faultManyKinds, e);
    if (e.partition !== undefined && e.partition[0] === e.partition[1]) fail(ctx, ['partition'], messages.partitionSameRegion, e);
    const when = { at: e.at ?? null, every: e.every ?? null, for: e.for ?? null };
    if (e.partition !== undefined) return { ...when, kind: 'partition', regions: e.partition };
    if (e.pause !== undefined) return { ...when, kind: 'pause', node: e.pause };
    return { ...when, kind: 'crash', node: e.crash ?? '' };
  });

const FaultsSchema = z.strictObject({
  failoverTime: Duration.prefault('5s').describe('after a leader crash, time until its most up-to-date replica is promoted (default 5s)'),
  duringFailover: z
    .enum(['fail', 'wait'])
    .default('fail')
    .describe('writes to a shard without a leader: fail at once, or wait for the new leader (default fail)'),
  events: z.array(FaultEventSchema).default([]).describe('the faults: crashes, pauses, partitions'),
});

// ---------------------------------------------------------------------------------------------------
// Top level

const ScenarioObject = z.strictObject({
  name: ScenarioName.describe('name of the scenario, used in outputs and in output folder names: no / or \\, not starting with ".", no control or text-direction characters, at most 80 characters'),
  description: z.string().optional().describe('one paragraph: what this scenario teaches or plans'),
  seed: z.number().int().min(0).default(1).describe('random seed (default 1; the CLI --seed overrides)'),
  duration: PositiveDuration.describe('simulated time measured after warm-up, e.g. 10m'),
  warmup: Duration.prefault(0).describe('simulated time before measurement starts (default 0)'),
  keyspace: KeyspaceSchema.prefault({}).describe('the shared keys all client groups draw from'),
  cluster: ClusterSchema.describe('leaders and replicas'),
  network: NetworkSchema.prefault({}).describe('latency between regions'),
  clients: z.array(ClientGroupSchema).min(1, { error: messages.noClients }).describe('client groups'),
  balancer: BalancerSchema.prefault({}).describe('how reads pick a replica (default {policy: random})'),
  strategy: StrategySchema.prefault({ name: 'none' }).describe('how reads avoid stale replicas (default {name: none})'),
  strategyOptions: StrategyOptionsSchema.prefault({}).describe(
    'options per strategy name, used when a command varies strategy.name (compare, sweep)',
  ),
  faults: FaultsSchema.prefault({}).describe('crashes, replication pauses, partitions and leader failover'),
  report: ReportSchema.optional().describe('optional outputs beyond the default summary (default: none)'),
  monitor: z
    .strictObject({
      every: PositiveDuration.prefault('15s').describe('how often each replica\'s lag is scraped (pg_stat_replication by Prometheus) (default 15s)'),
      lagAbove: z
        .array(Duration)
        .default([])
        .describe('thresholds: the summary gives the share of scrapes with lag above each, e.g. [1s, 5s] (default none)'),
      alerts: z
        .array(
          z.strictObject({
            name: Name.describe('name of the alert, in the summary and the time series'),
            above: Duration.describe('it is pending while the scraped lag of a replica is above this'),
            for: Duration.prefault(0).describe('and fires once it has been pending this long (Prometheus `for`; default 0)'),
          }),
        )
        .default([])
        .describe('alert rules, evaluated per replica at each scrape (default none)'),
    })
    .optional()
    .describe('lag monitoring: scrape every replica\'s lag, report the time-sampled lag and alerts (default none)'),
  migrations: z
    .array(
      z.strictObject({
        at: Duration.describe('when the big transaction commits (time since the start of the run)'),
        apply: DistSchema.describe('how long each replica takes to apply it (entries behind it wait)'),
      }),
    )
    .optional()
    .describe('one-off big transactions (a schema migration): one log entry per shard with its own apply time (default none)'),
});

type ScenarioShape = z.output<typeof ScenarioObject>;

/** The limits on sums (LIMITS): false when one is exceeded (then the checks below would build too much). */
function checkTotals(s: ScenarioShape, ctx: Ctx): boolean {
  const copies = s.cluster.replicas.reduce((sum, r) => sum + r.count, 0);
  const nodes = s.cluster.shards * (1 + copies);
  if (nodes > LIMITS.nodes) {
    fail(ctx, ['cluster'], messages.tooMany(LIMITS.nodes, 'nodes', nodes, 'shards × (1 leader + replica copies)'), s);
    return false;
  }
  let sessions = 0;
  let ownKeys = 0;
  for (const [i, c] of s.clients.entries()) {
    if (c.sessions === undefined) continue;
    sessions += c.sessions;
    ownKeys += c.sessions * c.ownKeys;
    if (sessions > LIMITS.sessions) {
      fail(ctx, ['clients', i, 'sessions'], messages.tooMany(LIMITS.sessions, 'sessions in all client groups', sessions), s);
      return false;
    }
    if (ownKeys > LIMITS.ownKeys) {
      fail(ctx, ['clients', i, 'ownKeys'], messages.tooMany(LIMITS.ownKeys, 'own keys in all client groups', ownKeys, 'sessions × ownKeys'), s);
      return false;
    }
  }
  return true;
}

function checkScenario(s: ScenarioShape, ctx: Ctx): ScenarioShape {
  if (!checkTotals(s, ctx)) return s;
  if (s.keyspace.topicSize > s.keyspace.count) {
    fail(ctx, ['keyspace', 'topicSize'], messages.topicLargerThanKeyspace(s.keyspace.count, s.keyspace.topicSize), s);
  }
  const replicaNames = new Set<string>();
  s.cluster.replicas.forEach((r, i) => {
    if (replicaNames.has(r.name)) fail(ctx, ['cluster', 'replicas', i, 'name'], messages.duplicateName('replica group', r.name), s);
    replicaNames.add(r.name);
  });
  const groupNames = new Set<string>();
  s.clients.forEach((c, i) => {
    if (groupNames.has(c.name)) fail(ctx, ['clients', i, 'name'], messages.duplicateName('client group', c.name), s);
    groupNames.add(c.name);
  });
  const pairs = new Map<string, string>(); // normalized "a/b" (sorted) -> key as written
  for (const key of Object.keys(s.network.latency)) {
    const [a = '', b = ''] = key.split('/');
    const norm = a < b ? `${a}/${b}` : `${b}/${a}`;
    const seen = pairs.get(norm);
    if (seen !== undefined) fail(ctx, ['network', 'latency', key], messages.duplicatePair(seen), s);
    else pairs.set(norm, key);
  }
  const nodeNames: string[] = [];
  for (let shard = 0; shard < s.cluster.shards; shard++) {
    nodeNames.push(`leader-${shard}`);
    for (const r of s.cluster.replicas) for (let copy = 1; copy <= r.count; copy++) nodeNames.push(`${r.name}-${shard}-${copy}`);
  }
  const regions = new Set([s.cluster.leader.region, ...s.cluster.replicas.map((r) => r.region), ...s.clients.map((c) => c.region)]);
  s.faults.events.forEach((e, i) => {
    if (e.kind === 'partition') {
      e.regions.forEach((region, j) => {
        if (!regions.has(region)) fail(ctx, ['faults', 'events', i, 'partition', j], messages.unknownRegion(region, [...regions]), s);
      });
    } else if (!nodeNames.includes(e.node)) {
      fail(ctx, ['faults', 'events', i, e.kind], messages.unknownNode(e.node, nodeNames), s);
    } else if (e.kind === 'pause' && e.node.startsWith('leader-')) {
      fail(ctx, ['faults', 'events', i, 'pause'], messages.notAReplica(e.node), s);
    }
  });
  const syncCopies = s.cluster.replicas.reduce((sum, r) => sum + (r.sync === undefined ? 0 : r.count), 0);
  if (s.cluster.syncQuorum !== undefined && syncCopies === 0) fail(ctx, ['cluster', 'syncQuorum'], messages.syncQuorumWithoutSync, s);
  else if (s.cluster.syncQuorum !== undefined && s.cluster.syncQuorum > syncCopies) {
    fail(ctx, ['cluster', 'syncQuorum'], messages.syncQuorumTooLarge(syncCopies, s.cluster.syncQuorum), s);
  }
  const replicaGroupNames = s.cluster.replicas.map((r) => r.name);
  s.clients.forEach((c, i) =>
    c.actions.forEach((a, j) => {
      if (a.target !== undefined && a.target !== 'leader' && !replicaGroupNames.includes(a.target)) {
        fail(ctx, ['clients', i, 'actions', j, 'target'], messages.unknownTarget(a.target, replicaGroupNames), s);
      }
    }),
  );
  if (s.balancer.readFrom === 'sync' && syncCopies === 0) fail(ctx, ['balancer', 'readFrom'], messages.readFromSyncWithoutSync, s);
  const leaderRegion = s.cluster.leader.region;
  for (const c of s.clients) {
    for (const other of [leaderRegion, ...s.cluster.replicas.map((r) => r.region)]) {
      if (other === c.region) continue;
      const norm = c.region < other ? `${c.region}/${other}` : `${other}/${c.region}`;
      if (!pairs.has(norm)) {
        fail(ctx, ['network', 'latency'], messages.missingLatency(c.region, other, c.name), s);
        return s;
      }
    }
  }
  return s;
}

export const ScenarioSchema = ScenarioObject.transform(checkScenario);

export type ScenarioInput = z.input<typeof ScenarioSchema>;
export type Scenario = z.output<typeof ScenarioSchema>;
export type ReplicaGroup = Scenario['cluster']['replicas'][number];
export type Keyspace = Scenario['keyspace'];
export type Balancer = Scenario['balancer'];

/** Where a strategy name came from, for the error line of an unknown one (`<file>: <path>: ...`). */
export interface StrategySource {
  /** The option or file that gave the name, e.g. `--strategy`; '' when the caller adds it. */
  file: string;
  /** The field path, e.g. `strategy.name`; undefined for an option's value. */
  path?: string | undefined;
}

/**
 * The options a strategy runs with when a command uses strategy `name`: from
 * `strategyOptions.<name>`, else from `strategy` when its name matches, else the defaults. An
 * unknown name is an InputError from `source` (default: no file, path `strategy.name`).
 */
export function strategyFor(
  scenario: Pick<Scenario, 'strategy' | 'strategyOptions'>,
  name: string,
  source: StrategySource = { file: '', path: 'strategy.name' },
): StrategyConfig {
  if (!(STRATEGY_NAMES as readonly string[]).includes(name)) {
    throw new InputError(source.file, source.path, messages.unknownStrategy(name, STRATEGY_NAMES));
  }
  const n = name as StrategyName;
  const options = scenario.strategyOptions[n];
  if (options !== undefined) return { ...options, name: n } as StrategyConfig;
  if (scenario.strategy.name === n) return { ...scenario.strategy };
  return { ...StrategySchemas[n].parse({}), name: n } as StrategyConfig;
}

// ---------------------------------------------------------------------------------------------------
// Errors: zod issues -> one InputError

/** Whether the number schema that raised a too_small/too_big issue also requires an integer. */
function isIntegerCheck(iss: z.core.$ZodRawIssue): boolean {
  type Def = { format?: unknown };
  const schema = (iss as { schema?: { _zod?: { def?: { checks?: Array<{ _zod?: { def?: Def } }> } } } }).schema;
  const checks = schema?._zod?.def?.checks ?? [];
  return checks.some((c) => {
    const format = c._zod?.def?.format;
    return typeof format === 'string' && format.includes('int');
  });
}

/** Friendly texts for zod's generic issue codes (schema-specific texts are set on the schemas). */
export function scenarioErrorMap(iss: z.core.$ZodRawIssue): string | undefined {
  if (iss.input === undefined && iss.code !== 'unrecognized_keys') return messages.required;
  switch (iss.code) {
    case 'invalid_type':
      return messages.expectedType(iss.expected, iss.input);
    case 'too_small':
      if (iss.origin === 'array' || iss.origin === 'set') return messages.tooFewItems(iss.minimum);
      if (iss.origin === 'string') return messages.emptyString;
      return messages.tooSmall(iss.minimum, iss.inclusive ?? true, isIntegerCheck(iss), iss.input);
    case 'too_big':
      return messages.tooBig(iss.maximum, iss.inclusive ?? true, isIntegerCheck(iss), iss.input);
    case 'invalid_value':
      return messages.expectedOneOf(iss.values, iss.input);
    case 'unrecognized_keys': {
      const shape = (iss.inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def?.shape;
      return messages.unknownField(Object.keys(shape ?? {}), iss.keys[0]);
    }
    default:
      return messages.invalidValue(iss.input);
  }
}

/** A root-level type mismatch: in a union, this branch is simply not the one the user meant. */
function isMismatch(iss: z.core.$ZodIssue): boolean {
  if (iss.path.length > 0) return false;
  if (iss.code === 'invalid_type' || iss.code === 'invalid_value' || iss.code === 'invalid_format') return true;
  if (iss.code === 'invalid_union' && !('note' in iss && iss.note)) {
    return iss.errors.length > 0 && iss.errors.every((branch) => branch.length > 0 && branch.every(isMismatch));
  }
  return false;
}

/** The issue to report among several: an unknown field first (typos explain the rest), else the first. */
function pick(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue | undefined {
  return issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0];
}

/** Resolves an issue (descending into the union branch the user evidently meant) to a path and text. */
export function describeIssue(iss: z.core.$ZodIssue): { path: PropertyKey[]; message: string } {
  if (iss.code === 'invalid_union' && !('note' in iss && iss.note)) {
    for (const branch of iss.errors) {
      const meant = branch.filter((b) => !isMismatch(b));
      const first = pick(meant);
      if (first) {
        const inner = describeIssue(first);
        return { path: [...iss.path, ...inner.path], message: inner.message };
      }
    }
    return { path: iss.path, message: iss.message };
  }
  if (iss.code === 'unrecognized_keys') return { path: [...iss.path, iss.keys[0] ?? ''], message: iss.message };
  if (iss.code === 'invalid_key' && iss.issues[0]) return { path: iss.path, message: iss.issues[0].message };
  return { path: iss.path, message: iss.message };
}

/** Every problem of a document as (path, message), as describeIssue reports them (each unknown key). */
function problemsOf(doc: unknown): Array<{ path: string; message: string }> {
  const result = ScenarioSchema.safeParse(doc, { error: scenarioErrorMap });
  if (result.success) return [];
  return result.error.issues.flatMap((iss) => {
    if (iss.code === 'unrecognized_keys') return iss.keys.map((key) => ({ path: formatPath([...iss.path, key]), message: iss.message }));
    const { path, message } = describeIssue(iss);
    return [{ path: formatPath(path), message }];
  });
}

/**
 * The error to throw for a problem at `path` of the document `final` (after the --set assignments
 * `origins`): `--set` when an assignment wrote at, under or above `path` (setOriginOf), or, failing
 * that, when the file's own document does not have the problem and an assignment brings it (the
 * first one after which it appears, e.g. a client region with no latency pair); else the file.
 */
function errorFor(path: string, message: string, file: string, origins: readonly SetOrigin[], final: unknown): InputError {
  const byPath = setOriginOf(path, origins);
  if (byPath?.exact) return setError(path, message, byPath.origin, true);
  if (path !== '' && origins.length > 0 && origins.every((o) => 'before' in o)) {
    const states: unknown[] = [...origins.map((o) => o.before), final];
    const has = (doc: unknown) => problemsOf(doc).some((p) => p.path === path && p.message === message);
    if (has(states[0])) return new InputError(file, path, message);
    const k = states.findIndex((doc, i) => i > 0 && has(doc));
    if (k > 0) {
      const origin = origins[k - 1] as SetOrigin;
      return setError(path, message, origin, isUnder(path, origin.path));
    }
  }
  return byPath ? setError(path, message, byPath.origin, false) : new InputError(file, path, message);
}

/**
 * Validates and normalizes a parsed scenario document. Throws InputError for the first problem
 * (`<file>: <path>: <expected>`, or `--set: <path>: ...` for a value that came from --set).
 * Empirical `file` distributions are not read here (see loadScenario).
 */
export function validateScenario(raw: unknown, file: string, sets: readonly (string | SetOrigin)[] = []): Scenario {
  if (raw === null || raw === undefined) throw new InputError(file, undefined, messages.emptyFile);
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new InputError(file, undefined, messages.expectedScenarioMapping(raw));
  const result = ScenarioSchema.safeParse(raw, { error: scenarioErrorMap });
  if (result.success) return result.data;
  const first = pick(result.error.issues);
  if (!first) throw new InputError(file, undefined, messages.invalidValue(raw));
  const { path, message } = describeIssue(first);
  const origins = sets.map((o): SetOrigin => (typeof o === 'string' ? { assignment: '', path: o, created: o } : o));
  throw errorFor(formatPath(path), message, file, origins, raw);
}

