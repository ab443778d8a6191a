/**
 * The time-binned totals of one run that its intervals rest on (batch means: batchMeans.ts), read
 * from the cumulative counters the checker and the collector keep, at bin boundaries only.
 */
import type { Anomaly } from '../checks/anomalies.js';
import type { AnomalyBins } from '../checks/anomalyBins.js';
import { markColumn, MARK_COLUMNS, type CountMarks } from '../checks/countMarks.js';
import { MIN_BATCHES, runMeanPrecision, runRatePrecision, type Precision } from './batchMeans.js';
import type { MetricsCollector } from './collector.js';
import { binTotals, RUN_BINS, TimeBatches } from './timeBatches.js';

export interface RunBatchSources {
  /** Start of the measured period (the end of warm-up) and its length, µs. */
  startUs: number;
  durationUs: number;
  /**
   * The checker's counts at each boundary (RUN_BINS + 1 rows): `mark(row)` is called at each, and
   * the row is read once the checks before it have been applied (they may be held: pipeline.ts).
   */
  marks: CountMarks;
  mark: (row: number) => void;
  metrics: MetricsCollector;
  nodeCount: number;
  /** A node's busy time so far in the measured period, µs. */
  nodeBusyUs: (node: number) => number;
  /** Further cumulative counters by name (queueing, monitoring), for `ratePrecision`. */
  extra?: readonly { name: string; read: () => number }[];
}

/** An anomaly's rate over all key-reads and over the eligible ones, from per-bin totals. */
export function anomalyPrecision(
  violations: Float64Array,
  eligible: Float64Array,
  keyReads: Float64Array,
): { rate: Precision; rateEligible: Precision } {
  return { rate: runRatePrecision(violations, keyReads), rateEligible: runRatePrecision(violations, eligible) };
}

/** An anomaly's rate intervals from a recount's per-bin totals (src/checks/anomalyBins.ts). */
export function binnedPrecision(bins: AnomalyBins, name: Anomaly): { rate: Precision; rateEligible: Precision } {
  return anomalyPrecision(bins.violations[name], bins.eligible[name], bins.keyReads);
}

export class RunBatches {
  private readonly batches: TimeBatches;
  private readonly column = new Map<string, number>();

  constructor(private readonly sources: RunBatchSources) {
    const readers: (() => number)[] = [];
    const add = (name: string, read: () => number): void => {
      this.column.set(name, readers.length);
      readers.push(read);
    };
    const { metrics } = sources;
    add('keyReads', () => metrics.keyReads);
    add('leaderKeyReads', () => metrics.leaderKeyReads);
    add('read.sum', () => metrics.readLatency.sum);
    add('read.count', () => metrics.readLatency.count);
    add('write.sum', () => metrics.writeLatency.sum);
    add('write.count', () => metrics.writeLatency.count);
    for (let node = 0; node < sources.nodeCount; node++) {
      add(`busy.${node}`, () => sources.nodeBusyUs(node));
      add(`lag.${node}.sum`, () => metrics.applyLag[node]?.sum ?? 0);
      add(`lag.${node}.count`, () => metrics.applyLag[node]?.count ?? 0);
    }
    const tVisibility = metrics.tVisibility;
    for (let bucket = 0; bucket < tVisibility.edgesMs.length; bucket++) {
      add(`tvis.${bucket}.visible`, () => tVisibility.visible[bucket]!);
      add(`tvis.${bucket}.reads`, () => tVisibility.reads[bucket]!);
    }
    for (const counter of sources.extra ?? []) add(counter.name, counter.read);
    if (sources.marks.count !== RUN_BINS + 1) throw new RangeError(`RunBatches: ${sources.marks.count} marks for ${RUN_BINS} bins`);
    this.batches = new TimeBatches(sources.startUs, sources.durationUs, readers, RUN_BINS, sources.mark);
  }

  /** The instants at which the simulator must call back: each bin's start (RunHooks.boundaries). */
  get boundaries(): { count: number; atUs: (index: number) => number; onBoundary: (nowUs: number) => void } {
    return { count: this.batches.bins, atUs: (index) => this.batches.boundaryUs(index), onBoundary: (nowUs) => this.batches.advanceTo(nowUs) };
  }

  finish(): void {
    this.batches.finish();
  }

  private totals(name: string): Float64Array {
    return this.batches.totals(this.column.get(name)!);
  }

  /** An anomaly's rate over all key-reads and over the eligible ones (after `finish`, its marks applied). */
  anomaly(name: Anomaly): { rate: Precision; rateEligible: Precision } {
    return anomalyPrecision(this.marked(markColumn(name), RUN_BINS), this.marked(markColumn(name) + 1, RUN_BINS), this.totals('keyReads'));
  }

  /** An anomaly's rates while the run lasts (its marks so far applied): batch means over the bins completed so far. */
  partialAnomaly(name: Anomaly): { rate: Precision; rateEligible: Precision } {
    const bins = this.batches.binsSoFar;
    if (bins < MIN_BATCHES) {
      const early: Precision = { interval: null, untrusted: { reason: 'too early in the run for an interval' } };
      return { rate: early, rateEligible: early };
    }
    return anomalyPrecision(this.marked(markColumn(name), bins), this.marked(markColumn(name) + 1, bins), this.batches.totalsSoFar(this.column.get('keyReads')!));
  }

  /** A column of the marks' totals in the first `bins` bins. */
  private marked(column: number, bins: number): Float64Array {
    return binTotals(this.sources.marks.rows, MARK_COLUMNS, column, bins);
  }

  leaderShare(): Precision {
    return runRatePrecision(this.totals('leaderKeyReads'), this.totals('keyReads'));
  }

  /** Mean read or write latency, µs. */
  meanLatency(kind: 'read' | 'write'): Precision {
    return runMeanPrecision(this.totals(`${kind}.sum`), this.totals(`${kind}.count`));
  }

  /** Busy time over capacity (bin length × `concurrency`, 1 when unlimited). */
  utilisation(node: number, concurrency: number): Precision {
    const capacity = new Float64Array(this.batches.bins).fill((this.sources.durationUs / this.batches.bins) * concurrency);
    return runMeanPrecision(this.totals(`busy.${node}`), capacity);
  }

  /** Mean observed lag a_i − c_i of a replica, µs. */
  meanApplyLag(node: number): Precision {
    return runMeanPrecision(this.totals(`lag.${node}.sum`), this.totals(`lag.${node}.count`));
  }

  /** The share `y` / `x` of two counters named in `extra`. */
  ratePrecision(y: string, x: string): Precision {
    return runRatePrecision(this.totals(y), this.totals(x));
  }

  /** The mean `y` per unit of `x` of two counters named in `extra` (not bounded by 1: counts per session). */
  meanPrecision(y: string, x: string): Precision {
    return runMeanPrecision(this.totals(y), this.totals(x));
  }

  /** P(visible) in one t-visibility bucket. */
  tVisibility(bucket: number): Precision {
    return runRatePrecision(this.totals(`tvis.${bucket}.visible`), this.totals(`tvis.${bucket}.reads`));
  }
}
