/**
 * The check thread (checkThread.ts): applies each batch of the stream, in order, to this run's
 * ConsistencyChecker — and writes the run's history when the run sent it here
 * (src/report/historyStream.ts) — and publishes the counts after it. A failure is reported through
 * the port and the control block, never left to hang the run that waits on it; a history being
 * written is removed first.
 */
import { receiveMessageOnPort, workerData } from 'node:worker_threads';
import { ConsistencyChecker } from '../checks/consistencyChecker.js';
import { CountMarks } from '../checks/countMarks.js';
import { RunBatchApplier } from './checkThreadBatch.js';
import {
  COMPLETED,
  GENERATION,
  KIND,
  LENGTH,
  MARK_ROWS,
  NEW_RUN,
  READY,
  SLOTS,
  SUBMITTED,
  publishCounts,
  reportFailure,
  type BufferMessage,
  type CheckThreadData,
  type RunMessage,
} from './checkThreadProtocol.js';

/** The current run's checks and history here (null before the first). */
let run: RunBatchApplier | null = null;

function nextMessage(data: CheckThreadData): BufferMessage | RunMessage {
  for (;;) {
    const received = receiveMessageOnPort(data.port);
    // Posted before the batch that needs it was submitted: it is there, or about to be.
    if (received !== undefined) return received.message as BufferMessage | RunMessage;
  }
}

function serve(data: CheckThreadData): void {
  const control = new Int32Array(data.control);
  const result = new Float64Array(data.result);
  const marks = new CountMarks(MARK_ROWS, new Float64Array(data.marks));
  const buffers = data.buffers.map((buffer) => new Float64Array(buffer));
  const generations = new Int32Array(SLOTS);
  // A run that gave up waiting for this thread checks in its own: then this one must not serve.
  if (Atomics.compareExchange(control, READY, 0, 1) !== 0) return;
  Atomics.notify(control, READY);
  for (let done = 0; ; done++) {
    while (Atomics.load(control, SUBMITTED) === done) Atomics.wait(control, SUBMITTED, done);
    const slot = done % SLOTS;
    while (generations[slot] !== control[GENERATION + slot]) {
      const message = nextMessage(data);
      if (message.type !== 'buffer') throw new Error(`check thread: a ${message.type} message where a buffer was due`);
      buffers[message.slot] = new Float64Array(message.buffer);
      generations[message.slot] = message.generation;
    }
    const kind = control[KIND + slot];
    if (kind === NEW_RUN) {
      const message = nextMessage(data);
      if (message.type !== 'run') throw new Error(`check thread: a ${message.type} message where a run was due`);
      run?.abortHistory();
      marks.rows.fill(0);
      run = new RunBatchApplier(new ConsistencyChecker(), marks, message.history);
    } else if (run === null) throw new Error(`check thread: a batch of kind ${kind} before any run`);
    else run.apply(kind!, buffers[slot]!, control[LENGTH + slot]!);
    publishCounts(result, run!.checker.counts);
    Atomics.store(control, COMPLETED, done + 1);
    Atomics.notify(control, COMPLETED);
  }
}

const data = workerData as CheckThreadData;
try {
  serve(data);
} catch (error) {
  (run as RunBatchApplier | null)?.abortHistory();
  const e = error as NodeJS.ErrnoException;
  reportFailure(
    data,
    error instanceof Error
      ? { message: e.code !== undefined ? e.message : (e.stack ?? e.message), ...(e.code !== undefined ? { code: e.code } : {}), ...(e.path !== undefined ? { path: e.path } : {}) }
      : { message: String(error) },
  );
}
