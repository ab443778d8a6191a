/**
 * The check thread's script: loads checkThreadWorker.ts, which serves. A script that fails to load
 * (a stale or partial build) is reported as the thread's own failures are, through the port and the
 * control block, instead of leaving the run to wait STARTUP_MS for a thread that never serves.
 */
import { workerData } from 'node:worker_threads';
import { reportFailure, type CheckThreadData } from './checkThreadProtocol.js';

const data = workerData as CheckThreadData;
// A thread that ends otherwise (process.exit in a dependency, an error thrown while reporting one)
// says so too, instead of leaving the run to wait STALLED_MS.
process.on('exit', (code) => reportFailure(data, { message: `it exited with code ${code}` }));

try {
  await import(data.workerScript ?? './checkThreadWorker.js');
} catch (error) {
  reportFailure(data, { message: `its script did not load: ${error instanceof Error ? error.message : String(error)}` });
}
