/**
 * `lagsim sweep FILE --vary PATH=V1,V2 [--vary ...] [--seeds ...] [--jobs N] [--shard i/n] [--out DIR]`:
 * every point of the grid × every seed, on worker threads; outputs in `--out` (default: a fresh
 * lagsim-out/<scenario>-sweep-<n>/), byte-identical whatever --jobs and the order runs finish in.
 */
import { join } from 'node:path';
import { defaultOutputFolder } from '../defaultOutput.js';
import { sweepSummaryJson } from '../../report/sweepOutput.js';
import { sweepTables } from '../../report/sweepTable.js';
import { ExitCode } from '../../text/exitCodes.js';
import type { RunContext } from '../../text/reproduce.js';
import { flagOverrides } from './run.js';
import { checkVaries, parseVary } from '../../run/sweep/grid.js';
import { defineSweep, executeSweep, parseJobs, reportTaskFailure, wallTimeLine } from '../../run/sweep/execute.js';
import { TaskFailure } from '../../run/sweep/pool.js';
import { parseSeeds } from '../../run/sweep/seeds.js';
import { parseShard, WHOLE } from '../../run/sweep/shard.js';
import { checkStrategyName } from './compare.js';

export interface SweepOptions {
  vary: string[];
  seeds?: string;
  set: string[];
  duration?: string;
  jobs?: string;
  shard?: string;
  out?: string;
  baseline?: string;
  json?: boolean;
}

export async function sweepCommand(file: string, options: SweepOptions, context: RunContext): Promise<ExitCode> {
  if (options.seeds !== undefined) context.seeds = options.seeds;
  const set = flagOverrides({ set: options.set, ...(options.duration !== undefined ? { duration: options.duration } : {}) });
  context.overrides = set;
  const varies = options.vary.map(parseVary);
  checkVaries(varies);
  const seeds = options.seeds === undefined ? (scenarioSeed: number) => [scenarioSeed] : parseSeeds(options.seeds);
  const jobs = parseJobs(options.jobs);
  const shard = options.shard === undefined ? WHOLE : parseShard(options.shard);
  const baseline = checkStrategyName(options.baseline ?? 'none', '--baseline');
  const definition = defineSweep(file, set, varies, seeds, baseline);
  const out = options.out ?? defaultOutputFolder(definition.spec.scenario.name, 'sweep');
  let executed;
  try {
    executed = await executeSweep(definition, { jobs, shard, out, progressLabel: `sweep ${definition.spec.scenario.name}` });
  } catch (error) {
    if (error instanceof TaskFailure) return reportTaskFailure(definition.spec, error);
    throw error;
  }
  process.stderr.write(wallTimeLine(executed.run, jobs, definition.spec, shard));
  if (executed.result === undefined) {
    process.stdout.write(`shard ${shard.index}/${shard.count}: wrote ${join(out, executed.files[0]!)} (merge every shard with: npx lagsim merge ${out} --out DIR)\n`);
    return ExitCode.ok;
  }
  if (options.json) {
    process.stdout.write(sweepSummaryJson(executed.result));
    process.stderr.write(`wrote ${out}: ${executed.files.join(', ')}\n`);
  } else {
    process.stdout.write(sweepTables(executed.result));
    process.stdout.write(`\nwrote ${out}: ${executed.files.join(', ')}\n`);
  }
  return ExitCode.ok;
}
