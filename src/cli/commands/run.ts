import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { timeSeriesTable } from '../../metrics/timeSeries.js';
import { timeSeriesChart } from '../../report/charts/timeSeriesChart.js';
import { parseDuration } from '../../scenario/duration.js';
import { writeFileAtomic } from '../../report/atomicWrite.js';
import { summaryTable } from '../../report/summaryTable.js';
import { withStrategy } from '../../scenario/buildModel.js';
import { loadScenario } from '../../scenario/load.js';
import { ExitCode } from '../exitCodes.js';
import { checkDistinctOutputs, checkOutputFile, checkOutputFolder } from '../outputPaths.js';
import { simulate } from '../pipeline.js';
import { progressReporter } from '../progress.js';
import { reproduceCommand, type RunContext } from '../reproduce.js';

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
}

/** Overrides given as flags become --set assignments, validated like the file. */
export function flagOverrides(options: { seed?: string; duration?: string; set: string[] }): string[] {
  const overrides = [...options.set];
  if (options.seed !== undefined) overrides.push(`seed=${options.seed}`);
  if (options.duration !== undefined) overrides.push(`duration=${options.duration}`);
  return overrides;
}

const SUMMARY_FILE = 'summary.json';

/** `lagsim run`: load → validate → check the outputs → simulate → check → report. */
export async function runCommand(file: string, options: RunOptions, context: RunContext): Promise<ExitCode> {
  const overrides = flagOverrides(options);
  context.file = file;
  context.overrides = overrides;
  if (options.strategy !== undefined) context.strategy = options.strategy;
  const loaded = loadScenario(file, overrides);
  const scenario = options.strategy === undefined ? loaded : withStrategy(loaded, options.strategy);
  context.seed = scenario.seed;
  const intervalUs = options.interval === undefined ? 1_000_000 : parseDuration(options.interval, '--interval');

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
  // Missing folders on the way are created (the history streams into its folder while the run lasts).
  if (historyPath !== undefined) mkdirSync(dirname(historyPath), { recursive: true });

  const started = process.hrtime.bigint();
  const { summary, timeSeries } = simulate(scenario, {
    ...(historyPath !== undefined ? { historyPath } : {}),
    ...(series !== undefined ? { timeSeriesIntervalUs: Math.max(1, Math.round(intervalUs)) } : {}),
    ...(process.stderr.isTTY ? { onProgress: progressReporter(`simulating ${scenario.name}`) } : {}),
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const json = `${JSON.stringify(summary, null, 2)}\n`;
  if (summaryPath !== undefined) writeFileAtomic(summaryPath, json);
  if (series !== undefined && timeSeries !== null) {
    writeFileAtomic(series.csv, stringify(timeSeriesTable(timeSeries.rows)));
    const spec = timeSeriesChart(timeSeries.rows, timeSeries.faultLog, scenario.name);
    // Vega is loaded only when a chart is drawn: it is most of lagsim's start-up time.
    const { compileChart, renderSvg } = await import('../../report/render.js');
    const compiled = compileChart(spec);
    writeFileAtomic(series.spec, `${JSON.stringify(spec, null, 2)}\n`);
    writeFileAtomic(series.svg, await renderSvg(compiled.vega));
  }
  process.stdout.write(options.json ? json : summaryTable(summary, reproduceCommand(context)));
  process.stderr.write(
    `simulated ${summary.durationMs / 1000 + summary.warmupMs / 1000} s in ${(wallMs / 1000).toFixed(2)} s of wall time (${summary.events.toLocaleString('en-US')} events)\n`,
  );
  return ExitCode.ok;
}
