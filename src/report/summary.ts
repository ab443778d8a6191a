import { ANOMALIES, type Anomaly, type AnomalyCount } from '../checks/anomalies.js';
import type { CostSummary, MsSummary } from '../metrics/collector.js';
import type { RunBatches } from '../metrics/runBatches.js';
import type { SectionedHistogram } from '../metrics/sectionedQuantile.js';
import { toMs } from '../metrics/collector.js';
import type { LatencySummary } from '../metrics/latency.js';
import type { TVisibilityPoint } from '../metrics/tVisibility.js';
import { withheldReason, type EstimateInterval, type Precision } from '../metrics/batchMeans.js';
import type { MonitorSummary } from '../metrics/monitor.js';
import type { NodeQueueingSummary } from '../metrics/queueing.js';
import type { ReactionsSummary } from '../metrics/reactions.js';
import type { NodeStats } from '../model/cluster.js';

export interface AnomalySummary {
  violations: number;
  keyReads: number;
  eligible: number;
  violatingReads: number;
  rate: number | null;
  /** 95% interval (batch means, or replications across seeds: docs/statistics.md); null without data or when withheld. */
  rateInterval: EstimateInterval | null;
  /** Why there is no interval although there are key-reads (e.g. too few batches), else null. */
  rateIntervalWithheld: string | null;
  rateEligible: number | null;
  rateEligibleInterval: EstimateInterval | null;
  rateEligibleIntervalWithheld: string | null;
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
  /** 95% interval of the utilisation (batch means), where one is reported. */
  utilisationInterval?: EstimateInterval | null;
  /** Why the utilisation has no interval (present only then; docs/statistics.md). */
  utilisationIntervalWithheld?: string;
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

/** The fault log's entry for a failover (the only place writes can be lost, semantics.md section 6). */
export function failoverEntry(atMs: number, from: string, to: string, lostWrites: number): FaultLogEntry {
  return { atMs, event: `failover ${from} -> ${to} (${lostWrites} writes lost)` };
}

export const isFailoverEntry = (entry: FaultLogEntry): boolean => entry.event.startsWith('failover ');

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

/** Strategy and balancer options that are durations: kept in µs by the model, shown in ms as `<name>Ms`. */
export const DURATION_OPTIONS: ReadonlySet<string> = new Set(['window', 'poll', 'timeout', 'pinAfterWrite', 'maxLag']);

/** Options with every duration (µs) as `<name>Ms` in milliseconds, like every other duration of a summary; `null` (off) stays null. */
export function optionsInMs(options: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (DURATION_OPTIONS.has(key) && (typeof value === 'number' || value === null)) out[`${key}Ms`] = value === null ? null : value / 1000;
    else out[key] = value;
  }
  return out;
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
    strategy: { name, ...optionsInMs(options) },
    balancer: optionsInMs({ ...scenario.balancer }),
  };
}

/** The precision of an anomaly's two rates. */
export interface AnomalyPrecision {
  rate: Precision;
  rateEligible: Precision;
}

export function anomalySummary(count: AnomalyCount, precision: AnomalyPrecision): AnomalySummary {
  return {
    violations: count.violations,
    keyReads: count.keyReads,
    eligible: count.eligible,
    violatingReads: count.violatingReads,
    rate: count.keyReads === 0 ? null : count.violations / count.keyReads,
    rateInterval: precision.rate.interval,
    rateIntervalWithheld: precision.rate.untrusted?.reason ?? null,
    rateEligible: count.eligible === 0 ? null : count.violations / count.eligible,
    rateEligibleInterval: precision.rateEligible.interval,
    rateEligibleIntervalWithheld: precision.rateEligible.untrusted?.reason ?? null,
  };
}

export function anomaliesSummary(
  counts: Record<Anomaly, AnomalyCount>,
  precision: (name: Anomaly) => AnomalyPrecision,
): Record<Anomaly, AnomalySummary> {
  const out = {} as Record<Anomaly, AnomalySummary>;
  for (const name of ANOMALIES) out[name] = anomalySummary(counts[name], precision(name));
  return out;
}

/** An interval in µs as one in ms (the unit summaries print). */
function intervalMs(precision: Precision): EstimateInterval | null {
  const interval = precision.interval;
  return interval === null ? null : { ...interval, low: interval.low / 1000, high: interval.high / 1000 };
}

/**
 * `{ <name>: the interval in ms }`, and `<name>Withheld` with the reason when a figure with values
 * (`count` > 0) has none: the shape of `costs.leaderShareInterval` and its `leaderShareIntervalWithheld`.
 */
function msIntervalFields<N extends 'meanInterval' | 'p99Interval'>(name: N, precision: Precision, count: number): Pick<MsSummary, N | `${N}Withheld`> {
  const interval = intervalMs(precision);
  return { [name]: interval, ...(interval === null && count > 0 ? { [`${name}Withheld`]: withheldReason(precision) } : {}) } as Pick<MsSummary, N | `${N}Withheld`>;
}

/** The costs with the intervals of the leader share and of the mean latencies. */
export function costsWithIntervals(
  costs: CostSummary,
  batches: RunBatches,
  latency: { readLatency: SectionedHistogram; writeLatency: SectionedHistogram },
): CostSummary {
  const leaderShare = batches.leaderShare();
  const withIntervals = (summary: MsSummary, kind: 'read' | 'write', histogram: SectionedHistogram): MsSummary => ({
    ...summary,
    ...msIntervalFields('meanInterval', batches.meanLatency(kind), summary.count),
    ...msIntervalFields('p99Interval', histogram.percentileInterval(99), summary.count),
  });
  return {
    ...costs,
    leaderShareInterval: leaderShare.interval,
    ...(leaderShare.interval === null && costs.leaderShare !== null ? { leaderShareIntervalWithheld: withheldReason(leaderShare) } : {}),
    readLatencyMs: withIntervals(costs.readLatencyMs, 'read', latency.readLatency),
    writeLatencyMs: withIntervals(costs.writeLatencyMs, 'write', latency.writeLatency),
  };
}

/** The t-visibility curve with each bucket's interval from `precision` (bucket index of T_VISIBILITY_EDGES_MS). */
export function tVisibilityWithIntervals(
  points: TVisibilityPoint[],
  edgesMs: readonly number[],
  precision: (bucket: number) => Precision,
): TVisibilityPoint[] {
  return points.map((point) => ({ ...point, interval: precision(edgesMs.indexOf(point.fromMs)).interval }));
}

export function nodeSummaries(stats: NodeStats[], durationUs: number, batches?: RunBatches): NodeSummary[] {
  return stats.map((node, index) => {
    const concurrency = Number.isFinite(node.concurrency) ? node.concurrency : 1;
    const precision = batches?.utilisation(index, concurrency);
    return {
      name: node.name,
      role: node.role,
      shard: node.shard,
      region: node.region,
      readsServed: node.readsServed,
      writesServed: node.writesServed,
      utilisation: node.busyUs / (durationUs * concurrency),
      ...(precision ? { utilisationInterval: precision.interval } : {}),
      ...(precision && precision.interval === null ? { utilisationIntervalWithheld: withheldReason(precision) } : {}),
    };
  });
}

export function replicaLagSummaries(
  stats: NodeStats[],
  applyLag: readonly (SectionedHistogram | null)[],
  batches?: RunBatches,
): ReplicaLagSummary[] {
  const out: ReplicaLagSummary[] = [];
  stats.forEach((node, index) => {
    if (node.role !== 'replica') return;
    const histogram = applyLag[index];
    const lagMs: MsSummary = histogram ? toMs(histogram.toJSON()) : { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
    out.push({
      node: node.name,
      lagMs: {
        ...lagMs,
        ...(batches ? msIntervalFields('meanInterval', batches.meanApplyLag(index), lagMs.count) : {}),
        ...(batches && histogram ? msIntervalFields('p99Interval', histogram.percentileInterval(99), lagMs.count) : {}),
      },
    });
  });
  return out;
}
