/**
 * What `compare`, `sweep` and `merge` share: turning the command line into a sweep definition,
 * running it (whole or one shard), writing its outputs, and reporting a failed run with the
 * command that reproduces it.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { writeFileAtomic } from '../../report/atomicWrite.js';
import { pointValues } from '../../report/grid.js';
import type { LagRecord, RunRecord, SweepSpec, TaskRecord, Vary } from '../../report/sweepData.js';
import { outputFileNames, writeSweepOutputs } from '../../report/sweepOutput.js';
import { aggregateSweep, type SweepResult } from '../../report/sweepResult.js';
import { formatSeeds } from '../../report/seedsText.js';
import { InputError } from '../../text/errors.js';
import { readScenarioDocument } from '../load.js';
import { ExitCode } from '../../text/exitCodes.js';
import { messages } from '../../text/messages.js';
import { checkOutputFolder } from '../outputPaths.js';
import { quote } from '../../text/reproduce.js';
import { LAGSIM_VERSION } from '../../text/version.js';
import { baseScenario, type ScenarioSource } from './grid.js';
import type { TaskFailure } from './pool.js';
import { prepareSweep, runSweep, type SweepRun } from './runSweep.js';
import { shardFileText, type ShardFile } from './shardFile.js';
import { shardFileName, type Shard } from './shard.js';

/** The scenario file as reports name it: as given when relative and inside the working folder, else its base name. */
export function scenarioFileLabel(file: string): string {
  if (isAbsolute(file)) {
    const rel = relative(process.cwd(), file);
    return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? basename(file) : rel.split(sep).join('/');
  }
  const normal = relative('.', file).split(sep).join('/');
  return normal.startsWith('..') ? basename(file) : normal;
}

export function parseJobs(text: string | undefined): number {
  if (text === undefined) return availableParallelism();
  const jobs = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(jobs) || jobs < 1) throw new InputError('--jobs', undefined, messages.expectedJobs(text));
  return jobs;
}

export interface SweepDefinition {
  spec: SweepSpec;
  source: ScenarioSource;
}

/** Reads and validates the scenario (with --set) and builds the sweep's definition. */
/**
 * Runs of one sweep, compare or plan (points × seeds) beyond which it is refused: each run keeps
 * its summary in memory until the tables are made, about 37 kB, so 100,000 runs take about 4 GB
 * (a grid of 1,000 points with 100,000 seeds asked for 10^8 and grew by gigabytes before its first run).
 */
export const MAX_RUNS = 100_000;

export function defineSweep(
  file: string,
  set: readonly string[],
  vary: readonly Vary[],
  seeds: ((scenarioSeed: number) => number[]) | number[],
  baseline: string,
): SweepDefinition {
  const document = readScenarioDocument(file);
  const source: ScenarioSource = { document, file, baseDir: dirname(file), set };
  const base = baseScenario(source);
  const text = readFileSync(file, 'utf8');
  const seedList = Array.isArray(seeds) ? seeds : seeds(base.seed);
  const points = vary.reduce((n, v) => n * v.values.length, 1);
  // Each run's summary is kept for the tables and charts (tens of kB): a bound on runs bounds memory.
  // The seeds are named when they are what takes the grid over it.
  if (points * seedList.length > MAX_RUNS) {
    throw new InputError(points > MAX_RUNS ? '--vary' : '--seeds', undefined, messages.sweepTooManyRuns(points * seedList.length, MAX_RUNS));
  }
  const spec: SweepSpec = {
    lagsim: LAGSIM_VERSION,
    scenario: { name: base.name, description: base.description ?? null, file: scenarioFileLabel(file), text },
    set: [...set],
    vary: vary.map((v) => ({ path: v.path, values: [...v.values] })),
    seeds: seedList,
    baseline,
  };
  return { spec, source };
}

/** Checks --out (outputPaths.ts's rule) and the files it will receive: a whole sweep's by default. */
export function checkOutDir(out: string, files: readonly string[] = outputFileNames()): void {
  checkOutputFolder('--out', out, files);
}

function whole(shard: Shard): boolean {
  return shard.count === 1;
}

export interface Executed {
  run: SweepRun;
  /** Set for a whole sweep. */
  result?: SweepResult;
  /** Files written (names inside the out folder). */
  files: string[];
}

export function splitRecords(records: readonly TaskRecord[]): { runs: RunRecord[]; lags: LagRecord[] } {
  const runs: RunRecord[] = [];
  const lags: LagRecord[] = [];
  for (const record of records) {
    if (record.kind === 'run') runs.push(record);
    else {
      runs.push({ task: record.task, kind: 'run', point: record.point, seed: record.seed, summary: record.summary });
      lags.push(record);
    }
  }
  return { runs, lags };
}

/**
 * Runs the sweep: everything is validated before the first run; then outputs go to `out` (a whole
 * sweep), or this shard's file to `out` (a shard). With `out` null, nothing is written.
 */
export async function executeSweep(
  definition: SweepDefinition,
  options: { jobs: number; shard: Shard; out: string | null; progressLabel: string },
): Promise<Executed> {
  const prepared = prepareSweep(definition.spec, definition.source);
  if (options.out !== null) checkOutDir(options.out, whole(options.shard) ? outputFileNames() : [shardFileName(options.shard)]);
  const isWhole = whole(options.shard);
  const run = await runSweep(prepared, {
    jobs: options.jobs,
    shard: options.shard,
    checkpointDir: options.out,
    progress: process.stderr.isTTY ? options.progressLabel : null,
  });
  const files: string[] = [];
  let result: SweepResult | undefined;
  if (isWhole) {
    const { runs, lags } = splitRecords(run.records);
    if (options.out === null) result = aggregateSweep(definition.spec, runs, lags);
    else {
      const written = await writeSweepOutputs(options.out, definition.spec, runs, lags);
      result = written.result;
      files.push(...written.files);
    }
  } else if (options.out !== null) {
    const shardFile: ShardFile = {
      format: 'lagsim-sweep-shard/1',
      fingerprint: prepared.fingerprint,
      shard: options.shard,
      tasks: run.totalTasks,
      spec: definition.spec,
      records: run.records,
    };
    const name = shardFileName(options.shard);
    writeFileAtomic(join(options.out, name), shardFileText(shardFile));
    files.push(name);
  }
  run.checkpoint?.clear(run.ownedTasks, isWhole);
  return { run, ...(result ? { result } : {}), files };
}

/** `npx lagsim sweep FILE ... --seeds S` for the one grid point and seed of a failed task. */
export function reproduceTask(spec: SweepSpec, failure: TaskFailure): string {
  const values = pointValues(spec.vary, failure.ref.point);
  const parts = ['npx', 'lagsim', 'sweep', quote(spec.scenario.file)];
  for (const assignment of spec.set) parts.push('--set', quote(assignment));
  spec.vary.forEach((v, i) => parts.push('--vary', quote(`${v.path}=${values[i]}`)));
  parts.push('--seeds', String(failure.ref.seed), '--jobs', '1');
  return parts.join(' ');
}

/** Reports a run that failed inside lagsim (a bug): the error, its seed, and how to rerun just that run. */
export function reportTaskFailure(spec: SweepSpec, failure: TaskFailure): ExitCode {
  process.stderr.write(`lagsim: internal error: ${failure.message}\n`);
  process.stderr.write(`seed ${failure.ref.seed}; reproduce with: ${reproduceTask(spec, failure)}\n`);
  if (process.env['LAGSIM_DEBUG'] && failure.innerStack) process.stderr.write(`${failure.innerStack}\n`);
  return ExitCode.internalError;
}

/** One stderr line on what ran (wall time never goes into an output file). */
export function wallTimeLine(run: SweepRun, jobs: number, spec: SweepSpec, shard: Shard): string {
  const ran = run.records.length - run.resumed;
  const threads = Math.min(jobs, Math.max(1, ran));
  const resumed = run.resumed > 0 ? `, ${run.resumed} reused from an interrupted run` : '';
  const slice = shard.count > 1 ? ` (shard ${shard.index}/${shard.count}: ${run.records.length} of ${run.totalTasks} tasks)` : '';
  return (
    `ran ${ran} simulation${ran === 1 ? '' : 's'}${slice} in ${(run.wallMs / 1000).toFixed(2)} s of wall time on ` +
    `${threads === 1 ? '1 thread' : `${threads} worker threads`}${resumed}; seeds ${formatSeeds(spec.seeds)}\n`
  );
}
