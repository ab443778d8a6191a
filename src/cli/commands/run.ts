import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { stringify } from 'csv-stringify/sync';
import { timeSeriesTable, type TimeSeriesRow } from '../../metrics/timeSeries.js';
import { timeSeriesChart } from '../../report/charts/timeSeriesChart.js';
import { formatDuration, parseDuration } from '../../model/duration.js';
import { OutputSet } from '../../report/outputSet.js';
import type { RunSummary } from '../../report/summary.js';
import { summaryTable } from '../../report/summaryTable.js';
import { withStrategy } from '../../scenario/buildModel.js';
import { InputError } from '../../text/errors.js';
import { TVisibilityTimes } from '../../scenario/clusterSchema.js';
import { parseValue } from '../../scenario/overrides.js';
import { loadScenario } from '../../run/load.js';
import type { Scenario } from '../../scenario/schema.js';
import { ExitCode } from '../../text/exitCodes.js';
import { messages } from '../../text/messages.js';
import { checkDistinctOutputs, checkOutputFile, checkOutputFolder } from '../../run/outputPaths.js';
import { checkThreadFor } from '../../run/checkThread.js';
import { simulate, type SimulationResult } from '../../run/pipeline.js';
import { progressReporter } from '../../run/progress.js';
import { reproduceCommand, type RunContext } from '../../text/reproduce.js';
import type { SerializedError } from '../../run/sweep/messages.js';
import { workerModuleUrl } from '../../run/workerModule.js';

export interface RunOptions {
  seed?: string;
  duration?: string;
  set: string[];
  json?: boolean;
  out?: string;
  history?: string;
  strategy?: string;
  timeseries?: string;
  interval?: string;
  /** t-visibility bucket edges, e.g. 50ms,100ms,1s (scenario report.tVisibility). */
  tvis?: string;
}

/** The largest --seed: seeds are whole numbers a double holds exactly. */
const MAX_SEED = Number.MAX_SAFE_INTEGER;
/** More rows than this in a --timeseries CSV is almost certainly a mistaken --interval. */
export const MAX_TIME_SERIES_ROWS = 1_000_000;
const SUMMARY_FILE = 'summary.json';

/** `--seed`: decimal digits only (not 0x10 nor 1e3, which YAML would read as numbers), 0 to 2^53 − 1. */
export function parseSeedFlag(text: string): number {
  const seed = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(seed) || seed > MAX_SEED) {
    throw new InputError('--seed', undefined, messages.expectedSeed(text));
  }
  return seed;
}

/** A duration flag (--duration, --interval): a duration with a unit, or a plain decimal number of milliseconds, > 0. */
export function parseDurationFlag(text: string, flag: string): number {
  const value: unknown = /^\s*\d+(\.\d+)?\s*$/.test(text) ? Number(text) : text;
  const micros = parseDuration(value, flag);
  if (!(micros > 0)) throw new InputError(flag, undefined, messages.expectedPositiveDuration);
  return micros;
}

/** Overrides given as flags become --set assignments, validated like the file; the flags are checked first, naming themselves. */
export function flagOverrides(options: { seed?: string; duration?: string; set: string[]; tvis?: string }): string[] {
  const overrides = [...options.set];
  if (options.tvis !== undefined) {
    const list = `[${options.tvis}]`;
    const times = TVisibilityTimes.safeParse(parseValue(list, '--tvis', ''));
    if (!times.success) throw new InputError('--tvis', undefined, times.error.issues[0]!.message);
    overrides.push(`report.tVisibility=${list}`);
  }
  if (options.seed !== undefined) overrides.push(`seed=${parseSeedFlag(options.seed)}`);
  if (options.duration !== undefined) {
    parseDurationFlag(options.duration, '--duration');
    overrides.push(`duration=${options.duration}`);
  }
  return overrides;
}

/** `--interval`: > 0 after rounding to whole microseconds, and (with --timeseries) at most MAX_TIME_SERIES_ROWS rows over the run. */
function timeSeriesInterval(text: string | undefined, scenario: Scenario, written: boolean): number {
  const intervalUs = text === undefined ? 1_000_000 : Math.round(parseDurationFlag(text, '--interval'));
  if (intervalUs < 1) throw new InputError('--interval', undefined, messages.expectedPositiveDuration);
  if (!written) return intervalUs;
  const spanUs = scenario.warmup + scenario.duration;
  // The last row ends at the run's end: a shorter one when the interval does not divide the run.
  const rows = Math.ceil(spanUs / intervalUs);
  if (rows > MAX_TIME_SERIES_ROWS) {
    const count = (n: number): string => n.toLocaleString('en-US');
    throw new InputError('--interval', undefined, messages.timeSeriesTooManyRows(formatDuration(intervalUs), formatDuration(spanUs), count(rows), count(MAX_TIME_SERIES_ROWS)));
  }
  return intervalUs;
}

interface SeriesData {
  rows: TimeSeriesRow[];
  faultLog: { tS: number; fault: string }[];
}

interface RunResult {
  summary: RunSummary;
  timeSeries: SeriesData | null;
}

/** What the report needs of a simulation, as plain data (it crosses from the worker thread with --history). */
function runResultOf(simulated: SimulationResult): RunResult {
  const ts = simulated.timeSeries;
  return { summary: simulated.summary, timeSeries: ts === null ? null : { rows: ts.rows, faultLog: ts.faultLog } };
}

/** `lagsim run`: load → validate → check the outputs → simulate → check → report (all outputs or none). */
export async function runCommand(file: string, options: RunOptions, context: RunContext): Promise<ExitCode> {
  if (options.strategy !== undefined) context.strategy = options.strategy;
  const overrides = flagOverrides(options);
  context.overrides = overrides;
  const loaded = loadScenario(file, overrides);
  const scenario = options.strategy === undefined ? loaded : withStrategy(loaded, options.strategy);
  context.seed = scenario.seed;
  const intervalUs = timeSeriesInterval(options.interval, scenario, options.timeseries !== undefined);

  // Every output path is checked before simulating.
  const named: [flag: string, path: string, shown: string][] = [];
  let summaryPath: string | undefined;
  if (options.out !== undefined) {
    summaryPath = join(checkOutputFolder('--out', options.out, [SUMMARY_FILE]), SUMMARY_FILE);
    named.push(['--out', summaryPath, join(options.out, SUMMARY_FILE)]);
  }
  let historyPath: string | undefined;
  if (options.history !== undefined) {
    historyPath = checkOutputFile('--history', options.history);
    named.push(['--history', historyPath, options.history]);
  }
  let series: { csv: string; spec: string; svg: string } | undefined;
  if (options.timeseries !== undefined) {
    // The chart beside the CSV: same name, .vl.json and .svg.
    const given = options.timeseries;
    const stem = given.replace(/\.csv$/i, '');
    series = {
      csv: checkOutputFile('--timeseries', given),
      spec: checkOutputFile('--timeseries', `${stem}.vl.json`),
      svg: checkOutputFile('--timeseries', `${stem}.svg`),
    };
    named.push(['--timeseries', series.csv, given], ['--timeseries', series.spec, `${stem}.vl.json`], ['--timeseries', series.svg, `${stem}.svg`]);
  }
  checkDistinctOutputs(named);

  const started = process.hrtime.bigint();
  const outputs = new OutputSet();
  let result: RunResult;
  try {
    const timeSeriesIntervalUs = series === undefined ? undefined : intervalUs;
    const progress = process.stderr.isTTY ? progressReporter(`simulating ${scenario.name}`) : undefined;
    if (historyPath !== undefined) {
      // The history streams to disk while the run lasts: simulate on a worker thread, so that this
      // thread stays free to remove the unfinished file on Ctrl-C.
      result = await simulateOnWorker(scenario, outputs.stage(historyPath), timeSeriesIntervalUs, progress);
    } else {
      result = runResultOf(
        simulate(scenario, {
          ...(timeSeriesIntervalUs !== undefined ? { timeSeriesIntervalUs } : {}),
          ...(progress ? { onProgress: progress } : {}),
          ...checkThreadFor(scenario),
        }),
      );
    }
    const json = `${JSON.stringify(result.summary, null, 2)}\n`;
    if (summaryPath !== undefined) outputs.write(summaryPath, json);
    if (series !== undefined && result.timeSeries !== null) {
      outputs.write(series.csv, stringify(timeSeriesTable(result.timeSeries.rows)));
      const spec = timeSeriesChart(result.timeSeries.rows, result.timeSeries.faultLog, scenario.name);
      // Vega is loaded only when a chart is drawn: it is most of lagsim's start-up time.
      const { compileChart, renderSvg } = await import('../../report/render.js');
      const compiled = compileChart(spec);
      outputs.write(series.spec, `${JSON.stringify(spec, null, 2)}\n`);
      outputs.write(series.svg, await renderSvg(compiled.vega));
    }
    outputs.commit();
  } catch (error) {
    outputs.abort();
    throw error;
  }
  const { summary } = result;
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  process.stdout.write(options.json ? `${JSON.stringify(summary, null, 2)}\n` : summaryTable(summary, reproduceCommand(context)));
  process.stderr.write(
    `simulated ${summary.durationMs / 1000 + summary.warmupMs / 1000} s in ${(wallMs / 1000).toFixed(2)} s of wall time (${summary.events.toLocaleString('en-US')} events)\n`,
  );
  return ExitCode.ok;
}

// ---- the run on a worker thread (with --history) ---------------------------------------------------

interface RunWorkerData {
  lagsimRun: true;
  scenario: Scenario;
  historyPath: string;
  timeSeriesIntervalUs?: number;
  progress: boolean;
}

type RunWorkerMessage =
  | { kind: 'progress'; nowUs: number; endUs: number }
  | { kind: 'done'; result: RunResult }
  | { kind: 'failed'; error: SerializedError };

/** This module, compiled (workerModule.ts). */
const workerUrl = (): URL => workerModuleUrl(import.meta.url, import.meta.url, ['src', 'cli', 'commands', 'run.js'], 'run --history');

function simulateOnWorker(
  scenario: Scenario,
  historyPath: string,
  timeSeriesIntervalUs: number | undefined,
  progress: ((nowUs: number, endUs: number) => void) | undefined,
): Promise<RunResult> {
  const data: RunWorkerData = {
    lagsimRun: true,
    scenario,
    historyPath,
    ...(timeSeriesIntervalUs !== undefined ? { timeSeriesIntervalUs } : {}),
    progress: progress !== undefined,
  };
  return new Promise<RunResult>((resolve, reject) => {
    let settled = false;
    const worker = new Worker(workerUrl(), { workerData: data });
    worker.on('message', (message: RunWorkerMessage) => {
      if (message.kind === 'progress') progress?.(message.nowUs, message.endUs);
      else if (message.kind === 'done') {
        settled = true;
        resolve(message.result);
      } else {
        settled = true;
        const { error } = message;
        if (error.input) reject(new InputError(error.input.file, error.input.path, error.message));
        else {
          const failure = new Error(error.message);
          if (error.stack !== undefined) failure.stack = error.stack;
          reject(failure);
        }
      }
    });
    worker.on('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`the run's worker thread exited with code ${code}`));
    });
  });
}

function serialize(error: unknown): SerializedError {
  if (error instanceof InputError) return { name: error.name, message: error.message, input: { file: error.file, path: error.path } };
  if (error instanceof Error) return { name: error.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
  return { name: 'Error', message: String(error) };
}

function runOnThisWorker(data: RunWorkerData): void {
  const port = parentPort!;
  let message: RunWorkerMessage;
  try {
    const simulated = simulate(data.scenario, {
      historyPath: data.historyPath,
      ...(data.timeSeriesIntervalUs !== undefined ? { timeSeriesIntervalUs: data.timeSeriesIntervalUs } : {}),
      ...(data.progress ? { onProgress: (nowUs: number, endUs: number) => port.postMessage({ kind: 'progress', nowUs, endUs } satisfies RunWorkerMessage) } : {}),
      // This thread simulates, the check thread checks and writes the lines, the main thread waits.
      ...checkThreadFor(data.scenario),
    });
    message = { kind: 'done', result: runResultOf(simulated) };
  } catch (error) {
    message = { kind: 'failed', error: serialize(error) };
  }
  port.postMessage(message);
}

if (!isMainThread && (workerData as Partial<RunWorkerData> | null)?.lagsimRun === true) runOnThisWorker(workerData as RunWorkerData);
