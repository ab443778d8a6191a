import type { Operation } from '../model/operation.js';
import type { EstimateInterval } from './batchMeans.js';
import { LatencyHistogram, type LatencySummary } from './latency.js';
import { SectionedHistogram } from './sectionedQuantile.js';
import { TVisibility, type TVisibilityPoint } from './tVisibility.js';

/** A latency summary in milliseconds. */
export interface MsSummary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  /** 95% interval of the mean, ms (batch means within a run; docs/statistics.md), where one is reported. */
  meanInterval?: EstimateInterval | null;
  /** Why a run with values has no interval of the mean (present only then; docs/statistics.md). */
  meanIntervalWithheld?: string;
  /** 95% interval of the p99, ms (sectioning within a run), where one is reported. */
  p99Interval?: EstimateInterval | null;
  /** Why a run with values has no interval of the p99 (present only then). */
  p99IntervalWithheld?: string;
}

const MS_DIGITS = 1000; // µs precision, printed as ms with 3 decimals

export function toMs(summary: LatencySummary): MsSummary {
  const ms = (us: number): number => Math.round((us / 1000) * MS_DIGITS) / MS_DIGITS;
  return {
    count: summary.count,
    mean: ms(summary.mean),
    p50: ms(summary.p50),
    p90: ms(summary.p90),
    p99: ms(summary.p99),
    p999: ms(summary.p999),
    max: ms(summary.max),
  };
}

export interface CostSummary {
  reads: number;
  writes: number;
  failedReads: number;
  failedWrites: number;
  /** Share of counted key-reads whose value came from a leader. */
  leaderShare: number | null;
  /** 95% interval of the leader share, where one is reported. */
  leaderShareInterval?: EstimateInterval | null;
  /** Why a run with key-reads has no interval of its leader share (present only then; docs/statistics.md). */
  leaderShareIntervalWithheld?: string;
  /** Read attempts sent (first tries, redirects and re-read rounds). */
  attempts: number;
  redirects: number;
  /** Attempts re-sent after a node was down or unreachable. */
  retries: number;
  rounds: number;
  waits: number;
  waitMs: MsSummary;
  readLatencyMs: MsSummary;
  writeLatencyMs: MsSummary;
}

/**
 * The counts and histograms a run's costs and staleness are made of, the same for a simulated run
 * (MetricsCollector) and a real one (src/real/summary.ts): only how operations arrive differs.
 */
export abstract class CostTally {
  reads = 0;
  writes = 0;
  failedReads = 0;
  failedWrites = 0;
  /** Counted key-reads, and those a leader answered (cumulative: TimeBatches reads them). */
  keyReads = 0;
  leaderKeyReads = 0;
  attempts = 0;
  redirects = 0;
  retries = 0;
  rounds = 0;
  waits = 0;
  protected readonly waitUs = new LatencyHistogram();
  protected readonly versionsBehind = new LatencyHistogram();
  protected readonly timeBehind = new LatencyHistogram();
  readonly tVisibility: TVisibility;

  constructor(tVisibilityEdgesMs?: readonly number[]) {
    this.tVisibility = new TVisibility(tVisibilityEdgesMs);
  }

  /** Read and write latency, µs. */
  protected abstract latencies(): { read: LatencySummary; write: LatencySummary };

  /** A counted read's attempts and waits, whether it failed or not. */
  protected countAttempts(attempts: number, redirects: number, retries: number, rounds: number, waits: number, waitUs: number): void {
    this.attempts += attempts;
    this.redirects += redirects;
    this.retries += retries;
    this.rounds += rounds;
    if (waits > 0) {
      this.waits += waits;
      this.waitUs.record(waitUs);
    }
  }

  costs(): CostSummary {
    const { read, write } = this.latencies();
    return {
      reads: this.reads,
      writes: this.writes,
      failedReads: this.failedReads,
      failedWrites: this.failedWrites,
      leaderShare: this.keyReads === 0 ? null : this.leaderKeyReads / this.keyReads,
      attempts: this.attempts,
      redirects: this.redirects,
      retries: this.retries,
      rounds: this.rounds,
      waits: this.waits,
      waitMs: toMs(this.waitUs.toJSON()),
      readLatencyMs: toMs(read),
      writeLatencyMs: toMs(write),
    };
  }

  staleness(): { versionsBehind: LatencySummary; timeBehindMs: MsSummary } {
    return { versionsBehind: this.versionsBehind.toJSON(), timeBehindMs: toMs(this.timeBehind.toJSON()) };
  }

  tVisibilityCurve(): TVisibilityPoint[] {
    return this.tVisibility.points();
  }
}

/** Costs, latencies and staleness of the counted (non-warm-up) operations; memory flat in operations. */
export class MetricsCollector extends CostTally {
  /** Read and write latency by section of the measured period (sectionedQuantile.ts), µs. */
  readonly readLatency: SectionedHistogram;
  readonly writeLatency: SectionedHistogram;
  /** Observed lag a_i − c_i per replica node (entries committed after warm-up), by section of commit time. */
  readonly applyLag: (SectionedHistogram | null)[] = [];

  /** `durationUs`: the measured period's length, which sections the histograms (none without it). */
  constructor(
    private readonly warmupUs: number,
    /** Whether a key-read that `node` answered, completing at `atUs`, is a leader read (Cluster.servedAsLeader). */
    private readonly servedAsLeader: (node: number, atUs: number) => boolean,
    private readonly durationUs?: number,
    tVisibilityEdgesMs?: readonly number[],
  ) {
    super(tVisibilityEdgesMs);
    this.readLatency = new SectionedHistogram(warmupUs, durationUs);
    this.writeLatency = new SectionedHistogram(warmupUs, durationUs);
  }

  protected latencies(): { read: LatencySummary; write: LatencySummary } {
    return { read: this.readLatency.toJSON(), write: this.writeLatency.toJSON() };
  }

  onApplyScheduled(node: number, commitUs: number, applyUs: number): void {
    if (commitUs < this.warmupUs) return;
    let histogram = this.applyLag[node];
    if (histogram === undefined || histogram === null) {
      histogram = new SectionedHistogram(this.warmupUs, this.durationUs);
      this.applyLag[node] = histogram;
    }
    histogram.record(commitUs, applyUs - commitUs);
  }

  onWrite(op: Operation): void {
    if (op.warmup) return;
    if (op.failed) {
      this.failedWrites++;
      return;
    }
    this.writes++;
    this.writeLatency.record(op.endUs, op.endUs - op.startUs);
  }

  onRead(op: Operation): void {
    if (op.warmup) return;
    this.countAttempts(op.attempts, op.redirects, op.retries, op.rounds, op.waits, op.waitUs);
    if (op.failed) {
      this.failedReads++;
      return;
    }
    this.reads++;
    this.readLatency.record(op.endUs, op.endUs - op.startUs);
    for (let i = 0; i < op.keyCount; i++) {
      this.keyReads++;
      if (this.servedAsLeader(op.servedBy[i]!, op.endUs)) this.leaderKeyReads++;
      const leaderVersion = op.leaderVersions[i]!;
      const returned = op.returned[i]!;
      if (leaderVersion > 0) this.tVisibility.record(op.startUs - op.leaderCommitUs(i), returned >= leaderVersion);
      if (returned < leaderVersion) {
        this.versionsBehind.record(op.leaderOrdinal(i) - op.returnedOrdinal(i));
        // The first version it missed that survives; one committed after t0 means that what it missed
        // by t0 was lost in a failover: no time behind (semantics-readings.md, staleness of stale reads).
        const missed = op.missedCommitUs(i);
        if (missed >= 0 && missed <= op.startUs) this.timeBehind.record(op.startUs - missed);
      }
    }
  }
}
