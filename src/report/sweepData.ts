/**
 * What a sweep is (its definition) and what each of its runs produced, in the form that shard
 * files, checkpoints and the report writer share. Everything here is plain JSON, so a record read
 * back from a shard file is the same record a worker returned (JSON round-trips doubles exactly).
 */
import type { RunSummary } from './summary.js';

/** One `--vary PATH=V1,V2,...`: the values as the user wrote them (YAML texts). */
export interface Vary {
  path: string;
  values: string[];
}

/** Everything that determines a sweep's outputs (and nothing that does not, such as --jobs). */
export interface SweepSpec {
  lagsim: string;
  scenario: {
    name: string;
    description: string | null;
    /** The file as given on the command line when relative, else its base name (no absolute paths). */
    file: string;
    /** The scenario file's text, shown in the report. */
    text: string;
  };
  /** `--set` overrides (and --duration), in order. */
  set: string[];
  /** The grid: the first vary is the outer loop, the last the inner one. */
  vary: Vary[];
  seeds: number[];
  /** Strategy name the paired differences are taken against. */
  baseline: string;
  /** Set when `lagsim compare` ran the sweep (its one dimension is strategy.name), so the report reproduces compare. */
  command?: 'compare';
}

/** Replica lag sampled over simulated time (semantics.md section 1: t − c_j of the oldest unapplied entry). */
export interface LagSeries {
  stepMs: number;
  warmupMs: number;
  endMs: number;
  nodes: { node: string; lagMs: number[]; peakMs: number[] }[];
}

/** `run`: a measured run; `lag`: a measured run that also records its replicas' lag over time. */
export type TaskKind = 'run' | 'lag';

export interface TaskRef {
  task: number;
  kind: TaskKind;
  point: number;
  seed: number;
}

export interface RunRecord extends TaskRef {
  kind: 'run';
  summary: RunSummary;
}

export interface LagRecord extends TaskRef {
  kind: 'lag';
  summary: RunSummary;
  series: LagSeries;
}

export type TaskRecord = RunRecord | LagRecord;

/** A record as JSON would give it back: the form every output is computed from, whatever its path. */
export function normalizeRecord<T extends TaskRecord>(record: T): T {
  return JSON.parse(JSON.stringify(record)) as T;
}
