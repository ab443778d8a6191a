/**
 * A sweep worker thread: runs the tasks the main thread sends, one at a time, and posts back each
 * record. It keeps each grid point's validated scenario, so a point is sent (and cloned) once per
 * worker, not once per seed.
 */
import { parentPort } from 'node:worker_threads';
import { InputError } from '../../text/errors.js';
import type { Scenario } from '../../scenario/schema.js';
import type { ResultMessage, SerializedError, TaskMessage } from './messages.js';
import { runTask } from './task.js';

const port = parentPort;
if (port === null) throw new Error('sweep worker: started outside a worker thread');

const scenarios = new Map<number, Scenario>();

function serialize(error: unknown): SerializedError {
  if (error instanceof InputError) {
    return { name: error.name, message: error.message, input: { file: error.file, path: error.path } };
  }
  if (error instanceof Error) return { name: error.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
  return { name: 'Error', message: String(error) };
}

port.on('message', (message: TaskMessage) => {
  if (message.scenario !== undefined) scenarios.set(message.ref.point, message.scenario);
  let reply: ResultMessage;
  try {
    const scenario = scenarios.get(message.ref.point);
    if (scenario === undefined) throw new Error(`sweep worker: no scenario for grid point ${message.ref.point}`);
    reply = { ok: true, record: runTask(message.ref, scenario) };
  } catch (error) {
    reply = { ok: false, ref: message.ref, error: serialize(error) };
  }
  port.postMessage(reply);
});
