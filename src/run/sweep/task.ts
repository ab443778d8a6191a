/** One task of a sweep: a measured run (grid point × seed), recording its replicas' lag over time when asked. */
import type { Scenario } from '../../scenario/schema.js';
import type { TaskRecord, TaskRef } from '../../report/sweepData.js';
import { simulate, type SimulateOptions } from '../pipeline.js';
import { ReplicaLagRecorder } from './lagRun.js';

/** `checks`: where the run's checks go (pipeline.ts), as the caller decides for its threads. */
export function runTask(ref: TaskRef, pointScenario: Scenario, checks: Pick<SimulateOptions, 'heldChecks'> = {}): TaskRecord {
  const scenario: Scenario = { ...pointScenario, seed: ref.seed };
  if (ref.kind === 'run') return { ...ref, kind: 'run', summary: simulate(scenario, checks).summary };
  const recorder = new ReplicaLagRecorder();
  const result = simulate(scenario, { ...checks, onApplyScheduled: recorder.onApplyScheduled });
  return { ...ref, kind: 'lag', summary: result.summary, series: recorder.series(result.simulator) };
}
