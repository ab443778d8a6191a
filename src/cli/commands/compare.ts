/**
 * `lagsim compare FILE [--strategies none,pin,...] [--seeds 1..20]`: every strategy on the same
 * seeds. One seed is one workload and one set of lag draws for every strategy (common random
 * numbers, semantics.md section 5), so per-seed differences against the baseline are paired and
 * their intervals are much narrower than those of the separate rates.
 */
import { sweepSummaryJson } from '../../report/sweepOutput.js';
import { sweepTables } from '../../report/sweepTable.js';
import { STRATEGY_NAME_PATH } from '../../report/grid.js';
import { InputError } from '../../text/errors.js';
import { strategyNames } from '../../strategies/index.js';
import { ExitCode } from '../../text/exitCodes.js';
import { messages } from '../../text/messages.js';
import { defaultOutputFolder } from '../defaultOutput.js';
import type { RunContext } from '../../text/reproduce.js';
import { defineSweep, executeSweep, parseJobs, reportTaskFailure, wallTimeLine } from '../../run/sweep/execute.js';
import { TaskFailure } from '../../run/sweep/pool.js';
import { parseSeeds } from '../../run/sweep/seeds.js';
import { WHOLE } from '../../run/sweep/shard.js';
import { flagOverrides } from './run.js';

export interface CompareOptions {
  strategies?: string;
  seeds: string;
  set: string[];
  duration?: string;
  jobs?: string;
  baseline: string;
  out?: string;
  json?: boolean;
}

export { DEFAULT_COMPARE_SEEDS } from '../../run/sweep/seeds.js';

export function checkStrategyName(name: string, option: string): string {
  const trimmed = name.trim();
  if (!(strategyNames as readonly string[]).includes(trimmed)) {
    throw new InputError(option, undefined, messages.unknownStrategy(trimmed, strategyNames));
  }
  return trimmed;
}

/** `none,pin,token` → the names, checked; the baseline goes first when it is not listed. */
export function parseStrategies(text: string | undefined, baseline: string): string[] {
  if (text === undefined) return [...strategyNames];
  const names = text.split(',').map((name) => name.trim());
  if (names.every((name) => name === '')) throw new InputError('--strategies', undefined, messages.strategiesEmpty);
  const seen = new Set<string>();
  for (const name of names) {
    if (name === '') throw new InputError('--strategies', undefined, messages.strategiesEmpty);
    checkStrategyName(name, '--strategies');
    if (seen.has(name)) throw new InputError('--strategies', undefined, messages.strategyListedTwice(name));
    seen.add(name);
  }
  return seen.has(baseline) ? names : [baseline, ...names];
}

export async function compareCommand(file: string, options: CompareOptions, context: RunContext): Promise<ExitCode> {
  context.seeds = options.seeds;
  const set = flagOverrides({ set: options.set, ...(options.duration !== undefined ? { duration: options.duration } : {}) });
  context.overrides = set;
  const baseline = checkStrategyName(options.baseline, '--baseline');
  const strategies = parseStrategies(options.strategies, baseline);
  const seeds = parseSeeds(options.seeds);
  const jobs = parseJobs(options.jobs);
  const definition = defineSweep(file, set, [{ path: STRATEGY_NAME_PATH, values: strategies }], seeds, baseline);
  definition.spec.command = 'compare';
  const out = options.out ?? defaultOutputFolder(definition.spec.scenario.name, 'compare');
  let executed;
  try {
    executed = await executeSweep(definition, {
      jobs,
      shard: WHOLE,
      out,
      progressLabel: `compare ${definition.spec.scenario.name}`,
    });
  } catch (error) {
    if (error instanceof TaskFailure) return reportTaskFailure(definition.spec, error);
    throw error;
  }
  process.stderr.write(wallTimeLine(executed.run, jobs, definition.spec, WHOLE));
  const result = executed.result!;
  if (options.json) {
    process.stdout.write(sweepSummaryJson(result));
    process.stderr.write(`wrote ${out}: ${executed.files.join(', ')}\n`);
  } else {
    process.stdout.write(sweepTables(result));
    process.stdout.write(`\nwrote ${out}: ${executed.files.join(', ')}\n`);
  }
  return ExitCode.ok;
}
