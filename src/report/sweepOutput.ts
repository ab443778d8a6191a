/**
 * Writes a finished sweep into its folder: the charts (`<name>.vl.json` and `<name>.svg`),
 * `runs.csv`, `index.html` and `summary.json`, as one OutputSet: every file is rendered and written
 * to a temporary name first, and only then are they all renamed into place, so a failure (or
 * Ctrl-C) leaves the folder as it was, never part of a report; temporary files an earlier, killed
 * run left behind are removed first.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CHARTS } from './charts/index.js';
import { runsCsv } from './csv.js';
import { sweepHtml, type RenderedChart } from './html.js';
import { OutputSet } from './outputSet.js';
import { prettyJson } from './prettyJson.js';
import { chartToSvg } from './render.js';
import type { LagRecord, RunRecord, SweepSpec } from './sweepData.js';
import { aggregateSweep, type SweepResult } from './sweepResult.js';

export const SUMMARY_FILE = 'summary.json';
export const RUNS_FILE = 'runs.csv';
export const HTML_FILE = 'index.html';

/** Every file name a sweep may write (for the cleanup of stale charts and temporary files). */
export function outputFileNames(): string[] {
  return [SUMMARY_FILE, RUNS_FILE, HTML_FILE, ...CHARTS.flatMap((chart) => [`${chart.name}.vl.json`, `${chart.name}.svg`])];
}

/** summary.json: the sweep's definition and every grid point's aggregated results. */
export function sweepSummaryJson(result: SweepResult): string {
  const { spec } = result;
  return prettyJson({
    lagsim: spec.lagsim,
    scenario: { name: spec.scenario.name, description: spec.scenario.description, file: spec.scenario.file },
    set: spec.set,
    vary: spec.vary,
    seeds: spec.seeds,
    baseline: spec.baseline,
    points: result.points,
    replicaLagOverTime: result.lag,
  });
}

/** Removes `<output>.tmp-<pid>` files left by a run that was killed while writing. */
export function removeStaleTemporaries(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  const outputs = new Set(outputFileNames());
  for (const name of names) {
    const match = /^(.*)\.tmp-\d+$/.exec(name);
    if (match && outputs.has(match[1]!)) rmSync(join(dir, name), { force: true });
  }
}

export interface WrittenOutputs {
  result: SweepResult;
  files: string[];
}

/** Aggregates the records and writes every output into `dir`; returns the file names written. */
export async function writeSweepOutputs(
  dir: string,
  spec: SweepSpec,
  runs: readonly RunRecord[],
  lags: readonly LagRecord[],
): Promise<WrittenOutputs> {
  const inOrder = [...runs].sort((a, b) => a.task - b.task);
  const result = aggregateSweep(spec, inOrder, lags);
  removeStaleTemporaries(dir);
  const files: string[] = [];
  const rendered: RenderedChart[] = [];
  const contents: [file: string, content: string][] = [];
  const removals: string[] = [];
  for (const chart of CHARTS) {
    const spec = chart.build(result);
    const specFile = `${chart.name}.vl.json`;
    const svgFile = `${chart.name}.svg`;
    if (spec === null) {
      // A chart this sweep has nothing for must not survive from an earlier sweep in the same folder.
      removals.push(specFile, svgFile);
      continue;
    }
    const svg = await chartToSvg(spec);
    contents.push([specFile, prettyJson(spec)], [svgFile, svg]);
    files.push(specFile, svgFile);
    const title = typeof spec.title === 'object' && spec.title !== null && 'text' in spec.title ? String(spec.title.text) : chart.name;
    rendered.push({ name: chart.name, title, caption: chart.caption, svg });
  }
  contents.push([RUNS_FILE, runsCsv(spec, inOrder)], [HTML_FILE, sweepHtml(result, rendered)], [SUMMARY_FILE, sweepSummaryJson(result)]);
  files.push(RUNS_FILE, HTML_FILE, SUMMARY_FILE);
  const outputs = new OutputSet();
  try {
    for (const [file, content] of contents) outputs.write(join(dir, file), content);
    for (const file of removals) outputs.removeAtCommit(join(dir, file));
    outputs.commit();
  } catch (error) {
    outputs.abort();
    throw error;
  }
  return { result, files };
}
