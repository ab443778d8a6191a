/**
 * A run's consistency checks on a second thread (docs/performance.md, "Round two, ninth stop").
 *
 * When a run reads no read's flags while it runs (pipeline.ts holds its checks then), the checks
 * are a stream the simulation only writes: this thread writes the stream's batches (checkStream.ts)
 * into shared buffers, and the check thread applies them, in order, to its own ConsistencyChecker.
 * Whatever reads the counts (a batch boundary, a time-series sample, the end) waits until the
 * thread has applied everything written so far, then copies its counts: every count is the one
 * the same entries applied in this thread give, whatever either thread's timing.
 *
 * One check thread per process, started by the first run that uses it and kept for the next
 * (compare and plan run several in a row); it does not keep the process alive.
 *
 * The thread only ever saves time: one that cannot start (its script missing or failing to load,
 * a machine that will not start it within STARTUP_MS) never fails a run. The run applies the
 * batches it wrote, still in their slots, in this thread and goes on as CheckQueue does, with the
 * same counts and history; the process warns once and checks in its own thread from then on.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { CheckStreamWriter, StreamedChecks, type HeldChecks } from '../checks/checkStream.js';
import type { ConsistencyChecker } from '../checks/consistencyChecker.js';
import type { CountMarks } from '../checks/countMarks.js';
import type { Operation } from '../model/operation.js';
import { HistoryStreamWriter, type HeldHistory, type HistoryTarget } from '../report/historyStream.js';
import { messages } from '../text/messages.js';
import type { SimulateOptions } from './pipeline.js';
import { estimateWork } from '../scenario/workBudget.js';
import type { Scenario } from '../scenario/schema.js';
import {
  ABORT_HISTORY,
  BATCH,
  BATCH_CELLS,
  CLOSE_HISTORY,
  COMPLETED,
  CONTROL_CELLS,
  FAILED,
  GENERATION,
  KIND,
  LENGTH,
  MARK_CELLS,
  MARK_ROWS,
  NEW_RUN,
  READY,
  RESULT_CELLS,
  SLOTS,
  SUBMITTED,
  readCounts,
  type BufferMessage,
  type CheckThreadData,
  type FailureMessage,
  type RunMessage,
} from './checkThreadProtocol.js';
import { RunBatchApplier } from './checkThreadBatch.js';
import { workerModuleUrl } from './workerModule.js';

/** Runs estimated to start fewer operations check in their own thread: the thread's start (about 50 ms) would be most of their time. */
export const CHECK_THREAD_MIN_OPERATIONS = 200_000;
/** With no batch applied for this long, the check thread is taken to have died (it answers within milliseconds). */
const STALLED_MS = 60_000;
/** A thread not serving this long after it was started did not start (it takes about 50 ms). */
const STARTUP_MS = 20_000;

export class CheckThreadFailure extends Error {
  override readonly name = 'CheckThreadFailure';
}

/** The thread never served: the run checks in its own thread instead (ThreadChecks.takeOver). */
class CheckThreadNotStarted extends Error {
  override readonly name = 'CheckThreadNotStarted';
}

/** Why this process's check thread could not start, once it could not: later runs check in their own thread. */
let unavailable: string | null = null;
/** The script the next thread's boot loads in place of checkThreadWorker.js (useCheckThreadScript). */
let workerScript: URL | undefined;

function notStarted(reason: string): never {
  if (unavailable === null) process.emitWarning(messages.checkThreadNotStarted(reason));
  unavailable = reason;
  throw new CheckThreadNotStarted(reason);
}

class CheckThread {
  readonly control = new Int32Array(new SharedArrayBuffer(CONTROL_CELLS * 4));
  readonly result = new Float64Array(new SharedArrayBuffer(RESULT_CELLS * 8));
  readonly marks = new Float64Array(new SharedArrayBuffer(MARK_CELLS * 8));
  readonly buffers: Float64Array[] = [];
  private readonly port: MessagePort;
  private readonly worker: Worker;
  inUse = false;
  broken = false;

  constructor() {
    for (let slot = 0; slot < SLOTS; slot++) this.buffers.push(new Float64Array(new SharedArrayBuffer(BATCH_CELLS * 8)));
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const data: CheckThreadData = {
      lagsimChecks: true,
      control: this.control.buffer as SharedArrayBuffer,
      result: this.result.buffer as SharedArrayBuffer,
      marks: this.marks.buffer as SharedArrayBuffer,
      buffers: this.buffers.map((cells) => cells.buffer as SharedArrayBuffer),
      port: port2,
      ...(workerScript !== undefined ? { workerScript: workerScript.href } : {}),
    };
    let boot: URL;
    try {
      boot = workerModuleUrl(import.meta.url, './checkThreadBoot.js', ['src', 'run', 'checkThreadBoot.js'], 'the check thread');
    } catch (error) {
      notStarted(error instanceof Error ? error.message : String(error));
    }
    // A missing script would only say so in an 'error' event, which this thread, blocked waiting
    // for the thread to serve, would not see for STARTUP_MS.
    if (!existsSync(fileURLToPath(boot))) notStarted(`${fileURLToPath(boot)} is missing`);
    this.worker = new Worker(boot, {
      workerData: data,
      transferList: [port2],
    });
    // Failures are read from the control block (this thread is blocked while it waits): an 'error'
    // event (a script that fails to load) must not also crash the process once the loop runs.
    this.worker.on('error', () => {});
    this.worker.unref();
    this.port.unref();
  }

  /** Hands slot `submitted % SLOTS` to the thread as batch `kind` of `length` cells. */
  submit(kind: number, length: number): void {
    const control = this.control;
    const submitted = control[SUBMITTED]!;
    const slot = submitted % SLOTS;
    control[KIND + slot] = kind;
    control[LENGTH + slot] = length;
    Atomics.store(control, SUBMITTED, submitted + 1);
    Atomics.notify(control, SUBMITTED);
  }

  /** Waits until the thread has applied `batches` batches in all. */
  waitFor(batches: number): void {
    const control = this.control;
    let completed = Atomics.load(control, COMPLETED);
    if (completed >= batches) return;
    // Time is counted in waits that timed out, not on the clock: a process stopped (Ctrl-Z, a
    // frozen container) and resumed counts one second, not the whole stop.
    for (let waited = 0; Atomics.load(control, READY) === 0; ) {
      if (Atomics.load(control, FAILED) !== 0) this.abandon(this.failureMessage()?.message ?? 'no message');
      else if (Atomics.wait(control, READY, 0, 1000) === 'timed-out' && ++waited * 1000 >= STARTUP_MS) {
        this.abandon(`it did not start within ${STARTUP_MS / 1000} s`);
      }
    }
    let idle = 0;
    while (completed < batches) {
      if (Atomics.load(control, FAILED) !== 0) this.fail();
      const outcome = Atomics.wait(control, COMPLETED, completed, 1000);
      const now = Atomics.load(control, COMPLETED);
      if (now !== completed) {
        completed = now;
        idle = 0;
      } else if (outcome === 'timed-out' && ++idle * 1000 >= STALLED_MS) {
        this.giveUp(new CheckThreadFailure(`the check thread applied nothing for ${STALLED_MS / 1000} s`));
      }
    }
    if (Atomics.load(control, FAILED) !== 0) this.fail();
  }

  /** The slot the next batch goes to, free, with room for `need` cells. */
  /** Waits until the slot the next batch goes to is free (the thread has applied what it held). */
  waitForSlot(): void {
    this.waitFor(this.control[SUBMITTED]! - SLOTS + 1);
  }

  nextSlot(need: number): Float64Array {
    const slot = this.control[SUBMITTED]! % SLOTS;
    this.waitForSlot();
    if (need > this.buffers[slot]!.length) {
      const buffer = new SharedArrayBuffer(Math.max(need, 2 * this.buffers[slot]!.length) * 8);
      const generation = this.control[GENERATION + slot]! + 1;
      this.port.postMessage({ type: 'buffer', slot, generation, buffer } satisfies BufferMessage);
      this.control[GENERATION + slot] = generation;
      this.buffers[slot] = new Float64Array(buffer);
    }
    return this.buffers[slot]!;
  }

  /** Posts the next run's settings (before its NEW_RUN batch). */
  announce(message: RunMessage): void {
    this.port.postMessage(message);
  }

  /**
   * The thread has not served, and will not: READY is taken (−1) so that a thread starting just now
   * does not serve either (checkThreadWorker.ts), and the run checks in its own thread. Returns if
   * the thread has started after all.
   */
  private abandon(reason: string): void {
    if (Atomics.compareExchange(this.control, READY, 0, -1) !== 0) return;
    this.retire();
    notStarted(reason);
  }

  private failureMessage(): FailureMessage | undefined {
    return receiveMessageOnPort(this.port)?.message as FailureMessage | undefined;
  }

  /** The thread reported its failure: the run fails with it. */
  private fail(): never {
    const failure = this.failureMessage();
    // The machine's errors (a full disk under the history) keep their code: the CLI words them.
    if (failure?.code !== undefined) this.giveUp(Object.assign(new Error(failure.message), { code: failure.code, ...(failure.path !== undefined ? { path: failure.path } : {}) }));
    this.giveUp(new CheckThreadFailure(`the check thread failed: ${failure?.message ?? 'no message'}`));
  }

  /** No more runs on this thread, and the run fails with `error`. */
  private giveUp(error: Error): never {
    this.retire();
    throw error;
  }

  /** No more runs on this thread: the next starts another. */
  retire(): void {
    this.broken = true;
    void this.worker.terminate();
  }
}

let thread: CheckThread | null = null;

/** The cells of a batch that has none (a NEW_RUN, CLOSE_HISTORY or ABORT_HISTORY). */
const NO_CELLS = new Float64Array(0);

/** One run's checks — and its history, when it has one — on the check thread. */
class ThreadChecks extends StreamedChecks implements HeldHistory {
  private readonly history: HistoryStreamWriter | null;
  private closed = false;
  /** Set when the thread did not start: the batches are applied in this thread (takeOver). */
  private local: RunBatchApplier | null = null;

  constructor(
    private readonly thread: CheckThread,
    private readonly checker: ConsistencyChecker,
    private readonly marks: CountMarks,
    private readonly historyTarget: HistoryTarget | null,
  ) {
    super();
    thread.nextSlot(0);
    thread.announce({ type: 'run', history: historyTarget === null ? null : { path: historyTarget.path, nodeNames: [...historyTarget.nodeNames] } });
    thread.submit(NEW_RUN, 0);
    this.writer = new CheckStreamWriter(this, thread.nextSlot(0));
    this.history = historyTarget === null ? null : new HistoryStreamWriter(this.writer, historyTarget.keys);
  }

  operation(session: number, sessionId: number, op: Operation): void {
    this.history!.operation(session, sessionId, op);
  }

  record(atUs: number, record: Record<string, unknown>): void {
    this.history!.record(atUs, record);
  }

  take(cells: Float64Array, length: number, need: number): Float64Array {
    if (this.local === null) {
      this.thread.submit(BATCH, length);
      if (this.onThread(() => this.thread.waitForSlot())) return this.thread.nextSlot(need);
    } else this.local.apply(BATCH, cells, length);
    return need <= cells.length ? cells : new Float64Array(need);
  }

  drain(): void {
    this.writer.flush();
    const thread = this.thread;
    // Applied here, the counts and marks are the run's own already.
    if (this.local !== null || !this.onThread(() => thread.waitFor(thread.control[SUBMITTED]!))) return;
    readCounts(thread.result, this.checker.counts);
    this.marks.rows.set(thread.marks);
  }

  closeHistory(): void {
    this.control(CLOSE_HISTORY);
  }

  abortHistory(): void {
    if (this.local !== null || !this.thread.broken) this.control(ABORT_HISTORY);
  }

  close(): void {
    // Once only: a second close must not free the thread under the next run.
    if (this.closed) return;
    this.closed = true;
    this.thread.inUse = false;
  }

  /** A batch of no cells asking `kind` of the thread, once it is done. */
  private control(kind: number): void {
    const thread = this.thread;
    this.writer.flush();
    if (this.local !== null) return this.local.apply(kind, NO_CELLS, 0);
    thread.submit(kind, 0);
    if (this.onThread(() => thread.waitFor(thread.control[SUBMITTED]!))) this.writer.restart(thread.nextSlot(0));
  }

  /** Does `wait` on the thread; false when the thread did not start and the run has taken its batches over. */
  private onThread(wait: () => void): boolean {
    try {
      wait();
      return true;
    } catch (error) {
      if (!(error instanceof CheckThreadNotStarted)) throw error;
      this.takeOver();
      return false;
    }
  }

  /**
   * The thread never served, so it completed nothing: every batch of this run, its NEW_RUN first,
   * is still in its slot (at most SLOTS of them: nextSlot waits for the thread before reusing one).
   * They are applied here, in order, and so is every batch after them.
   */
  private takeOver(): void {
    const { control, buffers } = this.thread;
    const submitted = control[SUBMITTED]!;
    const target = this.historyTarget;
    if (control[KIND] !== NEW_RUN) throw new CheckThreadFailure('a check thread that never served holds no run of its own');
    const local = new RunBatchApplier(this.checker, this.marks, target === null ? null : { path: target.path, nodeNames: target.nodeNames });
    for (let batch = 1; batch < submitted; batch++) {
      const slot = batch % SLOTS;
      local.apply(control[KIND + slot]!, buffers[slot]!, control[LENGTH + slot]!);
    }
    this.local = local;
  }
}

/** The run's checks on the check thread (started if need be); null (this thread's CheckQueue) when it is busy with another run. */
export function checksOnThread(checker: ConsistencyChecker, marks: CountMarks): HeldChecks | null {
  return onThread(checker, marks, null);
}

/** The run's checks and history on the check thread; null (both in this thread) when it is busy with another run. */
export function historyOnThread(checker: ConsistencyChecker, marks: CountMarks, history: HistoryTarget): HeldHistory | null {
  return onThread(checker, marks, history);
}

function onThread(checker: ConsistencyChecker, marks: CountMarks, history: HistoryTarget | null): ThreadChecks | null {
  if (marks.count !== MARK_ROWS || unavailable !== null) return null;
  const started = startThread();
  if (started === null || started.inUse) return null;
  started.inUse = true;
  return new ThreadChecks(started, checker, marks, history);
}

/** This process's check thread, started if need be; null when it cannot start. */
function startThread(): CheckThread | null {
  if (thread !== null && !thread.broken) return thread;
  try {
    thread = new CheckThread();
    return thread;
  } catch (error) {
    if (error instanceof CheckThreadNotStarted) return null;
    throw error;
  }
}

/**
 * Whether a run of `scenario` checks on the check thread: when the machine has a core for it
 * beside the `parallelRuns` runs going on, and the run is long enough to pay for the thread's start.
 */
export function checkThreadFor(scenario: Scenario, parallelRuns = 1): Pick<SimulateOptions, 'heldChecks' | 'heldHistory'> {
  if (availableParallelism() <= parallelRuns) return {};
  if (estimateWork(scenario).operations < CHECK_THREAD_MIN_OPERATIONS || unavailable !== null) return {};
  // Started now, the thread boots (about 50 ms) while the run builds its model.
  startThread();
  return { heldChecks: checksOnThread, heldHistory: historyOnThread };
}

/**
 * For tests of a thread that does not start: the next thread's boot loads `script` in place of
 * checkThreadWorker.js (undefined: that one again), and the process forgets that a thread could
 * not start.
 */
export function useCheckThreadScript(script: URL | undefined): void {
  workerScript = script;
  unavailable = null;
  if (thread !== null && !thread.inUse) thread.retire();
}
