import type { OptionValues } from 'commander';
import type { ExitCode } from '../../text/exitCodes.js';
import type { RunContext } from '../../text/reproduce.js';
import { DEFAULT_COMPARE_SEEDS } from '../../run/sweep/seeds.js';
import type { CompareOptions } from './compare.js';
import type { ExplainOptions } from './explain.js';
import type { PlanOptions } from './plan.js';
import type { ProbeCommandOptions } from './probe.js';
import type { RealCommandOptions } from './real.js';
import type { RunOptions } from './run.js';
import type { SweepOptions } from './sweep.js';
import { OPTIONS, worded, type OptionSpec } from '../options.js';

/**
 * A command: what `lagsim --help` says of it, its arguments and options, and how it runs. Its module
 * is imported only when it runs (a command's dependencies, such as vega-lite or pg, load on demand).
 * The context arrives with the command, its file and the options a reproduce line repeats already set.
 */
export interface CommandSpec {
  readonly name: string;
  readonly description: string;
  /** `<file>` or `<inputs...>` and its help; the first names RunContext.file (or .inputs when variadic). */
  readonly argument?: readonly [name: string, help: string];
  readonly options: readonly OptionSpec[];
  run(argument: string | string[] | undefined, options: OptionValues, context: RunContext): Promise<ExitCode>;
}

const SCENARIO_FILE = ['<file>', 'scenario file (YAML or JSON)'] as const;
const file = (argument: string | string[] | undefined): string => argument as string;
const { seed, duration, set, strategy, json, out, history, jobs, seeds, vary } = OPTIONS;

/** Every command, in the order `lagsim --help` lists them. */
export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'run',
    description: 'simulate a scenario and print its anomalies and costs',
    argument: SCENARIO_FILE,
    options: [
      seed,
      worded(duration, 'simulated time after warm-up, e.g. 10m (overrides the scenario’s)'),
      worded(set, 'override a field, e.g. cluster.replicas.0.lag=500ms (repeatable)'),
      strategy,
      json,
      out,
      history,
      OPTIONS.timeseries,
      OPTIONS.interval,
      OPTIONS.tvis,
    ],
    run: async (argument, options, context) => (await import('./run.js')).runCommand(file(argument), options as RunOptions, context),
  },
  {
    name: 'validate',
    description: 'check a scenario file; one line says what is wrong',
    argument: SCENARIO_FILE,
    options: [worded(set, 'override a field before validating (repeatable)')],
    run: async (argument, options, context) => {
      context.overrides = options['set'] as string[];
      return (await import('./validate.js')).validateCommand(file(argument), context.overrides);
    },
  },
  {
    name: 'explain',
    description: "tell one session's story: its writes, where they were applied, what each read returned, and why each anomaly is one",
    argument: SCENARIO_FILE,
    options: [
      OPTIONS.session,
      OPTIONS.from,
      OPTIONS.to,
      OPTIONS.chart,
      seed,
      worded(duration, 'simulated time after warm-up (overrides the scenario’s)'),
      set,
      worded(strategy, 'explain under this strategy, with its options from strategyOptions'),
    ],
    run: async (argument, options, context) => (await import('./explain.js')).explainCommand(file(argument), options as ExplainOptions, context),
  },
  {
    name: 'check',
    description: 'recount every anomaly of a history file and compare with its flags',
    argument: ['<history>', 'a history written by run --history (JSON Lines)'],
    options: [worded(json, 'print the counts as JSON')],
    run: async (argument, options) => (await import('./check.js')).checkCommand(file(argument), options),
  },
  {
    name: 'strategies',
    description: 'list the read-routing strategies with their options, guarantees and costs',
    options: [],
    run: async () => (await import('./strategies.js')).strategiesCommand(),
  },
  {
    name: 'schema',
    description: 'print the JSON Schema of scenario files',
    options: [],
    run: async () => (await import('./schema.js')).schemaCommand(),
  },
  // Real PostgreSQL clusters: probe, real (docs/postgres.md).
  {
    name: 'probe',
    description: 'measure each PostgreSQL replica\'s lag as a reader sees it; write a CSV a scenario can use',
    options: [
      OPTIONS.primary,
      OPTIONS.replica,
      { ...worded(duration, 'how long to probe', '10s'), reproduce: true },
      OPTIONS.rate,
      OPTIONS.poll,
      OPTIONS.readOnly,
      worded(OPTIONS.table, 'prefix of lagsim\'s own tables (<prefix>_probe)', 'lagsim'),
      { ...worded(out, 'CSV of the lag samples (ms, one column per replica)', 'lag.csv'), flags: '--out <file>' },
      worded(json, 'print the result as JSON'),
    ],
    run: async (_argument, options) => (await import('./probe.js')).probeCommand(options as ProbeCommandOptions),
  },
  {
    name: 'real',
    description: 'run a scenario\'s workload and strategy against a real PostgreSQL primary and replicas',
    argument: SCENARIO_FILE,
    options: [
      OPTIONS.primary,
      OPTIONS.replica,
      seed,
      worded(duration, 'wall-clock time measured after warm-up, e.g. 60s (overrides the scenario’s)'),
      worded(set, 'override a field, e.g. clients.0.sessions=20 (repeatable)'),
      strategy,
      OPTIONS.scale,
      OPTIONS.connections,
      OPTIONS.maxRate,
      OPTIONS.lagPoll,
      OPTIONS.table,
      history,
      out,
      json,
      OPTIONS.compareSim,
      OPTIONS.probeDuration,
      OPTIONS.probeRate,
      OPTIONS.lagFile,
    ],
    run: async (argument, options, context) => (await import('./real.js')).realCommand(file(argument), options as RealCommandOptions, context),
  },
  // Many runs: compare, sweep, merge, plan (paired comparisons, parallel sweeps, reports).
  {
    name: 'compare',
    description: 'run every strategy on the same seeds and print their anomalies, costs and paired differences',
    argument: SCENARIO_FILE,
    options: [
      OPTIONS.strategies,
      worded(seeds, 'seeds, e.g. 1..20 or 1,2,5', DEFAULT_COMPARE_SEEDS),
      OPTIONS.baseline,
      worded(set, 'override a field, e.g. strategyOptions.pin.window=5s (repeatable)'),
      duration,
      jobs,
      worded(out, 'folder for the report: summary.json, runs.csv, charts, index.html (default: a fresh lagsim-out/<scenario>-compare-<n>/)'),
      worded(json, 'print summary.json instead of the tables'),
    ],
    run: async (argument, options, context) => (await import('./compare.js')).compareCommand(file(argument), options as CompareOptions, context),
  },
  {
    name: 'sweep',
    description: 'run a grid of scenario variants × seeds in parallel and write tables, CSV, charts and an HTML report',
    argument: SCENARIO_FILE,
    options: [
      vary,
      worded(seeds, 'seeds for every grid point, e.g. 1..20 or 1,2,5 (default: the scenario’s seed)'),
      worded(OPTIONS.baseline, 'strategy the paired differences are taken against, when strategy.name is varied', 'none'),
      worded(set, 'override a field for every grid point (repeatable)'),
      duration,
      jobs,
      OPTIONS.shard,
      worded(out, 'output folder (default: a fresh lagsim-out/<scenario>-sweep-<n>/)'),
      worded(json, 'print summary.json instead of the tables'),
    ],
    run: async (argument, options, context) => (await import('./sweep.js')).sweepCommand(file(argument), options as SweepOptions, context),
  },
  {
    name: 'merge',
    description: 'join the shard files of a sharded sweep into the outputs of the whole sweep',
    argument: ['<inputs...>', 'shard files (shard-I-of-N.json) or folders holding them'],
    options: [worded(out, 'output folder (default: a fresh lagsim-out/<scenario>-merge-<n>/)'), worded(json, 'print summary.json instead of the tables')],
    run: async (argument, options) => (await import('./merge.js')).mergeCommand(argument as string[], options),
  },
  {
    name: 'plan',
    description: 'search a space of configurations for the cheapest that meet every SLO',
    argument: SCENARIO_FILE,
    options: [
      OPTIONS.slo,
      worded(vary, 'a dimension of the space, e.g. cluster.replicas.0.count=1,2,3 (repeatable)'),
      seeds,
      worded(set, 'override a field (repeatable)'),
      worded(duration, 'simulated time after warm-up of every run'),
      worded(jobs, 'worker threads (default: the number of cores)'),
      OPTIONS.top,
      worded(out, 'where plan.json and the feasible-region chart go (default: a fresh lagsim-out/<scenario>-plan-<n>/)'),
      worded(json, 'print the ranking as JSON'),
    ],
    run: async (argument, options, context) => (await import('./plan.js')).planCommand(file(argument), options as PlanOptions, context),
  },
  {
    name: 'playground',
    description: 'build the playground: one HTML page running lagsim\'s simulator in the browser (works offline, from file://)',
    options: [worded(out, 'folder to write index.html into', 'playground')],
    run: async (_argument, options) => (await import('./playground.js')).playgroundCommand(options as { out: string }),
  },
];
