/** Building blocks of the scenario schema: limits, names, weights, and how a refinement reports an issue. */
import { z } from 'zod';
import { type StrategyName, strategyNames } from '../strategies/index.js';
import { MAX_VNODES } from '../strategies/sticky.js';
import { messages } from '../text/messages.js';
import { Duration, whenPresent } from '../model/fields.js';

// ---------------------------------------------------------------------------------------------------
// Building blocks

/** z = Φ⁻¹(0.99): a lognormal's p99 is median · e^(z·sigma). */
export const Z99 = 2.3263478740408408;

export const DIST_NAMES = ['constant', 'uniform', 'exponential', 'normal', 'lognormal', 'pareto', 'empirical', 'mixture'] as const;
export const STRATEGY_NAMES: readonly StrategyName[] = strategyNames;
export type { StrategyName };

export type Ctx = z.core.$RefinementCtx<unknown>;
export function fail(ctx: Ctx, path: PropertyKey[], message: string, input: unknown): void {
  ctx.issues.push({ code: 'custom', message, input, path });
}

export const PositiveDuration = Duration.refine((us) => us > 0, { error: messages.expectedPositiveDuration });

/** A relative weight: bounded so that any sum of them stays finite (1e308 + 1e308 is Infinity). */
export const Weight = z.number().min(0).max(1e9);

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

export const MAX_NAME_LENGTH = 100;
export const Region = z
  .string({ error: whenPresent(messages.expectedRegion) })
  .regex(/^[^/\s]+$/, { error: (iss) => messages.expectedRegion(iss.input) })
  .max(MAX_NAME_LENGTH, { error: (iss) => messages.nameTooLong(MAX_NAME_LENGTH, iss.input) });
/** Names (regions, groups, nodes, alerts) appear in messages, tables and charts: a line's worth at most. */
export const Name = z
  .string()
  .min(1, { error: messages.emptyString })
  .max(MAX_NAME_LENGTH, { error: (iss) => messages.nameTooLong(MAX_NAME_LENGTH, iss.input) });
/** A data file's path, relative to the scenario (PATH_MAX). */
export const FilePath = z.string().min(1, { error: messages.emptyString }).max(4096, { error: (iss) => messages.nameTooLong(4096, iss.input) });

/**
 * The scenario's `name` names folders (`lagsim-out/<name>-<command>-<n>/` by default, `results/<name>/`),
 * so it may not leave them or hide: no `/` or `\`, no leading `.` (so not `.` or `..`), no NUL or other control
 * character, at most 80 UTF-16 units (at most 240 bytes in UTF-8, under the usual 255).
 */
export const SCENARIO_NAME_RE = /^(?!\.)[^/\\\u0000-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]{1,80}$/;
export const ScenarioName = Name.regex(SCENARIO_NAME_RE, { error: (iss) => messages.unsafeScenarioName(iss.input) });
