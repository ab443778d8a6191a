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
import { type StrategyName } from '../strategies/index.js';
import { messages } from '../text/messages.js';
import { Duration } from '../model/fields.js';
import { InputError, formatPath } from '../text/errors.js';
import { type SetOrigin, isUnder, setError, setOriginOf } from './overrides.js';

import { type Ctx, LIMITS, Name, PositiveDuration, STRATEGY_NAMES, ScenarioName, fail } from './fields.js';
import { DistSchema } from './distSchema.js';
import { type StrategyConfig, StrategySchema, StrategySchemas } from './strategySchema.js';
import { ClientGroupSchema } from './clientSchema.js';
import { BalancerSchema, ClusterSchema, FaultsSchema, KeyspaceSchema, NetworkSchema, ReportSchema, StrategyOptionsSchema } from './clusterSchema.js';


export type { Action, ArrivalProcess, ClientGroup, Dist, DistInput, DistObjectInput, DurationInput, KeySelector, MixtureComponent, MixtureItemInput, Popularity, RatePoint, Reaction } from './types.js';
export { DIST_NAMES, LIMITS, SCENARIO_NAME_RE, STRATEGY_NAMES, Z99 } from './fields.js';
export { StrategySchemas } from './strategySchema.js';
export type { StrategyConfig, StrategyOptions } from './strategySchema.js';
export { ReplicaGroupSchema } from './clusterSchema.js';
export type { FaultEvent } from './clusterSchema.js';
export { ActionSchema, ClientGroupSchema } from './clientSchema.js';
export { DistSchema, hasPositiveMean } from './distSchema.js';

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

