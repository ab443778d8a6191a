/** Building blocks of the scenario schema: limits, names, weights, and how a refinement reports an issue. */
import { z } from 'zod';
import { distNames, type DistName } from '../model/distributions/index.js';
import { type StrategyName, strategyNames } from '../strategies/index.js';
import { MAX_VNODES } from '../strategies/sticky.js';
import { messages } from '../text/messages.js';
import { MAX_NAME_LENGTH, Name, whenPresent } from '../model/fields.js';
export { FilePath, MAX_NAME_LENGTH, Name, PositiveDuration, Weight } from '../model/fields.js';

// ---------------------------------------------------------------------------------------------------
// Building blocks

export { Z99 } from '../model/distributions/lognormal.js';
export const DIST_NAMES: readonly DistName[] = distNames;
export const STRATEGY_NAMES: readonly StrategyName[] = strategyNames;
export type { StrategyName };

export type Ctx = z.core.$RefinementCtx<unknown>;
export function fail(ctx: Ctx, path: PropertyKey[], message: string, input: unknown): void {
  ctx.issues.push({ code: 'custom', message, input, path });
}



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
  /** network.latency pairs (a regions × regions table is built from them). */
  latencyPairs: 1_000,
  /** actions.N.count: keys one read touches. */
  keysPerRead: 10_000,
} as const;

export const Region = z
  .string({ error: whenPresent(messages.expectedRegion) })
  .regex(/^[^/\s]+$/, { error: (iss) => messages.expectedRegion(iss.input) })
  .max(MAX_NAME_LENGTH, { error: (iss) => messages.nameTooLong(MAX_NAME_LENGTH, iss.input) });

/**
 * The scenario's `name` names folders (`lagsim-out/<name>-<command>-<n>/` by default, `results/<name>/`),
 * so it may not leave them or hide: no `/` or `\`, no leading `.` (so not `.` or `..`), no NUL or other control
 * character, at most 80 UTF-16 units (at most 240 bytes in UTF-8, under the usual 255).
 */
export const SCENARIO_NAME_RE = /^(?!\.)[^/\\\u0000-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]{1,80}$/;
export const ScenarioName = Name.regex(SCENARIO_NAME_RE, { error: (iss) => messages.unsafeScenarioName(iss.input) });
