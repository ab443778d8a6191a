/** The cluster (leader, replica groups, shards), network, keyspace, balancer and faults. */
import { z } from 'zod';
import { type StrategyName, strategyNames } from '../strategies/index.js';
import { messages } from '../text/messages.js';
import { Count, Duration, countUpTo } from '../model/fields.js';
import { type Dist } from './types.js';
import { LIMITS, Name, PositiveDuration, Region, Weight, fail } from './fields.js';
import { DistSchema } from './distSchema.js';
import { StrategySchemas } from './strategySchema.js';

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
  applyWorkers: countUpTo(LIMITS.copies, 'apply workers')
    .optional()
    .describe(
      'entries applied in parallel (MySQL replica_parallel_workers with replica_preserve_commit_order): each entry takes the first free worker, and becomes visible once it and every earlier entry are applied, so the replica stays a prefix of the log (default 1)',
    ),
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

export const LeaderSchema = z.strictObject({
  region: Region.describe('region of the leaders'),
  service: DistSchema.optional().describe('service time of a request on a leader (default 0)'),
  readService: DistSchema.optional().describe('service time of a read on a leader, instead of `service` (default: service)'),
  writeService: DistSchema.optional().describe('service time of a write on a leader, instead of `service` (default: service)'),
  concurrency: Count.optional().describe('parallel requests; more wait FIFO (default unlimited)'),
});

export const ClusterSchema = z.strictObject({
  shards: countUpTo(LIMITS.shards, 'shards').default(1).describe('number of shards, each with one leader and its replicas (default 1)'),
  leader: LeaderSchema.describe('the leader of each shard'),
  replicas: z.array(ReplicaGroupSchema).min(1, { error: messages.noReplicas }).describe('replica groups, per shard'),
  syncQuorum: Count.optional().describe(
    'how many synchronous replica copies of a shard must confirm a write before it is acknowledged (ANY k; default 1 when a group has sync)',
  ),
});

export const RegionPair = z
  .string()
  .regex(/^[^/\s]+\/[^/\s]+$/, { error: (iss) => messages.expectedRegionPair(iss.input) });

export const NetworkSchema = z.strictObject({
  latency: z
    .record(RegionPair, DistSchema)
    // Latencies live in a regions × regions table: 10,000 pairs (10,001 regions) took 2.5 GB.
    .refine((pairs) => Object.keys(pairs).length <= LIMITS.latencyPairs, {
      error: (iss) => messages.tooMany(LIMITS.latencyPairs, 'latency pairs', Object.keys(iss.input as object).length),
    })
    .prefault({})
    .describe('one-way latency between two regions ("us-east/us-west", symmetric), any Dist; within a region 0 unless given'),
});

export const KeyspaceSchema = z.strictObject({
  count: countUpTo(LIMITS.keys, 'keys').default(1000).describe('number of shared keys k0..k(n-1) (default 1000)'),
  topicSize: Count.default(1).describe('keys per topic: topic t = keys t*size .. t*size+size-1 (default 1)'),
  preload: z.boolean().default(true).describe('every keyspace key starts at version 0 (default true)'),
  placement: z
    .enum(['hash', 'position'])
    .default('hash')
    .describe('hash: fnv1a32(key) mod shards; position: topic position mod shards (default hash)'),
});

export const BalancerSchema = z.strictObject({
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

export const TVisibilityTimes = z
  .array(PositiveDuration)
  .min(1)
  .refine((times) => times.every((t, i) => i === 0 || t > times[i - 1]!), { error: messages.tVisibilityNotSorted });

export const ReportSchema = z.strictObject({
  queueing: z
    .boolean()
    .default(false)
    .describe('per node: queue wait (mean, p99) apart from service time, mean queue length and P(wait), in the summary\'s `queueing` (default false)'),
  tVisibility: TVisibilityTimes.optional().describe(
    'the t-visibility curve\'s bucket edges instead of the built-in ones, e.g. [50ms, 100ms, 500ms] (run --tvis sets them too)',
  ),
});

export const StrategyOptionsSchema = z.strictObject(
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

export const FaultEventSchema = z
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

export const FaultsSchema = z.strictObject({
  failoverTime: Duration.prefault('5s').describe('after a leader crash, time until its most up-to-date replica is promoted (default 5s)'),
  duringFailover: z
    .enum(['fail', 'wait'])
    .default('fail')
    .describe('writes to a shard without a leader: fail at once, or wait for a leader — the promoted replica, or the old leader back first (default fail)'),
  events: z.array(FaultEventSchema).default([]).describe('the faults: crashes, pauses, partitions'),
});
