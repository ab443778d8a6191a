import { ANOMALIES, type Anomaly, type AnomalyCount } from '../checks/anomalies.js';
import type { Simulator } from '../model/simulator.js';

/** One interval of a run, ending at `tS`. Rates are per second of simulated time. */
export interface TimeSeriesRow {
  tS: number;
  readsPerS: number;
  writesPerS: number;
  failedPerS: number;
  /** Violations / eligible key-reads completed in the interval (null when none were eligible). */
  rates: Record<Anomaly, number | null>;
  leaderShare: number | null;
  nodes: { name: string; queued: number; inService: number; utilisation: number; lagMs: number | null }[];
  /** Faults that started (+) or ended (−) in the interval. */
  faults: string[];
}

interface Snapshot {
  reads: number;
  writes: number;
  failed: number;
  keyReads: number;
  leaderKeyReads: number;
  violations: Record<Anomaly, number>;
  eligible: Record<Anomaly, number>;
}

/**
 * Per-interval metrics over simulated time (throughput, queues, utilisation, replica lag, anomaly
 * rates), sampled by the simulation itself every `intervalUs`. Memory grows with the number of
 * intervals, not with operations.
 */
export class TimeSeries {
  readonly rows: TimeSeriesRow[] = [];
  /** Every fault start (+) and end (−), at its own time. */
  readonly faultLog: { tS: number; fault: string }[] = [];
  private reads = 0;
  private writes = 0;
  private failed = 0;
  private keyReads = 0;
  private leaderKeyReads = 0;
  private faults: string[] = [];
  private previous: Snapshot;
  /** The snapshot the last row starts from, so finish() can recount that row. */
  private lastRowBase: Snapshot | null = null;
  private previousBusyUs: number[];

  constructor(
    readonly intervalUs: number,
    private readonly simulator: Simulator,
    private readonly counts: Record<Anomaly, AnomalyCount>,
  ) {
    this.previous = this.snapshot();
    this.previousBusyUs = simulator.cluster.nodeNames.map(() => 0);
  }

  onOperation(isRead: boolean, failed: boolean, keyReads: number, leaderKeyReads: number): void {
    if (failed) this.failed++;
    else if (isRead) {
      this.reads++;
      this.keyReads += keyReads;
      this.leaderKeyReads += leaderKeyReads;
    } else this.writes++;
  }

  onFault(atUs: number, description: string, started: boolean): void {
    const fault = `${started ? '+' : '-'}${description}`;
    this.faults.push(fault);
    this.faultLog.push({ tS: atUs / 1e6, fault });
  }

  sample(nowUs: number): void {
    const current = this.snapshot();
    const seconds = this.intervalUs / 1e6;
    const rates = {} as Record<Anomaly, number | null>;
    for (const name of ANOMALIES) {
      const eligible = current.eligible[name] - this.previous.eligible[name];
      rates[name] = eligible === 0 ? null : (current.violations[name] - this.previous.violations[name]) / eligible;
    }
    const keyReads = current.keyReads - this.previous.keyReads;
    const stats = this.simulator.cluster.nodeStats();
    const nodes = this.simulator.cluster.nodeNames.map((name, node) => {
      const load = this.simulator.cluster.nodeLoad(node);
      const busyUs = load.busyUs - this.previousBusyUs[node]!;
      this.previousBusyUs[node] = load.busyUs;
      const concurrency = stats[node]!.concurrency;
      return {
        name,
        queued: load.queued,
        inService: load.inService,
        utilisation: busyUs / (this.intervalUs * (Number.isFinite(concurrency) ? concurrency : 1)),
        lagMs: this.simulator.cluster.isLeader(node) ? null : this.simulator.cluster.lagNowUs(node) / 1000,
      };
    });
    this.rows.push({
      tS: nowUs / 1e6,
      readsPerS: (current.reads - this.previous.reads) / seconds,
      writesPerS: (current.writes - this.previous.writes) / seconds,
      failedPerS: (current.failed - this.previous.failed) / seconds,
      rates,
      leaderShare: keyReads === 0 ? null : (current.leaderKeyReads - this.previous.leaderKeyReads) / keyReads,
      nodes,
      faults: this.faults,
    });
    this.faults = [];
    this.lastRowBase = this.previous;
    this.previous = current;
  }

  /**
   * Operations in flight when the measured time ends still complete and count (semantics.md
   * section 2): those that completed after the last sample are counted in the last row, so the
   * rows add up to the run's totals.
   */
  finish(): void {
    const last = this.rows.at(-1);
    if (last === undefined || this.lastRowBase === null) return;
    const base = this.lastRowBase;
    const current = this.snapshot();
    const seconds = this.intervalUs / 1e6;
    last.readsPerS = (current.reads - base.reads) / seconds;
    last.writesPerS = (current.writes - base.writes) / seconds;
    last.failedPerS = (current.failed - base.failed) / seconds;
    for (const name of ANOMALIES) {
      const eligible = current.eligible[name] - base.eligible[name];
      last.rates[name] = eligible === 0 ? null : (current.violations[name] - base.violations[name]) / eligible;
    }
    const keyReads = current.keyReads - base.keyReads;
    last.leaderShare = keyReads === 0 ? null : (current.leaderKeyReads - base.leaderKeyReads) / keyReads;
    this.previous = current;
  }

  private snapshot(): Snapshot {
    const violations = {} as Record<Anomaly, number>;
    const eligible = {} as Record<Anomaly, number>;
    for (const name of ANOMALIES) {
      violations[name] = this.counts[name].violations;
      eligible[name] = this.counts[name].eligible;
    }
    return {
      reads: this.reads,
      writes: this.writes,
      failed: this.failed,
      keyReads: this.keyReads,
      leaderKeyReads: this.leaderKeyReads,
      violations,
      eligible,
    };
  }
}

/**
 * The time series as CSV columns (one row per interval), named as runs.csv names its columns: a
 * duration in milliseconds ends in `Ms` (the interval's end `tMs`, a node's `lagMs`), a rate per
 * second in `PerS`, per-node columns are `<node>.<field>`.
 */
export function timeSeriesTable(rows: readonly TimeSeriesRow[]): (string | number)[][] {
  if (rows.length === 0) return [];
  const header: string[] = ['tMs', 'readsPerS', 'writesPerS', 'failedPerS'];
  for (const name of ANOMALIES) header.push(`${name}.rateEligible`);
  header.push('leaderShare');
  for (const node of rows[0]!.nodes) {
    header.push(`${node.name}.queued`, `${node.name}.inService`, `${node.name}.utilisation`, `${node.name}.lagMs`);
  }
  header.push('faults');
  const table: (string | number)[][] = [header];
  const num = (x: number | null): string | number => (x === null ? '' : Number(x.toFixed(6)));
  for (const row of rows) {
    const line: (string | number)[] = [Math.round(row.tS * 1e6) / 1000, num(row.readsPerS), num(row.writesPerS), num(row.failedPerS)];
    for (const name of ANOMALIES) line.push(num(row.rates[name]));
    line.push(num(row.leaderShare));
    for (const node of row.nodes) {
      line.push(node.queued, node.inService, num(node.utilisation), num(node.lagMs));
    }
    line.push(row.faults.join(' '));
    table.push(line);
  }
  return table;
}
