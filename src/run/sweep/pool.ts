/**
 * Runs a sweep's tasks: in this thread with one job, else on worker threads that each take the next
 * task as soon as they finish one (so a slow grid point does not hold the others back). Records
 * arrive in finishing order; callers place them by task number, never by arrival.
 */
import { Worker } from 'node:worker_threads';
import { InputError } from '../../text/errors.js';
import type { Scenario } from '../../scenario/schema.js';
import type { TaskRecord, TaskRef } from '../../report/sweepData.js';
import { workerModuleUrl } from '../workerModule.js';
import type { ResultMessage, TaskMessage } from './messages.js';
import { runTask } from './task.js';
import { checkThreadFor } from '../checkThread.js';

/** A task failed with an error that is not the user's input: a bug, reported with its run. */
export class TaskFailure extends Error {
  override readonly name = 'TaskFailure';
  constructor(
    readonly ref: TaskRef,
    message: string,
    readonly innerStack?: string,
  ) {
    super(message);
  }
}

/** The worker script (compiled JavaScript, workerModule.ts). */
export const workerUrl = (): URL => workerModuleUrl(import.meta.url, './worker.js', ['src', 'run', 'sweep', 'worker.js'], 'sweep workers');

export interface PoolOptions {
  jobs: number;
  scenarioOf: (point: number) => Scenario;
  onRecord: (record: TaskRecord) => void;
}

export async function runTasks(refs: readonly TaskRef[], options: PoolOptions): Promise<void> {
  const jobs = Math.max(1, Math.min(options.jobs, refs.length));
  if (jobs === 1) {
    for (const ref of refs) options.onRecord(runInThread(ref, options.scenarioOf(ref.point)));
    return;
  }
  await runOnWorkers(refs, jobs, options);
}

function runInThread(ref: TaskRef, scenario: Scenario): TaskRecord {
  try {
    // One job: the machine's other cores are free for the run's checks.
    return runTask(ref, scenario, checkThreadFor(scenario));
  } catch (error) {
    if (error instanceof InputError) throw error;
    const inner = error instanceof Error ? error : new Error(String(error));
    throw new TaskFailure(ref, inner.message, inner.stack);
  }
}

function runOnWorkers(refs: readonly TaskRef[], jobs: number, options: PoolOptions): Promise<void> {
  const url = workerUrl();
  return new Promise<void>((resolve, reject) => {
    const workers: Worker[] = [];
    let next = 0;
    let running = 0;
    let settled = false;

    const stop = (error: unknown): void => {
      if (settled) return;
      settled = true;
      for (const worker of workers) void worker.terminate();
      reject(error);
    };

    const dispatch = (worker: Worker, sent: Set<number>): void => {
      if (settled) return;
      if (next >= refs.length) {
        if (running === 0) {
          settled = true;
          for (const w of workers) void w.terminate();
          resolve();
        }
        return;
      }
      const ref = refs[next++]!;
      const message: TaskMessage = { ref };
      if (!sent.has(ref.point)) {
        message.scenario = options.scenarioOf(ref.point);
        sent.add(ref.point);
      }
      running++;
      worker.postMessage(message);
    };

    for (let i = 0; i < jobs; i++) {
      const worker = new Worker(url);
      const sent = new Set<number>();
      workers.push(worker);
      worker.on('message', (reply: ResultMessage) => {
        running--;
        if (!reply.ok) {
          const { error, ref } = reply;
          stop(error.input ? new InputError(error.input.file, error.input.path, error.message) : new TaskFailure(ref, error.message, error.stack));
          return;
        }
        try {
          options.onRecord(reply.record);
        } catch (error) {
          stop(error);
          return;
        }
        dispatch(worker, sent);
      });
      worker.on('error', (error) => stop(error));
      worker.on('exit', (code) => {
        if (!settled) stop(new Error(`sweep worker exited with code ${code}`));
      });
      dispatch(worker, sent);
    }
  });
}
