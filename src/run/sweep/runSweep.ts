/**
 * Runs a sweep (or one shard of it): validates every grid point first (bad input stops everything
 * before anything runs or is written), plans the tasks, reuses what an interrupted run of the same
 * sweep saved, runs the rest on the pool, and returns the records in task order — so what happens
 * next never depends on --jobs or on the order in which runs finished.
 */
import { createHash } from 'node:crypto';
import { planTasks, gridSize } from '../../report/grid.js';
import { normalizeRecord, type SweepSpec, type TaskRecord } from '../../report/sweepData.js';
import type { Scenario } from '../../scenario/schema.js';
import { Checkpoint } from './checkpoint.js';
import { baseScenario, pointScenario, type ScenarioSource } from './grid.js';
import { runTasks } from './pool.js';
import { simulationsProgress } from '../progress.js';
import { ownsTask, type Shard } from './shard.js';

export interface PreparedSweep {
  spec: SweepSpec;
  scenarios: Scenario[];
  fingerprint: string;
}

/** Validates the scenario, --set and every grid point; throws InputError on the first problem. */
export function prepareSweep(spec: SweepSpec, source: ScenarioSource): PreparedSweep {
  baseScenario(source);
  const scenarios: Scenario[] = [];
  const points = gridSize(spec.vary);
  for (let point = 0; point < points; point++) scenarios.push(pointScenario(source, spec.vary, point));
  const fingerprint = createHash('sha256').update(JSON.stringify({ spec, scenarios })).digest('hex');
  return { spec, scenarios, fingerprint };
}

export interface RunSweepOptions {
  jobs: number;
  shard: Shard;
  /** Where finished tasks are saved so that a rerun resumes; null to keep nothing. */
  checkpointDir: string | null;
  /** Label of the progress bar, or null for none. */
  progress: string | null;
}

export interface SweepRun {
  /** This shard's records, in task order. */
  records: TaskRecord[];
  /** Tasks of the whole sweep. */
  totalTasks: number;
  /** Tasks taken from an earlier, interrupted run. */
  resumed: number;
  wallMs: number;
  checkpoint: Checkpoint | null;
  ownedTasks: ReturnType<typeof planTasks>;
}

export async function runSweep(prepared: PreparedSweep, options: RunSweepOptions): Promise<SweepRun> {
  const started = process.hrtime.bigint();
  const all = planTasks(prepared.spec);
  const owned = all.filter((ref) => ownsTask(options.shard, ref.task));
  const checkpoint = options.checkpointDir === null ? null : new Checkpoint(options.checkpointDir, prepared.fingerprint);
  const records = new Array<TaskRecord | undefined>(all.length);
  let resumed = 0;
  const pending = owned.filter((ref) => {
    const saved = checkpoint?.load(ref);
    if (saved === undefined) return true;
    records[ref.task] = saved;
    resumed++;
    return false;
  });
  const progress = options.progress === null ? null : simulationsProgress(options.progress, owned.length, resumed);
  await runTasks(pending, {
    jobs: options.jobs,
    scenarioOf: (point) => prepared.scenarios[point]!,
    onRecord: (record) => {
      // Through JSON, as a shard file or checkpoint would give it back: every path sees the same numbers.
      const normal = normalizeRecord(record);
      records[normal.task] = normal;
      checkpoint?.save(normal);
      progress?.tick();
    },
  });
  const mine = owned.map((ref) => records[ref.task]!);
  return {
    records: mine,
    totalTasks: all.length,
    resumed,
    wallMs: Number(process.hrtime.bigint() - started) / 1e6,
    checkpoint,
    ownedTasks: owned,
  };
}
