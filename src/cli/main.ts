import { Command, CommanderError, type Option } from 'commander';
import { InputError } from '../text/errors.js';
import { ExitCode } from '../text/exitCodes.js';
import { DEFAULT_COMPARE_SEEDS } from '../run/sweep/seeds.js';
import { givenOptions, reproduceCommand, type RunContext } from '../text/reproduce.js';
import { LAGSIM_VERSION } from '../text/version.js';
import { maskSecrets, messages } from '../text/messages.js';
import { LivelockError } from '../engine/simulation.js';
import { parseMaxOperations, setMaxOperations } from '../run/load.js';
import { DEFAULT_MAX_OPERATIONS } from '../scenario/workBudget.js';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Commander's "error: ...\n(Did you mean X?)" as one line: "error: ... (did you mean X?)". */
export function oneLineError(text: string): string {
  return text.replace(/\n\(Did you mean (.*)\?\)\n?$/, ' (did you mean $1?)\n');
}

/** An option's help: its description, then its default as "(default: X)" unless it has none to show (an empty list). */
function describeOption(option: Option): string {
  const value: unknown = option.defaultValue;
  const shown = option.defaultValueDescription ?? (value === undefined || (Array.isArray(value) && value.length === 0) ? undefined : String(value));
  return shown === undefined ? option.description : `${option.description} (default: ${shown})`;
}

/** Runs one command line; resolves to the process exit code. */
export async function main(argv: readonly string[]): Promise<ExitCode> {
  const context: RunContext = { command: '', overrides: [] };
  let exitCode: ExitCode = ExitCode.ok;
  const program = new Command('lagsim')
    .description('Deterministic simulator of read replicas, replication lag and the routing strategies that hide it')
    .version(LAGSIM_VERSION)
    .exitOverride()
    // "Did you mean" for a mistyped command or option, on the error's own line (bad input is one line).
    .showSuggestionAfterError(true)
    .configureOutput({ outputError: (text, write) => write(oneLineError(text)) })
    // One format for defaults: "(default: X)", whether commander knows X or the description says it.
    .configureHelp({ optionDescription: describeOption })
    .option('--max-operations <n>', 'refuse a run estimated to start more operations than this, e.g. 1e9 (see the estimate in the refusal)', String(DEFAULT_MAX_OPERATIONS))
    .hook('preAction', () => {
      const given = program.getOptionValueSource('maxOperations') === 'cli' ? (program.opts()['maxOperations'] as string) : undefined;
      if (given === undefined) return;
      setMaxOperations(parseMaxOperations(given));
      context.maxOperations = given;
    });

  program
    .command('run')
    .description('simulate a scenario and print its anomalies and costs')
    .argument('<file>', 'scenario file (YAML or JSON)')
    .option('--seed <n>', 'random seed (overrides the scenario’s seed)')
    .option('--duration <d>', 'simulated time after warm-up, e.g. 10m (overrides the scenario’s)')
    .option('--set <path=value>', 'override a field, e.g. cluster.replicas.0.lag=500ms (repeatable)', collect, [])
    .option('--strategy <name>', 'run this strategy with the options the scenario gives it in strategyOptions')
    .option('--json', 'print the summary as JSON instead of a table')
    .option('--out <dir>', 'also write summary.json into this folder')
    .option('--history <file>', 'write every operation as JSON Lines (docs/semantics.md#4-the-history-export)')
    .option('--timeseries <file>', 'write per-interval metrics (throughput, queues, utilisation, lag, anomaly rates) as CSV, with a chart beside it (.vl.json, .svg)')
    .option('--interval <d>', 'interval of --timeseries, e.g. 1s (default: 1s)')
    .option('--tvis <list>', 't-visibility bucket edges, e.g. 50ms,100ms,1s (sets report.tVisibility)')
    .action(async (file: string, options) => {
      context.command = 'run';
      exitCode = await (await import('./commands/run.js')).runCommand(file, options, context);
    });

  program
    .command('validate')
    .description('check a scenario file; one line says what is wrong')
    .argument('<file>', 'scenario file (YAML or JSON)')
    .option('--set <path=value>', 'override a field before validating (repeatable)', collect, [])
    .action(async (file: string, options: { set: string[] }) => {
      context.command = 'validate';
      context.file = file;
      context.overrides = options.set;
      exitCode = await (await import('./commands/validate.js')).validateCommand(file, options.set);
    });

  program
    .command('explain')
    .description("tell one session's story: its writes, where they were applied, what each read returned, and why each anomaly is one")
    .argument('<file>', 'scenario file (YAML or JSON)')
    .option('--session <n>', 'the session to explain (default: the first that shows an anomaly)')
    .option('--from <t>', 'only operations that start at or after this simulated time, e.g. 30s')
    .option('--to <t>', 'only operations that start at or before this simulated time')
    .option('--chart <file>', 'also draw the timeline as SVG (Vega-Lite)')
    .option('--seed <n>', 'random seed (overrides the scenario’s seed)')
    .option('--duration <d>', 'simulated time after warm-up (overrides the scenario’s)')
    .option('--set <path=value>', 'override a field (repeatable)', collect, [])
    .option('--strategy <name>', 'explain under this strategy, with its options from strategyOptions')
    .action(async (file: string, options) => {
      context.command = 'explain';
      exitCode = await (await import('./commands/explain.js')).explainCommand(file, options, context);
    });

  program
    .command('check')
    .description('recount every anomaly of a history file and compare with its flags')
    .argument('<history>', 'a history written by run --history (JSON Lines)')
    .option('--json', 'print the counts as JSON')
    .action(async (file: string, options: { json?: boolean }) => {
      context.command = 'check';
      context.file = file;
      context.options = givenOptions([['--json', options.json]]);
      exitCode = await (await import('./commands/check.js')).checkCommand(file, options);
    });

  program
    .command('strategies')
    .description('list the read-routing strategies with their options, guarantees and costs')
    .action(async () => {
      exitCode = await (await import('./commands/strategies.js')).strategiesCommand();
    });

  program
    .command('schema')
    .description('print the JSON Schema of scenario files')
    .action(async () => {
      exitCode = await (await import('./commands/schema.js')).schemaCommand();
    });

  // ---- real PostgreSQL clusters: probe, real (docs/postgres.md) ----------------------------------
  program
    .command('probe')
    .description('measure each PostgreSQL replica\'s lag as a reader sees it; write a CSV a scenario can use')
    .option('--primary <url>', 'the primary, e.g. postgres://user@host:5432/db (default: the PG* environment variables)')
    .option('--replica <url>', 'a streaming hot standby of the primary (repeatable)', collect, [])
    .option('--duration <d>', 'how long to probe', '10s')
    .option('--rate <n>', 'probe writes per second', '10')
    .option('--poll <d>', 'pause between two polls of a replica while a probe write is not visible yet', '1ms')
    .option('--read-only', 'write nothing: time how long replicas take to replay the primary\'s WAL position')
    .option('--table <prefix>', 'prefix of lagsim\'s own tables (<prefix>_probe)', 'lagsim')
    .option('--out <file>', 'CSV of the lag samples (ms, one column per replica)', 'lag.csv')
    .option('--json', 'print the result as JSON')
    .action(async (options) => {
      context.command = 'probe';
      exitCode = await (await import('./commands/probe.js')).probeCommand(options);
    });

  program
    .command('real')
    .description('run a scenario\'s workload and strategy against a real PostgreSQL primary and replicas')
    .argument('<file>', 'scenario file (YAML or JSON)')
    .option('--primary <url>', 'the primary, e.g. postgres://user@host:5432/db (default: the PG* environment variables)')
    .option('--replica <url>', 'a streaming hot standby of the primary (repeatable)', collect, [])
    .option('--seed <n>', 'random seed (overrides the scenario’s seed)')
    .option('--duration <d>', 'wall-clock time measured after warm-up, e.g. 60s (overrides the scenario’s)')
    .option('--set <path=value>', 'override a field, e.g. clients.0.sessions=20 (repeatable)', collect, [])
    .option('--strategy <name>', 'run this strategy with the options the scenario gives it in strategyOptions')
    .option('--scale <f>', 'multiply every client group\'s sessions by this factor')
    .option('--connections <n>', 'connections per server at most', '20')
    .option('--max-rate <n>', 'start at most this many operations per second (a load limit)')
    .option('--lag-poll <d>', 'how often to read the replicas\' applied positions for the lag figures (0: never)', '10ms')
    .option('--table <prefix>', 'prefix of lagsim\'s own tables (<prefix>_kv, <prefix>_log, <prefix>_probe)', 'lagsim')
    .option('--history <file>', 'write every operation as JSON Lines (docs/semantics.md#4-the-history-export)')
    .option('--out <dir>', 'also write summary.json into this folder')
    .option('--json', 'print the summary as JSON instead of a table')
    .option('--compare-sim', 'also simulate the scenario with the probed lags and compare the rates')
    .option('--probe-duration <d>', 'with --compare-sim: how long to probe the lags first', '5s')
    .option('--probe-rate <n>', 'with --compare-sim: probe writes per second', '20')
    .option('--lag-file <csv>', 'with --compare-sim: lags from an earlier `lagsim probe` instead of probing')
    .action(async (file: string, options) => {
      context.command = 'real';
      exitCode = await (await import('./commands/real.js')).realCommand(file, options, context);
    });

  // ---- compare, sweep, merge (paired comparisons, parallel sweeps, reports) ------------------------
  program
    .command('compare')
    .description('run every strategy on the same seeds and print their anomalies, costs and paired differences')
    .argument('<file>', 'scenario file (YAML or JSON)')
    .option('--strategies <list>', 'strategies to compare, e.g. none,pin,token (default: all)')
    .option('--seeds <seeds>', 'seeds, e.g. 1..20 or 1,2,5', DEFAULT_COMPARE_SEEDS)
    .option('--baseline <name>', 'strategy the paired differences are taken against (run even if not listed)', 'none')
    .option('--set <path=value>', 'override a field, e.g. strategyOptions.pin.window=5s (repeatable)', collect, [])
    .option('--duration <d>', 'simulated time after warm-up, e.g. 2m (overrides the scenario’s)')
    .option('--jobs <n>', 'worker threads (default: one per CPU; results do not depend on it)')
    .option('--out <dir>', 'folder for the report: summary.json, runs.csv, charts, index.html (default: a fresh lagsim-out/<scenario>-compare-<n>/)')
    .option('--json', 'print summary.json instead of the tables')
    .action(async (file: string, options) => {
      context.command = 'compare';
      exitCode = await (await import('./commands/compare.js')).compareCommand(file, options, context);
    });

  program
    .command('sweep')
    .description('run a grid of scenario variants × seeds in parallel and write tables, CSV, charts and an HTML report')
    .argument('<file>', 'scenario file (YAML or JSON)')
    .option('--vary <path=v1,v2,...>', 'a parameter and its values, e.g. strategy.name=none,pin (repeatable; grid = every combination)', collect, [])
    .option('--seeds <seeds>', 'seeds for every grid point, e.g. 1..20 or 1,2,5 (default: the scenario’s seed)')
    .option('--baseline <name>', 'strategy the paired differences are taken against, when strategy.name is varied', 'none')
    .option('--set <path=value>', 'override a field for every grid point (repeatable)', collect, [])
    .option('--duration <d>', 'simulated time after warm-up, e.g. 2m (overrides the scenario’s)')
    .option('--jobs <n>', 'worker threads (default: one per CPU; results do not depend on it)')
    .option('--shard <i/n>', 'run only slice i of n (an array job); join the slices with lagsim merge')
    .option('--out <dir>', 'output folder (default: a fresh lagsim-out/<scenario>-sweep-<n>/)')
    .option('--json', 'print summary.json instead of the tables')
    .action(async (file: string, options) => {
      context.command = 'sweep';
      exitCode = await (await import('./commands/sweep.js')).sweepCommand(file, options, context);
    });

  program
    .command('merge')
    .description('join the shard files of a sharded sweep into the outputs of the whole sweep')
    .argument('<inputs...>', 'shard files (shard-I-of-N.json) or folders holding them')
    .option('--out <dir>', 'output folder (default: a fresh lagsim-out/<scenario>-merge-<n>/)')
    .option('--json', 'print summary.json instead of the tables')
    .action(async (inputs: string[], options: { out?: string; json?: boolean }) => {
      context.command = 'merge';
      context.inputs = inputs;
      context.options = givenOptions([
        ['--out', options.out],
        ['--json', options.json],
      ]);
      exitCode = await (await import('./commands/merge.js')).mergeCommand(inputs, options);
    });

  program
    .command('plan')
    .description('search a space of configurations for the cheapest that meet every SLO')
    .argument('<file>', 'scenario file (YAML or JSON)')
    .requiredOption('--slo <list>', "SLOs, e.g. 'ryw<0.001,readP99<50ms,leaderUtil<0.7' (metrics: ryw, mr, cp, stale, lost, failed, readP50..readP999, writeP50, writeP99, leaderUtil, leaderShare)")
    .option('--vary <path=values>', 'a dimension of the space, e.g. cluster.replicas.0.count=1,2,3 (repeatable)', collect, [])
    .option('--seeds <list>', 'seeds, e.g. 1..5 (default: the scenario’s seed)')
    .option('--set <path=value>', 'override a field (repeatable)', collect, [])
    .option('--duration <d>', 'simulated time after warm-up of every run')
    .option('--jobs <n>', 'worker threads (default: the number of cores)')
    .option('--top <n>', 'how many configurations to list (default: 5)')
    .option('--out <dir>', 'where plan.json and the feasible-region chart go (default: a fresh lagsim-out/<scenario>-plan-<n>/)')
    .option('--json', 'print the ranking as JSON')
    .action(async (file: string, options) => {
      context.command = 'plan';
      exitCode = await (await import('./commands/plan.js')).planCommand(file, options, context);
    });

  program
    .command('playground')
    .description('build the playground: one HTML page running lagsim\'s simulator in the browser (works offline, from file://)')
    .option('--out <dir>', 'folder to write index.html into', 'playground')
    .action(async (options: { out: string }) => {
      context.command = 'playground';
      context.options = givenOptions([['--out', options.out]]);
      exitCode = await (await import('./commands/playground.js')).playgroundCommand(options);
    });

  try {
    await program.parseAsync(argv as string[]);
    return exitCode;
  } catch (error) {
    return reportFailure(error, context);
  }
}

/** Errors of the machine, not of lagsim nor of the input: what they mean, in one line. */
const ENVIRONMENT_CODES: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
};

function environmentRefusal(error: unknown): string | null {
  if (!(error instanceof Error)) return null;
  const e = error as NodeJS.ErrnoException;
  // An error from a worker thread arrives as its message only ("ENOSPC: no space left on device, write").
  const code = e.code ?? /^(E[A-Z]+):/.exec(e.message)?.[1];
  if (code === undefined || !(code in ENVIRONMENT_CODES)) return null;
  return messages.environmentFailure(e.path ?? '', ENVIRONMENT_CODES[code]!, code);
}

function reportFailure(error: unknown, context: RunContext): ExitCode {
  if (error instanceof CommanderError) {
    // Commander has already printed its one line (or the help text). Help asked for (--help, `help`)
    // is a success; help shown because no command was given (`lagsim` alone) is bad input.
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return ExitCode.ok;
    if (error.code === 'commander.help') return error.exitCode === 0 ? ExitCode.ok : ExitCode.badInput;
    return ExitCode.badInput;
  }
  if (error instanceof InputError) {
    process.stderr.write(`${maskSecrets(error.format())}\n`);
    return ExitCode.badInput;
  }
  const refusal = environmentRefusal(error);
  if (refusal !== null) {
    process.stderr.write(`${maskSecrets(refusal)}\n`);
    return ExitCode.environment;
  }
  if (error instanceof LivelockError) {
    process.stderr.write(`${messages.livelock(context.file ?? 'the scenario', error.atUs)}\n`);
    return ExitCode.badInput;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`lagsim: internal error: ${maskSecrets(message)}\n`);
  if (context.command !== '') {
    const seed = context.seed !== undefined ? `seed ${context.seed}` : context.seeds !== undefined ? `seeds ${context.seeds}` : "the scenario's seed";
    process.stderr.write(`${seed}; reproduce with: ${reproduceCommand(context)}\n`);
  }
  if (process.env['LAGSIM_DEBUG'] && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  return ExitCode.internalError;
}
