import { ANOMALIES, type Anomaly, type AnomalyCount } from '../checks/anomalies.js';
import type { CostSummary, MsSummary } from '../metrics/collector.js';
import { toMs } from '../metrics/collector.js';
import type { LatencyHistogram, LatencySummary } from '../metrics/latency.js';
import type { TVisibilityPoint } from '../metrics/tVisibility.js';
import { wilson, type Interval } from '../metrics/wilson.js';
import type { MonitorSummary } from '../metrics/monitor.js';
import type { NodeQueueingSummary } from '../metrics/queueing.js';
import type { ReactionsSummary } from '../metrics/reactions.js';
import type { NodeStats } from '../model/simulator.js';

export interface AnomalySummary {
  violations: number;
  keyReads: number;
  eligible: number;
  violatingReads: number;
  rate: number | null;
  rateInterval: Interval | null;
  rateEligible: number | null;
  rateEligibleInterval: Interval | null;
}

export interface NodeSummary {
  name: string;
  role: 'leader' | 'replica';
  shard: number;
  region: string;
  readsServed: number;
  writesServed: number;
  /** Busy time / (measured duration × concurrency, or × 1 when unlimited). */
  utilisation: number;
}

export interface ReplicaLagSummary {
  node: string;
  /** Observed lag a_i − c_i of entries committed after warm-up, ms. */
  lagMs: MsSummary;
}

export interface LostWrite {
  key: string;
  version: number;
  shard: number;
  atMs: number;
}

export interface FaultLogEntry {
  atMs: number;
  event: string;
}

/** What `lagsim run --json` prints and `--out` writes as summary.json. */
export interface RunSummary {
  lagsim: string;
  scenario: string;
  seed: number;
  durationMs: number;
  warmupMs: number;
  strategy: Record<string, unknown>;
  balancer: Record<string, unknown>;
  anomalies: Record<Anomaly, AnomalySummary>;
  staleness: { versionsBehind: LatencySummary; timeBehindMs: MsSummary };
  tVisibility: TVisibilityPoint[];
  costs: CostSummary;
  nodes: NodeSummary[];
  /** Per node queue wait apart from service (only with scenario `report.queueing: true`). */
  queueing?: NodeQueueingSummary[];
  /** What users did after anomalies (only when a client group has `reactions`). */
  reactions?: ReactionsSummary;
  /** Reads that replay cancelled (hot-standby conflicts; only when a replica group has replayConflicts). */
  replayConflicts?: { cancelledReads: number };
  /** Scraped lag and alerts (only with scenario `monitor`). */
  monitor?: MonitorSummary;
  replicaLag: ReplicaLagSummary[];
  /** Acknowledged writes a promoted replica never received (semantics.md sections 3 and 6). */
  lost: { writes: number; rate: number | null; list: LostWrite[] };
  faults: FaultLogEntry[];
  events: number;
}

/** The fields that say which run a summary is of: program, scenario, seed, durations, strategy, balancer. */
export function runHeader(
  scenario: { name: string; seed: number; duration: number; warmup: number; balancer: object },
  strategy: { name: string },
  version: string,
): Pick<RunSummary, 'lagsim' | 'scenario' | 'seed' | 'durationMs' | 'warmupMs' | 'strategy' | 'balancer'> {
  const { name, ...options } = strategy as Record<string, unknown>;
  return {
    lagsim: version,
    scenario: scenario.name,
    seed: scenario.seed,
    durationMs: scenario.duration / 1000,
    warmupMs: scenario.warmup / 1000,
    strategy: { name, ...options },
    balancer: { ...scenario.balancer },
  };
}

export function anomalySummary(count: AnomalyCount): AnomalySummary {
  return {
    violations: count.violations,
    keyReads: count.keyReads,
    eligible: count.eligible,
    violatingReads: count.violatingReads,
    rate: count.keyReads === 0 ? null : count.violations / count.keyReads,
    rateInterval: wilson(count.violations, count.keyReads),
    rateEligible: count.eligible === 0 ? null : count.violations / count.eligible,
    rateEligibleInterval: wilson(count.violations, count.eligible),
  };
}

export function anomaliesSummary(counts: Record<Anomaly, AnomalyCount>): Record<Anomaly, AnomalySummary> {
  const out = {} as Record<Anomaly, AnomalySummary>;
  for (const name of ANOMALIES) out[name] = anomalySummary(counts[name]);
  return out;
}

export function nodeSummaries(stats: NodeStats[], durationUs: number): NodeSummary[] {
  return stats.map((node) => ({
    name: node.name,
    role: node.role,
    shard: node.shard,
    region: node.region,
    readsServed: node.readsServed,
    writesServed: node.writesServed,
    utilisation: node.busyUs / (durationUs * (Number.isFinite(node.concurrency) ? node.concurrency : 1)),
  }));
}

export function replicaLagSummaries(stats: NodeStats[], applyLag: readonly (LatencyHistogram | null)[]): ReplicaLagSummary[] {
  const out: ReplicaLagSummary[] = [];
  stats.forEach((node, index) => {
    if (node.role !== 'replica') return;
    const histogram = applyLag[index];
    out.push({
      node: node.name,
      lagMs: histogram ? toMs(histogram.toJSON()) : { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 },
    });
  });
  return out;
}
