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
  /** 95% interval of the p99, ms (sectioning within a run), where one is reported. */
  p99Interval?: EstimateInterval | null;
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

/** Costs, latencies and staleness of the counted (non-warm-up) operations; memory flat in operations. */
export class MetricsCollector {
  private reads = 0;
  private writes = 0;
  private failedReads = 0;
  private failedWrites = 0;
  /** Counted key-reads, and those a leader answered (cumulative: TimeBatches reads them). */
  keyReads = 0;
  leaderKeyReads = 0;
  private attempts = 0;
  private redirects = 0;
  private retries = 0;
  private rounds = 0;
  private waits = 0;
  private readonly waitUs = new LatencyHistogram();
  /** Read and write latency by section of the measured period (sectionedQuantile.ts), µs. */
  readonly readLatency: SectionedHistogram;
  readonly writeLatency: SectionedHistogram;
  private readonly versionsBehind = new LatencyHistogram();
  private readonly timeBehind = new LatencyHistogram();
  readonly tVisibility: TVisibility;
  /** Observed lag a_i − c_i per replica node (entries committed after warm-up), by section of commit time. */
  readonly applyLag: (SectionedHistogram | null)[] = [];

  /** `durationUs`: the measured period's length, which sections the histograms (none without it). */
  constructor(
    private readonly warmupUs: number,
    private readonly isLeader: (node: number) => boolean,
    private readonly durationUs?: number,
    tVisibilityEdgesMs?: readonly number[],
  ) {
    this.readLatency = new SectionedHistogram(warmupUs, durationUs);
    this.writeLatency = new SectionedHistogram(warmupUs, durationUs);
    this.tVisibility = new TVisibility(tVisibilityEdgesMs);
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
    this.attempts += op.attempts;
    this.redirects += op.redirects;
    this.retries += op.retries;
    this.rounds += op.rounds;
    if (op.waits > 0) {
      this.waits += op.waits;
      this.waitUs.record(op.waitUs);
    }
    if (op.failed) {
      this.failedReads++;
      return;
    }
    this.reads++;
    this.readLatency.record(op.endUs, op.endUs - op.startUs);
    for (let i = 0; i < op.keyCount; i++) {
      this.keyReads++;
      if (this.isLeader(op.servedBy[i]!)) this.leaderKeyReads++;
      const leaderVersion = op.leaderVersions[i]!;
      const returned = op.returned[i]!;
      if (leaderVersion > 0) this.tVisibility.record(op.startUs - op.leaderCommitUs(i), returned >= leaderVersion);
      if (returned < leaderVersion) {
        this.versionsBehind.record(op.leaderOrdinal(i) - op.returnedOrdinal(i));
        const missed = op.missedCommitUs(i);
        if (missed >= 0) this.timeBehind.record(Math.max(0, op.startUs - missed));
      }
    }
  }

  costs(): CostSummary {
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
      readLatencyMs: toMs(this.readLatency.toJSON()),
      writeLatencyMs: toMs(this.writeLatency.toJSON()),
    };
  }

  staleness(): { versionsBehind: LatencySummary; timeBehindMs: MsSummary } {
    return { versionsBehind: this.versionsBehind.toJSON(), timeBehindMs: toMs(this.timeBehind.toJSON()) };
  }

  tVisibilityCurve(): TVisibilityPoint[] {
    return this.tVisibility.points();
  }
}
