import { applyCheckCells, CheckScratch, CheckStreamWriter, StreamedChecks } from './checkStream.js';
import type { ConsistencyChecker } from './consistencyChecker.js';
import { CountMarks } from './countMarks.js';

/** Key-reads and writes held before they are applied, in cells (about 6 KB; 64 and 4,096 key-reads measured alike, docs/performance.md). */
export const CHECK_QUEUE_KEYS = 512;

/**
 * A ConsistencyChecker's inputs, held in a fixed-size queue and applied in this thread in the order
 * they came, a batch at a time (applyCheckCells: the batch's probe lines are loaded together).
 *
 * Only for a run that reads no read's flags while it runs (no history, no reactions, nobody
 * watching operations): flags are not returned. Whoever reads the checker's counts or state must
 * `drain` first; then everything is as if each entry had been applied when it came. Nothing is
 * allocated per entry; an entry larger than the queue (a read of many keys with long pasts) grows it.
 */
export class CheckQueue extends StreamedChecks {
  private readonly scratch = new CheckScratch();
  /** The first pass's loads, kept so that they are not optimised away. */
  private touched = 0;

  constructor(
    private readonly checker: ConsistencyChecker,
    capacityKeys = CHECK_QUEUE_KEYS,
    /** Where MARK entries record the counts. */
    private readonly marks = new CountMarks(0),
  ) {
    super();
    this.writer = new CheckStreamWriter(this, new Float64Array(4 + capacityKeys * 4));
  }

  drain(): void {
    this.writer.flush();
  }

  close(): void {
    this.writer.flush();
  }

  take(cells: Float64Array, length: number, need: number): Float64Array {
    this.touched = applyCheckCells(this.checker, this.marks, cells, length, this.scratch);
    return need <= cells.length ? cells : new Float64Array(need);
  }

  /** The first pass's loads, summed (of no use; read by tests so that nothing is optimised away). */
  get touchedSum(): number {
    return this.touched;
  }
}
