import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkOutputFile, checkOutputFolder } from '../../run/outputPaths.js';
import { toMs } from '../../metrics/collector.js';
import { writeFileAtomic } from '../../report/atomicWrite.js';
import type { RunSummary } from '../../report/summary.js';
import { summaryTable } from '../../report/summaryTable.js';
import { withStrategy } from '../../scenario/buildModel.js';
import { formatDuration } from '../../model/duration.js';
import { InputError } from '../../text/errors.js';
import { parseSamplesCsv } from '../../scenario/parse.js';
import { loadScenario } from '../../run/load.js';
import type { Scenario } from '../../scenario/schema.js';
import { compareSummaries, comparisonTable, simulationScenario, type Comparison } from '../../real/compare.js';
import { PgCluster, primaryTarget, replicaTargets } from '../../real/connection.js';
import { countFlag, durationFlag, positiveFlag } from '../../real/flags.js';
import { finishHistory } from '../../real/history.js';
import { realNodeLayout } from '../../real/nodeNames.js';
import { probeLag, type ProbeResult } from '../../real/probe.js';
import { checkRealScenario, runReal } from '../../real/runner.js';
import { realSummary } from '../../real/summary.js';
import { checkTablePrefix, TestTables } from '../../real/tables.js';
import { ExitCode } from '../../text/exitCodes.js';
import { messages } from '../../text/messages.js';
import { simulate } from '../../run/pipeline.js';
import { progressReporter } from '../../run/progress.js';
import { reproduceCommand, type RunContext } from '../../text/reproduce.js';
import { probeReport, probeTable } from './probe.js';
import { flagOverrides } from './run.js';

export interface RealCommandOptions {
  primary?: string;
  replica: string[];
  seed?: string;
  duration?: string;
  set: string[];
  strategy?: string;
  scale?: string;
  connections: string;
  maxRate?: string;
  lagPoll: string;
  table: string;
  history?: string;
  out?: string;
  json?: boolean;
  compareSim?: boolean;
  probeDuration: string;
  probeRate: string;
  lagFile?: string;
}

/** Mean start lateness (ms) above which a run says that its think times ran long. */
const LATE_WARNING_MS = 0.5;

/** Each closed-loop group's sessions times `scale`, rounded, at least 1. */
function scaled(scenario: Scenario, scale: number): Scenario {
  if (scale === 1) return scenario;
  return {
    ...scenario,
    clients: scenario.clients.map((group) =>
      group.sessions === undefined ? group : { ...group, sessions: Math.max(1, Math.round(group.sessions * scale)) },
    ),
  };
}

/** Lag samples (µs) per replica from a CSV written by `lagsim probe`: a column per replica name, else by position. */
function lagFileSamples(file: string, names: readonly string[]): number[][] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new InputError('--lag-file', undefined, messages.dataFileNotFound(file));
  }
  const header = (text.split(/\r?\n/)[0] ?? '').split(',').map((cell) => cell.trim());
  const columns = names.every((name) => header.includes(name)) ? names : header.length === names.length ? header : null;
  if (columns === null) throw new InputError('--lag-file', undefined, messages.lagFileColumns(file, names, header));
  return columns.map((column) => {
    try {
      return parseSamplesCsv(text, file, column);
    } catch (error) {
      throw new InputError('--lag-file', undefined, (error as Error).message);
    }
  });
}

/**
 * `lagsim real FILE`: the scenario's workload and strategy against a real primary and replicas; the
 * same history, checks and summary as `run`; with --compare-sim, also the simulation of the
 * scenario with the probed lags, side by side.
 */
export async function realCommand(file: string, options: RealCommandOptions, context: RunContext): Promise<ExitCode> {
  const overrides = flagOverrides(options);
  context.overrides = overrides;
  if (options.strategy !== undefined) context.strategy = options.strategy;
  const loaded = loadScenario(file, overrides);
  const withChosen = options.strategy === undefined ? loaded : withStrategy(loaded, options.strategy);
  checkRealScenario(withChosen, file);
  const scenario = scaled(withChosen, options.scale === undefined ? 1 : positiveFlag('--scale', options.scale));
  context.seed = scenario.seed;
  const flags = realFlags(options);
  const primary = primaryTarget(options.primary);
  const replicas = replicaTargets(options.replica, primary);
  const layout = realNodeLayout(scenario, replicas.length);
  const lagFile = options.lagFile === undefined ? null : lagFileSamples(options.lagFile, layout.names.slice(1));

  const cluster = await PgCluster.open(primary, replicas, { connections: flags.connections });
  let probe: ProbeResult | null = null;
  let run: RealRun;
  try {
    if (options.compareSim && lagFile === null) probe = await probeFirst(cluster, flags, layout.names.slice(1), options.json === true);
    run = await runReal(scenario, cluster, {
      tables: flags.tables,
      names: layout.names,
      weights: layout.weights,
      connections: flags.connections,
      lagPollUs: flags.lagPollUs,
      maxRatePerS: flags.maxRatePerS,
      ...(process.stderr.isTTY ? { onProgress: progressReporter(`running ${scenario.name} on PostgreSQL`) } : {}),
    });
  } finally {
    await cluster.close();
  }

  const history = finishHistory(run.records, run.preloaded, options.history ?? `${scenario.name}.history.jsonl`);
  if (flags.historyPath !== undefined) writeFileAtomic(flags.historyPath, history.text);
  const summary = realSummary(scenario, run, history, layout.regions);
  let comparison: Comparison | null = null;
  let simulated: RunSummary | null = null;
  if (options.compareSim) {
    const samples = lagFile ?? probe!.replicas.map((r) => r.samplesUs);
    const simScenario = simulationScenario(
      scenario,
      layout.names.slice(1).map((node, i) => ({ node, weight: layout.weights[i]!, samplesUs: samples[i]! })),
    );
    simulated = simulate(simScenario).summary;
    comparison = compareSummaries(summary, simulated);
  }
  const json = {
    ...summary,
    real: {
      servers: [primary.display, ...replicas.map((r) => r.display)],
      nodes: layout.names,
      wallMs: run.wallUs / 1000,
      throttledOperations: run.throttled,
      startLateMs: toMs(run.startLateUs.toJSON()),
      errors: Object.fromEntries(run.nodes.errors),
      probe: probe === null ? null : probeReport(probe),
      lagFile: options.lagFile ?? null,
    },
    ...(comparison === null ? {} : { comparison, simulated }),
  };
  const jsonText = `${JSON.stringify(json, null, 2)}\n`;
  if (flags.outDir !== undefined) writeFileAtomic(join(flags.outDir, 'summary.json'), jsonText);
  if (options.json) {
    process.stdout.write(jsonText);
  } else {
    const reproduce = `${reproduceCommand({ ...context, command: 'real' })} --primary ${primary.display} ${replicas.map((r) => `--replica ${r.display}`).join(' ')}`;
    const lines = summaryTable(summary, reproduce, 'the run\'s time').split('\n');
    lines[1] = `ran ${formatDuration(scenario.duration)} against PostgreSQL after ${formatDuration(scenario.warmup)} of warm-up (${layout.names.join(', ')})`;
    process.stdout.write(lines.join('\n'));
    if (comparison !== null) process.stdout.write(`\n${comparisonTable(comparison)}\n`);
  }
  warnAboutRun(run);
  return ExitCode.ok;
}

type RealRun = Awaited<ReturnType<typeof runReal>>;

/** The command's own flags, each checked; output paths before any server is touched (src/run/outputPaths.ts). */
function realFlags(options: RealCommandOptions) {
  return {
    connections: countFlag('--connections', options.connections),
    maxRatePerS: options.maxRate === undefined ? null : positiveFlag('--max-rate', options.maxRate),
    lagPollUs: durationFlag('--lag-poll', options.lagPoll, true),
    tables: new TestTables(checkTablePrefix(options.table)),
    probeDurationUs: durationFlag('--probe-duration', options.probeDuration),
    probeRatePerS: positiveFlag('--probe-rate', options.probeRate),
    historyPath: options.history === undefined ? undefined : checkOutputFile('--history', options.history),
    outDir: options.out === undefined ? undefined : checkOutputFolder('--out', options.out, ['summary.json']),
  };
}

/** --compare-sim without --lag-file: the replicas' lags, probed before the run. */
async function probeFirst(cluster: PgCluster, flags: ReturnType<typeof realFlags>, names: string[], json: boolean): Promise<ProbeResult> {
  const probe = await probeLag(cluster, {
    durationUs: flags.probeDurationUs,
    ratePerS: flags.probeRatePerS,
    pollUs: 1000,
    readOnly: false,
    tables: flags.tables,
    names,
  });
  for (const replica of probe.replicas) {
    if (replica.samplesUs.length === 0) throw new InputError('--replica', replica.display, messages.probeNoSamples(replica.name));
  }
  if (!json) process.stdout.write(`${probeTable(probe)}\n\n`);
  return probe;
}

/** What may have made the real run differ from the scenario: failed statements, throttling, late starts. */
function warnAboutRun(run: RealRun): void {
  for (const [what, times] of run.nodes.errors) process.stderr.write(`lagsim real: ${times} failed statement(s): ${what}\n`);
  if (run.throttled > 0) {
    process.stderr.write(`lagsim real: --max-rate held back ${run.throttled} operation(s); their think times ran longer than the scenario's\n`);
  }
  const late = toMs(run.startLateUs.toJSON());
  if (late.mean >= LATE_WARNING_MS) {
    process.stderr.write(
      `lagsim real: operations started ${late.mean.toFixed(1)} ms late on average (p99 ${late.p99.toFixed(1)} ms): a busy machine stretched the think times, which lowers the real anomaly rates\n`,
    );
  }
  process.stderr.write(`ran ${(run.wallUs / 1e6).toFixed(2)} s of wall time, ${run.nodes.queries.toLocaleString('en-US')} statements\n`);
}
