import type { ArrivalSpec } from './arrivals.js';
import type { KeyspaceLayout } from './keys.js';
import type { ReactionSpec } from './reactions.js';
import type { DrawUs, StallSpec } from './replica.js';
import type { SyncMode } from './syncReplication.js';

/** The model's own view of a scenario, built from a validated scenario file (src/scenario). */
export type KeySelector =
  | { kind: 'new' }
  | { kind: 'own' }
  | { kind: 'lastWritten' }
  | { kind: 'popular' }
  | { kind: 'topic' }
  | { kind: 'topicHead' }
  | { kind: 'reply' }
  | { kind: 'shared'; name: string };

export interface ActionSpec {
  weight: number;
  write: boolean;
  key: KeySelector;
  count: number;
  /** Think time after this action instead of the group's (absent or null: the group's). */
  think?: DrawUs | null;
  /** Long-running work: the service time its operations hold their node for (absent: the node's). */
  hold?: DrawUs | null;
  /** Reads go to the leader (TARGET_LEADER) or to a replica group (its index) whatever the strategy (absent: the strategy decides). */
  target?: number;
  /** Probability that a read of this action goes out without the session's strategy (a second tab, another service): the balancer alone routes it. */
  untracked?: number;
}

export interface ClientGroupSpec {
  name: string;
  region: number;
  /** Closed loop: sessions for the whole run (0 for an open-loop group). */
  sessions: number;
  /** Open loop: new sessions per second (Poisson arrivals), each running `steps` operations. */
  rate: number | null;
  steps: number;
  /** Open loop: the rate over time (points in µs), replacing `rate` from the first point on. */
  schedule: { atUs: number; rate: number }[] | null;
  interpolate: 'linear' | 'step';
  /** Open loop: how sessions arrive (absent: Poisson). */
  arrivals?: ArrivalSpec;
  think: DrawUs;
  ownKeys: number;
  popularity: { kind: 'uniform' } | { kind: 'zipf'; s: number };
  order: 'random' | 'cycle';
  actions: ActionSpec[];
  /** What users do after an anomaly (absent: nothing). */
  reactions?: ReactionSpec[];
}

export interface ReplicaGroupSpec {
  name: string;
  region: number;
  count: number;
  weight: number;
  lag: DrawUs;
  lagHoldUs: number;
  apply: DrawUs | null;
  /** Entries applied in parallel, made visible in commit order (absent: 1). */
  applyWorkers?: number;
  service: DrawUs | null;
  concurrency: number;
  stalls: StallSpec | null;
  /** Synchronous replica (absent or null: asynchronous). */
  sync?: SyncMode | null;
  /** Hot-standby conflicts: a long query (action `hold`) blocks replay, for at most this long before it is cancelled. */
  replayConflictMaxDelayUs?: number | null;
}

export type FaultSpec = {
  atUs: number | null;
  every: DrawUs | null;
  for: DrawUs | null;
} & ({ kind: 'crash' | 'pause'; node: string } | { kind: 'partition'; regions: [number, number] });

export interface FaultsSpec {
  failoverTimeUs: number;
  duringFailover: 'fail' | 'wait';
  events: FaultSpec[];
}

export type BalancerPolicy = 'random' | 'round-robin' | 'least-outstanding' | 'weighted';

export interface ModelSpec {
  seed: number;
  warmupUs: number;
  durationUs: number;
  shards: number;
  keyspace: KeyspaceLayout;
  regions: string[];
  /** One-way latency between regions [from][to]; null = 0. */
  latency: (DrawUs | null)[][];
  /** `service` serves reads; `writeService`, when given, writes (absent: `service` serves both). */
  leader: { region: number; service: DrawUs | null; writeService?: DrawUs | null; concurrency: number };
  replicaGroups: ReplicaGroupSpec[];
  clientGroups: ClientGroupSpec[];
  balancer: { policy: BalancerPolicy; maxLagUs: number | null; pollUs: number; readFrom?: 'any' | 'sync' };
  /** One-off big transactions (schema migrations): one log entry per shard at atUs, with its own apply time. */
  migrations?: { atUs: number; apply: DrawUs }[];
  /** Synchronous copies of a shard that must confirm a write (absent: 1 when any replica is sync). */
  syncQuorum?: number;
  faults: FaultsSpec;
}
