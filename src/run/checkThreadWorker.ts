/**
 * The check thread (checkThread.ts): applies each batch of the stream, in order, to this run's
 * ConsistencyChecker, and publishes the counts after it. A failure is reported through the port
 * and the control block, never left to hang the run that waits on it.
 */
import { receiveMessageOnPort, workerData } from 'node:worker_threads';
import { ANOMALIES } from '../checks/anomalies.js';
import { applyCheckCells, CheckScratch } from '../checks/checkStream.js';
import { ConsistencyChecker } from '../checks/consistencyChecker.js';
import { CountMarks } from '../checks/countMarks.js';
import { COMPLETED, FAILED, GENERATION, KIND, LENGTH, MARK_ROWS, NEW_RUN, READY, SLOTS, SUBMITTED, type BufferMessage, type CheckThreadData } from './checkThreadProtocol.js';

/** The first pass's loads, summed: kept so that they are not optimised away. */
export let touchedSum = 0;

function serve(data: CheckThreadData): void {
  const control = new Int32Array(data.control);
  const result = new Float64Array(data.result);
  const marks = new CountMarks(MARK_ROWS, new Float64Array(data.marks));
  const buffers = data.buffers.map((buffer) => new Float64Array(buffer));
  const generations = new Int32Array(SLOTS);
  let checker = new ConsistencyChecker();
  let scratch = new CheckScratch();
  Atomics.store(control, READY, 1);
  Atomics.notify(control, READY);
  for (let done = 0; ; done++) {
    while (Atomics.load(control, SUBMITTED) === done) Atomics.wait(control, SUBMITTED, done);
    const slot = done % SLOTS;
    while (generations[slot] !== control[GENERATION + slot]) {
      const message = receiveMessageOnPort(data.port)?.message as BufferMessage | undefined;
      if (message === undefined) continue;
      buffers[message.slot] = new Float64Array(message.buffer);
      generations[message.slot] = message.generation;
    }
    if (control[KIND + slot] === NEW_RUN) {
      checker = new ConsistencyChecker();
      scratch = new CheckScratch();
      marks.rows.fill(0);
    } else {
      touchedSum += applyCheckCells(checker, marks, buffers[slot]!, control[LENGTH + slot]!, scratch);
    }
    ANOMALIES.forEach((name, a) => {
      const count = checker.counts[name];
      result[a * 4] = count.violations;
      result[a * 4 + 1] = count.keyReads;
      result[a * 4 + 2] = count.eligible;
      result[a * 4 + 3] = count.violatingReads;
    });
    Atomics.store(control, COMPLETED, done + 1);
    Atomics.notify(control, COMPLETED);
  }
}

const data = workerData as CheckThreadData;
try {
  serve(data);
} catch (error) {
  data.port.postMessage(error instanceof Error ? (error.stack ?? error.message) : String(error));
  Atomics.store(new Int32Array(data.control), FAILED, 1);
  Atomics.notify(new Int32Array(data.control), COMPLETED);
}
