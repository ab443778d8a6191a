/** One task of a sweep: a measured run (grid point × seed) or the lag series of one. */
import type { Scenario } from '../../scenario/schema.js';
import type { TaskRecord, TaskRef } from '../../report/sweepData.js';
import { simulate } from '../pipeline.js';
import { replicaLagSeries } from './lagRun.js';

export function runTask(ref: TaskRef, pointScenario: Scenario): TaskRecord {
  const scenario: Scenario = { ...pointScenario, seed: ref.seed };
  if (ref.kind === 'lag') return { ...ref, kind: 'lag', series: replicaLagSeries(scenario) };
  return { ...ref, kind: 'run', summary: simulate(scenario).summary };
}
