/** One task of a sweep: a measured run (grid point × seed), recording its replicas' lag over time when asked. */
import type { Scenario } from '../../scenario/schema.js';
import type { TaskRecord, TaskRef } from '../../report/sweepData.js';
import { simulate } from '../pipeline.js';
import { ReplicaLagRecorder } from './lagRun.js';

export function runTask(ref: TaskRef, pointScenario: Scenario): TaskRecord {
  const scenario: Scenario = { ...pointScenario, seed: ref.seed };
  if (ref.kind === 'run') return { ...ref, kind: 'run', summary: simulate(scenario).summary };
  const recorder = new ReplicaLagRecorder();
  const result = simulate(scenario, { onApplyScheduled: recorder.onApplyScheduled });
  return { ...ref, kind: 'lag', summary: result.summary, series: recorder.series(result.simulator) };
}
