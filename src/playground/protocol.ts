/** Messages between the playground page and its Web Worker (plain data, structured-cloned). */
import type { ExplainedOperation } from '../report/explain.js';
import type { PartialSummary } from '../run/pipeline.js';
import type { RunSummary } from '../report/summary.js';
import type { TimeSeriesRow } from '../metrics/timeSeries.js';

/** A scenario as the CLI would read it: its text, the name it is read under, the --set overrides and --strategy. */
export interface ScenarioInput {
  text: string;
  sourceName: string;
  overrides: string[];
  strategy: string | null;
}

export type WorkerRequest =
  | { kind: 'cancel'; id: number }
  | { kind: 'run'; id: number; input: ScenarioInput }
  | { kind: 'sweep'; id: number; input: ScenarioInput; extra: { label: string; value: number; overrides: string[] }[] }
  | { kind: 'compare'; id: number; input: ScenarioInput; strategies: string[] };

export interface SeriesData {
  rows: TimeSeriesRow[];
  faultLog: { tS: number; fault: string }[];
}

export interface StoryData {
  sessionId: number | null;
  group: string;
  operations: ExplainedOperation[];
}

export type WorkerReply =
  | { kind: 'partial'; id: number; nowUs: number; endUs: number; partial: PartialSummary }
  /** Sent three times: the numbers (series and story null), then with the lag series, then with the story too. */
  | { kind: 'done'; id: number; summary: RunSummary; series: SeriesData | null; story: StoryData | null; wallMs: number }
  | { kind: 'point'; id: number; label: string; value: number; summary: RunSummary }
  | { kind: 'finished'; id: number }
  | { kind: 'error'; id: number; line: string };
