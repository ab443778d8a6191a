/** What the sweep's main thread and its workers say to each other. */
import type { Scenario } from '../../scenario/schema.js';
import type { TaskRecord, TaskRef } from '../../report/sweepData.js';

export interface TaskMessage {
  ref: TaskRef;
  /** Sent with the first task of each grid point a worker gets; the worker keeps it. */
  scenario?: Scenario;
}

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  /** Set for an InputError, so that it is reported as bad input, not as a bug. */
  input?: { file: string; path: string | undefined };
}

export type ResultMessage = { ok: true; record: TaskRecord } | { ok: false; ref: TaskRef; error: SerializedError };
