import { ANOMALIES } from '../checks/anomalies.js';

/**
 * One command-line option: its flags, help line and default, and whether a reproduce line repeats it
 * as given. Options that change the scenario (--seed, --duration, --set, --strategy, --tvis) are not
 * repeated as given: the reproduce line rebuilds them from the scenario that ran (src/text/reproduce.ts).
 */
export interface OptionSpec {
  /** As commander reads them, e.g. '--seed <n>'. */
  readonly flags: string;
  readonly help: string;
  readonly defaultValue?: string;
  /** Given several times, the values are collected into a list (the default is an empty list). */
  readonly repeatable?: true;
  readonly required?: true;
  readonly reproduce: boolean;
}

const given = (flags: string, help: string, defaultValue?: string): OptionSpec => ({ flags, help, reproduce: true, ...(defaultValue === undefined ? {} : { defaultValue }) });
const repeatable = (flags: string, help: string, reproduce: boolean): OptionSpec => ({ flags, help, repeatable: true, reproduce });
/** The same option with its help (and default) worded for one command. */
export const worded = (option: OptionSpec, help: string, defaultValue?: string): OptionSpec => ({ ...option, help, ...(defaultValue === undefined ? {} : { defaultValue }) });

const DURATION = 'simulated time after warm-up, e.g. 2m (overrides the scenario’s)';
const JOBS = 'worker threads (default: one per CPU; results do not depend on it)';
const URL_HELP = 'the primary, e.g. postgres://user@host:5432/db (default: the PG* environment variables)';

/** Every option of every command, each declared once; commands pick theirs by name (commands/index.ts). */
export const OPTIONS = {
  // What the scenario is: rebuilt from the scenario in a reproduce line.
  seed: { flags: '--seed <n>', help: 'random seed (overrides the scenario’s seed)', reproduce: false },
  duration: { flags: '--duration <d>', help: DURATION, reproduce: false },
  set: repeatable('--set <path=value>', 'override a field (repeatable)', false),
  strategy: { flags: '--strategy <name>', help: 'run this strategy with the options the scenario gives it in strategyOptions', reproduce: false },
  tvis: { flags: '--tvis <list>', help: 't-visibility bucket edges, e.g. 50ms,100ms,1s (sets report.tVisibility)', reproduce: false },
  // Outputs.
  json: given('--json', 'print the summary as JSON instead of a table'),
  out: given('--out <dir>', 'also write summary.json into this folder'),
  history: given('--history <file>', 'write every operation as JSON Lines (docs/semantics.md#4-the-history-export)'),
  timeseries: given('--timeseries <file>', 'write per-interval metrics (throughput, queues, utilisation, lag, anomaly rates) as CSV, with a chart beside it (.vl.json, .svg)'),
  interval: given('--interval <d>', 'interval of --timeseries, e.g. 1s (default: 1s)'),
  // explain.
  session: { flags: '--session <n>', help: 'the session to explain (default: the first that shows an anomaly)', reproduce: false },
  from: given('--from <t>', 'only operations that start at or after this simulated time, e.g. 30s'),
  to: given('--to <t>', 'only operations that start at or before this simulated time'),
  chart: given('--chart <file>', 'also draw the timeline as SVG (Vega-Lite)'),
  // Many runs: compare, sweep, plan.
  strategies: given('--strategies <list>', 'strategies to compare, e.g. none,pin,token (default: all)'),
  seeds: given('--seeds <seeds>', 'seeds, e.g. 1..5 (default: the scenario’s seed)'),
  baseline: given('--baseline <name>', 'strategy the paired differences are taken against (run even if not listed)', 'none'),
  vary: repeatable('--vary <path=v1,v2,...>', 'a parameter and its values, e.g. strategy.name=none,pin (repeatable; grid = every combination)', true),
  jobs: given('--jobs <n>', JOBS),
  shard: given('--shard <i/n>', 'run only slice i of n (an array job); join the slices with lagsim merge'),
  slo: { ...given('--slo <list>', `SLOs, e.g. 'ryw<0.001,readP99<50ms,leaderUtil<0.7' (metrics: ${ANOMALIES.join(', ')}, lost, failed, readP50..readP999, writeP50, writeP99, leaderUtil, leaderShare)`), required: true },
  top: given('--top <n>', 'how many configurations to list (default: 5)'),
  // Real PostgreSQL clusters.
  // The servers: a reproduce line names them as the command resolved them (`real` adds them, passwords masked).
  primary: { flags: '--primary <url>', help: URL_HELP, reproduce: false },
  replica: repeatable('--replica <url>', 'a streaming hot standby of the primary (repeatable)', false),
  table: given('--table <prefix>', 'prefix of lagsim\'s own tables (<prefix>_kv, <prefix>_log, <prefix>_probe)', 'lagsim'),
  rate: given('--rate <n>', 'probe writes per second', '10'),
  poll: given('--poll <d>', 'pause between two polls of a replica while a probe write is not visible yet', '1ms'),
  readOnly: given('--read-only', 'write nothing: time how long replicas take to replay the primary\'s WAL position'),
  scale: given('--scale <f>', 'multiply every client group\'s sessions by this factor'),
  connections: given('--connections <n>', 'connections per server at most', '20'),
  maxRate: given('--max-rate <n>', 'start at most this many operations per second (a load limit)'),
  lagPoll: given('--lag-poll <d>', 'how often to read the replicas\' applied positions for the lag figures (0: never)', '10ms'),
  compareSim: given('--compare-sim', 'also simulate the scenario with the probed lags and compare the rates'),
  probeDuration: given('--probe-duration <d>', 'with --compare-sim: how long to probe the lags first', '5s'),
  probeRate: given('--probe-rate <n>', 'with --compare-sim: probe writes per second', '20'),
  lagFile: given('--lag-file <csv>', 'with --compare-sim: lags from an earlier `lagsim probe` instead of probing'),
} as const satisfies Record<string, OptionSpec>;
