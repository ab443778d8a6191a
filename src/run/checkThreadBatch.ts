/**
 * What each batch of the check thread's protocol does to one run (checkThreadProtocol.ts): the
 * check thread's work (checkThreadWorker.ts), and the run's own when the thread did not start
 * (checkThread.ts, ThreadChecks.takeOver). Kept apart from the protocol, which the thread's boot
 * loads before anything that can fail to load.
 */
import { applyCheckCells, CheckScratch } from '../checks/checkStream.js';
import type { ConsistencyChecker } from '../checks/consistencyChecker.js';
import type { CountMarks } from '../checks/countMarks.js';
import { HistoryStreamApplier } from '../report/historyStream.js';
import { ABORT_HISTORY, BATCH, CLOSE_HISTORY } from './checkThreadProtocol.js';

/** A run's checker, marks and history file, as the batches of its NEW_RUN (`history`: where it goes, if written here) leave them. */
export class RunBatchApplier {
  private readonly scratch = new CheckScratch();
  private history: HistoryStreamApplier | null;
  /** The first pass's loads, summed: kept so that they are not optimised away. */
  touchedSum = 0;

  constructor(
    readonly checker: ConsistencyChecker,
    private readonly marks: CountMarks,
    history: { path: string; nodeNames: readonly string[] } | null,
  ) {
    this.history = history === null ? null : new HistoryStreamApplier(history.path, history.nodeNames);
  }

  /** A batch after the run's NEW_RUN: cells to check (BATCH), or the history closed or removed. */
  apply(kind: number, cells: Float64Array, length: number): void {
    if (kind === BATCH) this.touchedSum += applyCheckCells(this.checker, this.marks, cells, length, this.scratch, this.history ?? undefined);
    else if (kind === CLOSE_HISTORY) this.endHistory(true);
    else if (kind === ABORT_HISTORY) this.endHistory(false);
    else throw new Error(`RunBatchApplier: batch kind ${kind} after a run began`);
  }

  /** Removes the history being written, if any (the run failed, or another began). */
  abortHistory(): void {
    this.endHistory(false);
  }

  private endHistory(complete: boolean): void {
    if (complete) this.history?.writer.close();
    else this.history?.writer.abort();
    this.history = null;
  }
}
