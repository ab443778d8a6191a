import { ANOMALIES, type Anomaly, type AnomalyCount } from '../checks/anomalies.js';
import type { Simulator } from '../model/simulator.js';

/**
 * One row of the time series: the interval [start, `tS`) of simulated time, where start is the
 * previous row's `tS` (0 for the first). Every row is `intervalUs` long except the last, which
 * ends at the run's end (warm-up + duration) and is shorter when the interval does not divide the
 * run. Rates are per second of the row's own length. docs/reporting.md lists the CSV's columns.
 */
export interface TimeSeriesRow {
  /** The row's end, s. */
  tS: number;
  /** Operations completed in the row (warm-up ones included), per second. */
  readsPerS: number;
  writesPerS: number;
  failedPerS: number;
  /** Violations / eligible key-reads of counted reads completed in the row (null when none were eligible). */
  rates: Record<Anomaly, number | null>;
  /** Share of the counted key-reads completed in the row that a leader served (null when none). */
  leaderShare: number | null;
  /**
   * Per node: `queued`, `inService` and `lagMs` at the row's end; `utilisation` is the service time
   * counted in the row (at or after warm-up) / (the row's time after warm-up × concurrency), null
   * for a row wholly in warm-up.
   */
  nodes: { name: string; queued: number; inService: number; utilisation: number | null; lagMs: number | null }[];
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
  /** Each node's service time counted so far (cluster.nodeLoad(node).busyUs: at or after warm-up). */
  busyUs: number[];
}

/**
 * Per-interval metrics over simulated time (throughput, queues, utilisation, replica lag, anomaly
 * rates), sampled by the simulation itself every `intervalUs` and at the run's end. Memory grows
 * with the number of intervals, not with operations.
 *
 * Warm-up (semantics.md section 2, semantics-readings.md "What is counted"): throughput counts
 * every operation and the snapshots (queues, lag) show the system as it is, warm-up included; the
 * figures the summary counts only after warm-up — anomaly rates, leader share, utilisation — are
 * counted the same way here, so a row wholly in warm-up has none of them (null, a blank cell).
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
  /** Where the next row starts: the last sample's time, µs. */
  private previousUs = 0;
  /** The snapshot and start of the last row, so finish() can recount that row. */
  private lastRow: { base: Snapshot; startUs: number; endUs: number } | null = null;

  constructor(
    readonly intervalUs: number,
    private readonly simulator: Simulator,
    private readonly counts: Record<Anomaly, AnomalyCount>,
    private readonly warmupUs: number,
  ) {
    this.previous = this.snapshot();
  }

  /**
   * A completed operation. `keyReads` and `leaderKeyReads` are those of a counted read (not
   * warm-up, not failed; 0 otherwise), as the summary's leader share counts them.
   */
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

  /** The row [previous sample, nowUs): the simulation samples every `intervalUs` and at the run's end. */
  sample(nowUs: number): void {
    const current = this.snapshot();
    const startUs = this.previousUs;
    const row = this.counted(this.previous, current, startUs, nowUs);
    const cluster = this.simulator.cluster;
    this.rows.push({
      tS: nowUs / 1e6,
      ...row.counts,
      nodes: cluster.nodeNames.map((name, node) => {
        const load = cluster.nodeLoad(node);
        return {
          name,
          queued: load.queued,
          inService: load.inService,
          utilisation: row.utilisation[node]!,
          lagMs: cluster.isLeader(node) ? null : cluster.lagNowUs(node) / 1000,
        };
      }),
      faults: this.faults,
    });
    this.faults = [];
    this.lastRow = { base: this.previous, startUs, endUs: nowUs };
    this.previous = current;
    this.previousUs = nowUs;
  }

  /**
   * Operations in flight when the measured time ends still complete and count (semantics.md
   * section 2): those that completed after the last sample (taken at the run's end) are counted in
   * the last row, over that row's own length, so that every operation is in one row (without
   * warm-up, the rows add up to the summary's totals).
   */
  finish(): void {
    const last = this.rows.at(-1);
    if (last === undefined || this.lastRow === null) return;
    const current = this.snapshot();
    const row = this.counted(this.lastRow.base, current, this.lastRow.startUs, this.lastRow.endUs);
    Object.assign(last, row.counts);
    last.nodes.forEach((node, i) => (node.utilisation = row.utilisation[i]!));
    this.previous = current;
  }

  /** The counted figures of the row [startUs, endUs): what happened between the snapshots `from` and `to`. */
  private counted(from: Snapshot, to: Snapshot, startUs: number, endUs: number) {
    const seconds = (endUs - startUs) / 1e6;
    const rates = {} as Record<Anomaly, number | null>;
    for (const name of ANOMALIES) {
      const eligible = to.eligible[name] - from.eligible[name];
      rates[name] = eligible === 0 ? null : (to.violations[name] - from.violations[name]) / eligible;
    }
    const keyReads = to.keyReads - from.keyReads;
    // Service time counts from warm-up on (cluster.ts): divided by the row's time after warm-up.
    const measuredUs = endUs - Math.max(startUs, this.warmupUs);
    const stats = this.simulator.cluster.nodeStats();
    const utilisation = to.busyUs.map((busyUs, node) => {
      if (measuredUs <= 0) return null;
      const concurrency = stats[node]!.concurrency;
      return (busyUs - from.busyUs[node]!) / (measuredUs * (Number.isFinite(concurrency) ? concurrency : 1));
    });
    return {
      counts: {
        readsPerS: (to.reads - from.reads) / seconds,
        writesPerS: (to.writes - from.writes) / seconds,
        failedPerS: (to.failed - from.failed) / seconds,
        rates,
        leaderShare: keyReads === 0 ? null : (to.leaderKeyReads - from.leaderKeyReads) / keyReads,
      },
      utilisation,
    };
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
      busyUs: this.simulator.cluster.nodeNames.map((_, node) => this.simulator.cluster.nodeLoad(node).busyUs),
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
