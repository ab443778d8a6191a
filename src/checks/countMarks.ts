import { ANOMALIES, type Anomaly, type AnomalyCount } from './anomalies.js';

/** Numbers per row: each anomaly's violations and eligible key-reads, in the order of ANOMALIES. */
export const MARK_COLUMNS = ANOMALIES.length * 2;

/** The column of an anomaly's violations (+1: its eligible key-reads). */
export const markColumn = (name: Anomaly): number => ANOMALIES.indexOf(name) * 2;

/**
 * The checker's counts as they stood at marked points of its input — RunBatches' bin boundaries —
 * recorded when the checker reaches each point: at once when it checks as the run goes, when a
 * held batch is applied otherwise (checkStream.ts, MARK). Row r: the counts at mark r.
 */
export class CountMarks {
  constructor(
    readonly count: number,
    /** Row r at [r × MARK_COLUMNS, (r + 1) × MARK_COLUMNS). */
    readonly rows: Float64Array<ArrayBufferLike> = new Float64Array(count * MARK_COLUMNS),
  ) {
    if (rows.length !== count * MARK_COLUMNS) throw new RangeError(`CountMarks: ${rows.length} numbers for ${count} rows`);
  }

  record(row: number, counts: Readonly<Record<Anomaly, AnomalyCount>>): void {
    if (!(row >= 0 && row < this.count)) throw new RangeError(`CountMarks: row ${row} outside 0..${this.count - 1}`);
    let at = row * MARK_COLUMNS;
    for (const name of ANOMALIES) {
      this.rows[at++] = counts[name].violations;
      this.rows[at++] = counts[name].eligible;
    }
  }
}
