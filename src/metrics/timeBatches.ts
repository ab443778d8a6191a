/**
 * Totals per stretch of simulated time, for batch means (see batchMeans.ts), at no cost per
 * operation: the quantities are cumulative counters the run keeps anyway (violations, eligible
 * key-reads, summed latency, busy time), so the total of a bin is the difference of two snapshots.
 * A snapshot is taken at the first event at or after each bin boundary, before that event counts;
 * a bin in which nothing happens gets the same snapshot twice (a total of 0). Memory is
 * (bins + 1) × columns numbers, whatever the number of operations.
 */
export class TimeBatches {
  /** Row r holds the cumulative values at the start of bin r; row `bins` the final values. */
  private readonly rows: Float64Array;
  private nextRow = 0;
  private nextBoundaryUs: number;
  private readonly widthUs: number;
  private finished = false;

  constructor(
    private readonly startUs: number,
    durationUs: number,
    /** The cumulative counters, one per column, read only at bin boundaries. */
    private readonly columns: readonly (() => number)[],
    readonly bins = RUN_BINS,
    /** Told of each snapshot, for counters kept elsewhere that snapshot themselves (CountMarks). */
    private readonly onSnapshot?: (row: number) => void,
  ) {
    if (!(durationUs > 0)) throw new RangeError(`TimeBatches: duration must be > 0, got ${durationUs}`);
    this.rows = new Float64Array((bins + 1) * columns.length);
    this.widthUs = durationUs / bins;
    this.nextBoundaryUs = this.boundaryUs(0);
  }

  /** Call before anything at `nowUs` is counted: snapshots every boundary passed since the last call. */
  advanceTo(nowUs: number): void {
    if (nowUs < this.nextBoundaryUs) return;
    while (this.nextRow < this.bins && nowUs >= this.nextBoundaryUs) {
      this.snapshot(this.nextRow);
      this.nextRow++;
      this.nextBoundaryUs = this.boundaryUs(this.nextRow);
    }
    if (this.nextRow === this.bins) this.nextBoundaryUs = Infinity;
  }

  /** The start of bin `row`, rounded up to whole µs (simulated time is whole µs). */
  boundaryUs(row: number): number {
    return Math.ceil(this.startUs + row * this.widthUs);
  }

  /** The end of the run: later boundaries get the final values (their bins are empty). */
  finish(): void {
    if (this.finished) return;
    while (this.nextRow <= this.bins) this.snapshot(this.nextRow++);
    this.finished = true;
  }

  /** Column `column`'s total per bin (after `finish`). */
  totals(column: number): Float64Array {
    if (!this.finished) throw new Error('TimeBatches.totals before finish');
    return binTotals(this.rows, this.columns.length, column, this.bins);
  }

  /**
   * While the run lasts: how many bins' totals to read (totalsSoFar): as many as the largest power
   * of two that have completed (batch means merge bins pairwise); 0 before any.
   */
  get binsSoFar(): number {
    const completed = Math.max(0, this.nextRow - 1);
    return completed === 0 ? 0 : 2 ** Math.floor(Math.log2(completed));
  }

  /** While the run lasts: column `column`'s totals in the first `binsSoFar` bins. */
  totalsSoFar(column: number): Float64Array {
    return binTotals(this.rows, this.columns.length, column, this.binsSoFar);
  }

  private snapshot(row: number): void {
    const width = this.columns.length;
    for (let c = 0; c < width; c++) this.rows[row * width + c] = this.columns[c]!();
    this.onSnapshot?.(row);
  }
}

/** Bins of a run's batch means (1,024: docs/statistics.md). */
export const RUN_BINS = 1024;

/** The first `bins` totals of column `column` of cumulative rows `width` numbers wide: row r + 1 minus row r. */
export function binTotals(rows: Float64Array, width: number, column: number, bins: number): Float64Array {
  const out = new Float64Array(bins);
  for (let r = 0; r < bins; r++) out[r] = rows[(r + 1) * width + column]! - rows[r * width + column]!;
  return out;
}
