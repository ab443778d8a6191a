/** The shared memory between a run and the check thread (checkThread.ts, checkThreadWorker.ts). */
import type { MessagePort } from 'node:worker_threads';
import { ANOMALIES, type Anomaly, type AnomalyCount } from '../checks/anomalies.js';
import { MARK_COLUMNS } from '../checks/countMarks.js';
import { RUN_BINS } from '../metrics/timeBatches.js';

/** Batches in flight: while the thread applies some, this one writes the next (8 × 256 KB also absorb the thread's start). */
export const SLOTS = 8;
/** Cells per batch: 32,768 (256 KB), about 6,000 key-reads. */
export const BATCH_CELLS = 1 << 15;

// The control block's Int32 cells: batch counters, failure and ready flags, and each slot's kind, length and buffer generation.
export const SUBMITTED = 0;
export const COMPLETED = 1;
export const FAILED = 2;
/** Set to 1 by the thread once it serves; to −1 by a run that gave up waiting for it (then it never serves). */
export const READY = 3;
export const KIND = 4;
export const LENGTH = KIND + SLOTS;
export const GENERATION = LENGTH + SLOTS;
export const CONTROL_CELLS = GENERATION + SLOTS;

/** What a batch asks of the thread. */
export const BATCH = 0;
/** A new run: its RunMessage is the next on the port. */
export const NEW_RUN = 1;
/** The run's history is complete: close the file and put it in place. */
export const CLOSE_HISTORY = 2;
/** The run failed: remove its unfinished history file. */
export const ABORT_HISTORY = 3;

/** Published after each batch: each anomaly's four counts, in the order of ANOMALIES. */
export const RESULT_CELLS = ANOMALIES.length * 4;

/** The thread's side: the counts into `result`. */
export function publishCounts(result: Float64Array, counts: Readonly<Record<Anomaly, AnomalyCount>>): void {
  let at = 0;
  for (const name of ANOMALIES) {
    const count = counts[name];
    result[at++] = count.violations;
    result[at++] = count.keyReads;
    result[at++] = count.eligible;
    result[at++] = count.violatingReads;
  }
}

/** The run's side: the counts published in `result`, into its checker's. */
export function readCounts(result: Float64Array, counts: Record<Anomaly, AnomalyCount>): void {
  let at = 0;
  for (const name of ANOMALIES) {
    const count = counts[name];
    count.violations = result[at++]!;
    count.keyReads = result[at++]!;
    count.eligible = result[at++]!;
    count.violatingReads = result[at++]!;
  }
}

/** The run's CountMarks, written by the thread: one row per bin boundary of RunBatches. */
export const MARK_ROWS = RUN_BINS + 1;
export const MARK_CELLS = MARK_ROWS * MARK_COLUMNS;

/** The thread's start-up data. */
export interface CheckThreadData {
  lagsimChecks: true;
  control: SharedArrayBuffer;
  result: SharedArrayBuffer;
  marks: SharedArrayBuffer;
  buffers: SharedArrayBuffer[];
  port: MessagePort;
  /** The script to serve in place of checkThreadWorker.js (a URL; tests of a thread that does not start). */
  workerScript?: string;
}

/** A slot's buffer replaced by a larger one (sent before the batch that uses it). */
export interface BufferMessage {
  type: 'buffer';
  slot: number;
  generation: number;
  buffer: SharedArrayBuffer;
}

/** A run's settings (sent before its NEW_RUN batch): where its history goes, if the thread writes it. */
export interface RunMessage {
  type: 'run';
  history: { path: string; nodeNames: string[] } | null;
}

/** Why the thread stopped (posted before FAILED is set): an error's message, and its code and path for the machine's errors (ENOSPC…). */
export interface FailureMessage {
  message: string;
  code?: string;
  path?: string;
}


/** The thread's last word (once: a failure reported stays the one reported): why, then FAILED, waking whatever the run waits on. */
export function reportFailure(data: CheckThreadData, failure: FailureMessage): void {
  const control = new Int32Array(data.control);
  if (Atomics.load(control, FAILED) !== 0) return;
  data.port.postMessage(failure);
  Atomics.store(control, FAILED, 1);
  Atomics.notify(control, READY);
  Atomics.notify(control, COMPLETED);
}
