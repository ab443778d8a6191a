/**
 * A shard's output: `shard-<i>-of-<n>.json`, the records of its slice of the tasks with the
 * sweep's definition and fingerprint, so that `lagsim merge` can check the slices belong together
 * and rebuild exactly the output of the whole sweep.
 *
 * Reading one back checks everything merge and the report writer rely on, field by field (the
 * shapes below mirror SweepSpec, TaskRecord and RunSummary; fields may be added): a shard file
 * that was edited, truncated or is something else gives one line naming the file and the field
 * path, never a crash while the outputs are being written.
 */
import { ANOMALIES, type Anomaly } from '../../checks/anomalies.js';
import { planTasks } from '../../report/grid.js';
import type { LagSeries, SweepSpec, TaskRecord, Vary } from '../../report/sweepData.js';
import type { AnomalySummary, FaultLogEntry, LostWrite, NodeSummary, ReplicaLagSummary, RunSummary } from '../../report/summary.js';
import type { CostSummary, MsSummary } from '../../metrics/collector.js';
import type { LatencySummary } from '../../metrics/latency.js';
import type { TVisibilityPoint } from '../../metrics/tVisibility.js';
import type { Interval } from '../../metrics/wilson.js';
import { InputError } from '../../text/errors.js';
import { readInputFile } from '../inputFiles.js';
import { MAX_SHARDS } from './shard.js';
import { messages, SHARD_VALUES } from '../../text/messages.js';
import type { Shard } from './shard.js';

export const SHARD_FORMAT = 'lagsim-sweep-shard/1';
export const SHARD_FILE_RE = /^shard-(\d+)-of-(\d+)\.json$/;

export interface ShardFile {
  format: typeof SHARD_FORMAT;
  fingerprint: string;
  shard: Shard;
  /** Tasks in the whole sweep (every shard's together). */
  tasks: number;
  spec: SweepSpec;
  records: TaskRecord[];
}

export function shardFileText(file: ShardFile): string {
  return `${JSON.stringify(file)}\n`;
}

// ---- shapes ---------------------------------------------------------------------------------------

/** What a JSON value must be. `fields` lists the required fields of a mapping (others are allowed). */
type Shape =
  | 'string'
  | 'number'
  | 'whole'
  | 'positive'
  | 'mapping'
  | { readonly orNull: Shape }
  | { readonly list: Shape; readonly min?: number; readonly name?: string }
  | { readonly oneOf: readonly string[] }
  | { readonly fields: Readonly<Record<string, Shape>>; readonly name?: string };

/** The fields of T, each with its shape: a field T does not have is a compile error. */
type FieldsOf<T> = { readonly [K in keyof T]?: Shape };
const fields = <T>(shape: FieldsOf<T>, name?: string): Shape => ({ fields: shape as Record<string, Shape>, ...(name === undefined ? {} : { name }) });

const INTERVAL = fields<Interval>({ low: 'number', high: 'number' });
const MS = fields<MsSummary>({ count: 'number', mean: 'number', p50: 'number', p90: 'number', p99: 'number', p999: 'number', max: 'number' });
const LATENCY = fields<LatencySummary>({ count: 'number', mean: 'number', p50: 'number', p90: 'number', p99: 'number', p999: 'number', max: 'number' });
const ANOMALY = fields<AnomalySummary>({
  violations: 'number',
  keyReads: 'number',
  eligible: 'number',
  violatingReads: 'number',
  rate: { orNull: 'number' },
  rateInterval: { orNull: INTERVAL },
  rateEligible: { orNull: 'number' },
  rateEligibleInterval: { orNull: INTERVAL },
});
const RUN_SUMMARY = fields<RunSummary>({
  lagsim: 'string',
  scenario: 'string',
  seed: 'number',
  durationMs: 'number',
  warmupMs: 'number',
  strategy: 'mapping',
  balancer: 'mapping',
  anomalies: fields<RunSummary['anomalies']>(Object.fromEntries(ANOMALIES.map((name) => [name, ANOMALY])) as Record<Anomaly, typeof ANOMALY>),
  staleness: fields<RunSummary['staleness']>({ versionsBehind: LATENCY, timeBehindMs: MS }),
  tVisibility: {
    list: fields<TVisibilityPoint>({
      fromMs: 'number',
      toMs: { orNull: 'number' },
      keyReads: 'number',
      visible: 'number',
      probability: { orNull: 'number' },
      interval: { orNull: INTERVAL },
    }),
  },
  costs: fields<CostSummary>({
    reads: 'number',
    writes: 'number',
    failedReads: 'number',
    failedWrites: 'number',
    leaderShare: { orNull: 'number' },
    attempts: 'number',
    redirects: 'number',
    retries: 'number',
    rounds: 'number',
    waits: 'number',
    waitMs: MS,
    readLatencyMs: MS,
    writeLatencyMs: MS,
  }),
  nodes: {
    list: fields<NodeSummary>({
      name: 'string',
      role: { oneOf: ['leader', 'replica'] },
      shard: 'number',
      region: 'string',
      readsServed: 'number',
      writesServed: 'number',
      utilisation: 'number',
    }),
  },
  replicaLag: { list: fields<ReplicaLagSummary>({ node: 'string', lagMs: MS }) },
  lost: fields<RunSummary['lost']>({
    writes: 'number',
    rate: { orNull: 'number' },
    list: { list: fields<LostWrite>({ key: 'string', version: 'number', shard: 'number', atMs: 'number' }) },
  }),
  faults: { list: fields<FaultLogEntry>({ atMs: 'number', event: 'string' }) },
  events: 'number',
});
const LAG_SERIES = fields<LagSeries>({
  stepMs: 'number',
  warmupMs: 'number',
  endMs: 'number',
  nodes: { list: fields<LagSeries['nodes'][number]>({ node: 'string', lagMs: { list: 'number' }, peakMs: { list: 'number' } }) },
});
/** A run record; a `lag` record has `series` too (checked after its kind). */
const TASK_RECORD = fields<TaskRecord>(
  { task: 'whole', kind: { oneOf: ['run', 'lag'] }, point: 'whole', seed: 'whole', summary: RUN_SUMMARY },
  SHARD_VALUES.record,
);
const SWEEP_SPEC = fields<SweepSpec>({
  lagsim: 'string',
  scenario: fields<SweepSpec['scenario']>({ name: 'string', description: { orNull: 'string' }, file: 'string', text: 'string' }),
  set: { list: 'string' },
  vary: { list: fields<Vary>({ path: 'string', values: { list: 'string', min: 1 } }) },
  seeds: { list: 'whole', min: 1 },
  baseline: 'string',
});
const SHARD_FILE = fields<ShardFile>({
  fingerprint: 'string',
  shard: fields<Shard>({ index: 'positive', count: 'positive' }),
  tasks: 'positive',
  spec: SWEEP_SPEC,
  records: { list: TASK_RECORD, name: SHARD_VALUES.list(SHARD_VALUES.records) },
});

const isMapping = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function describe(shape: Shape): string {
  if (typeof shape === 'string') return SHARD_VALUES[shape];
  if ('orNull' in shape) return SHARD_VALUES.orNull(describe(shape.orNull));
  if ('oneOf' in shape) return SHARD_VALUES.oneOf(shape.oneOf);
  return shape.name ?? ('list' in shape ? SHARD_VALUES.aList : SHARD_VALUES.mapping);
}

/** Whether `value` is of the kind `shape` asks for, not looking inside lists and mappings. */
function shallowOk(value: unknown, shape: Shape): boolean {
  if (typeof shape === 'string') {
    if (shape === 'string') return typeof value === 'string';
    if (shape === 'number') return typeof value === 'number';
    if (shape === 'mapping') return isMapping(value);
    return Number.isSafeInteger(value) && (value as number) >= (shape === 'whole' ? 0 : 1);
  }
  if ('orNull' in shape) return value === null || shallowOk(value, shape.orNull);
  if ('oneOf' in shape) return typeof value === 'string' && shape.oneOf.includes(value);
  if ('list' in shape) return Array.isArray(value);
  return isMapping(value);
}

/** Checks `value` against `shape`; throws at the first difference, naming `path` (`records.0.summary`). */
function check(value: unknown, shape: Shape, file: string, path: string): void {
  if (!shallowOk(value, shape)) throw new InputError(file, path, messages.shardExpected(describe(shape), value));
  if (typeof shape === 'string' || 'oneOf' in shape) return;
  if ('orNull' in shape) {
    if (value !== null) check(value, shape.orNull, file, path);
    return;
  }
  if ('list' in shape) {
    const list = value as unknown[];
    if (list.length < (shape.min ?? 0)) throw new InputError(file, path, messages.tooFewItems(shape.min!));
    list.forEach((item, i) => check(item, shape.list, file, `${path}.${i}`));
    return;
  }
  const object = value as Record<string, unknown>;
  for (const [field, inner] of Object.entries(shape.fields)) {
    const at = path === '' ? field : `${path}.${field}`;
    if (!Object.hasOwn(object, field)) throw new InputError(file, at, messages.shardRequired(describe(inner)));
    check(object[field], inner, file, at);
  }
}

// ---- JSON syntax ----------------------------------------------------------------------------------

/**
 * Where `text` stops being JSON and what was expected there (JSON.parse's own messages differ
 * between Node versions and may quote several lines of the file), or null if it is JSON.
 * Iterative: a deeply nested file cannot overflow the stack.
 */
export function jsonSyntaxError(text: string): { line: number; column: number; expected: string; got: string | null } | null {
  let i = 0;
  let expected = '';
  const stack: ('{' | '[')[] = [];
  const skipSpace = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const digits = (): boolean => {
    const start = i;
    while (i < text.length && text[i]! >= '0' && text[i]! <= '9') i++;
    if (i === start) expected = SHARD_VALUES.jsonDigit;
    return i > start;
  };
  /** A string at i (text[i] is '"'); false at the first bad character. */
  const string = (): boolean => {
    i++;
    for (;;) {
      const c = text[i];
      if (c === undefined || c < ' ') {
        expected = SHARD_VALUES.jsonClosingQuote;
        return false;
      }
      if (c === '"') {
        i++;
        return true;
      }
      if (c === '\\') {
        const e = text[i + 1];
        if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
        else {
          i++;
          expected = SHARD_VALUES.jsonEscape;
          return false;
        }
      } else i++;
    }
  };
  const number = (): boolean => {
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else if (!digits()) return false;
    if (text[i] === '.') {
      i++;
      if (!digits()) return false;
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (!digits()) return false;
    }
    return true;
  };
  /** A field name and its colon, inside a mapping. */
  const fieldName = (): boolean => {
    skipSpace();
    if (text[i] !== '"') {
      expected = SHARD_VALUES.jsonFieldName;
      return false;
    }
    if (!string()) return false;
    skipSpace();
    if (text[i] !== ':') {
      expected = SHARD_VALUES.jsonColon;
      return false;
    }
    i++;
    return true;
  };
  const located = () => {
    const before = text.slice(0, i);
    const line = before.split('\n').length;
    return { line, column: i - before.lastIndexOf('\n'), expected, got: i < text.length ? text[i]! : null };
  };

  // Alternates between reading a value and what may follow it.
  for (;;) {
    // A value.
    skipSpace();
    const c = text[i];
    let opened = false;
    if (c === '{' || c === '[') {
      i++;
      skipSpace();
      if (text[i] === (c === '{' ? '}' : ']')) i++;
      else {
        stack.push(c);
        if (c === '{' && !fieldName()) return located();
        opened = true;
      }
    } else if (c === '"') {
      if (!string()) return located();
    } else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      if (!number()) return located();
    } else {
      const word = ['true', 'false', 'null'].find((w) => w[0] === c);
      if (word === undefined) {
        expected = SHARD_VALUES.jsonValue;
        return located();
      }
      for (const letter of word) {
        if (text[i] !== letter) {
          expected = SHARD_VALUES.jsonLiteral(word);
          return located();
        }
        i++;
      }
    }
    if (opened) continue;
    // What follows a value: a comma, the end of its mapping or list, or the end of the file.
    for (;;) {
      skipSpace();
      const top = stack[stack.length - 1];
      if (top === undefined) {
        if (i === text.length) return null;
        expected = SHARD_VALUES.jsonEnd;
        return located();
      }
      const close = top === '{' ? '}' : ']';
      if (text[i] === close) {
        i++;
        stack.pop();
        continue;
      }
      if (text[i] !== ',') {
        expected = top === '{' ? SHARD_VALUES.jsonAfterField : SHARD_VALUES.jsonAfterItem;
        return located();
      }
      i++;
      if (top === '{' && !fieldName()) return located();
      break;
    }
  }
}

// ---- reading --------------------------------------------------------------------------------------

/**
 * A run's counts must hang together before anything is pooled (a hand-edited shard file could
 * say violations: -5): 0 ≤ violations ≤ eligible ≤ key-reads, whole numbers, and each rate the
 * quotient of its counts.
 */
function checkRunCounts(summary: RunSummary, path: string, at: string): void {
  for (const [name, a] of Object.entries(summary.anomalies)) {
    const where = `${at}.anomalies.${name}`;
    const counts = [a.violations, a.eligible, a.keyReads];
    if (!counts.every((n) => Number.isSafeInteger(n) && n >= 0) || a.violations > a.eligible || a.eligible > a.keyReads) {
      throw new InputError(path, where, messages.shardCountsIncoherent(a.violations, a.eligible, a.keyReads));
    }
    const quotient = (n: number, d: number): number | null => (d === 0 ? null : n / d);
    if (a.rate !== quotient(a.violations, a.keyReads)) throw new InputError(path, `${where}.rate`, messages.shardRateIncoherent(a.rate, quotient(a.violations, a.keyReads)));
    if (a.rateEligible !== quotient(a.violations, a.eligible)) {
      throw new InputError(path, `${where}.rateEligible`, messages.shardRateIncoherent(a.rateEligible, quotient(a.violations, a.eligible)));
    }
  }
}

export function readShardFile(path: string): ShardFile {
  const text = readInputFile(path, 'history');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const where = jsonSyntaxError(text);
    if (where === null) throw new InputError(path, undefined, messages.mergeNotShard(String(error).split('\n')[0]!));
    throw new InputError(path, `line ${where.line}, column ${where.column}`, messages.jsonSyntax(where.expected, where.got));
  }
  if (!isMapping(parsed) || parsed['format'] !== SHARD_FORMAT) {
    throw new InputError(path, undefined, messages.mergeNotShard(`expected "format": "${SHARD_FORMAT}"`));
  }
  check(parsed, SHARD_FILE, path, '');
  const file = parsed as unknown as ShardFile;
  if (file.shard.index > file.shard.count) throw new InputError(path, 'shard.index', messages.shardIndexRange(file.shard.count, file.shard.index));
  if (file.shard.count > MAX_SHARDS) throw new InputError(path, 'shard.count', messages.shardTooMany(`${file.shard.index}/${file.shard.count}`, MAX_SHARDS));
  file.records.forEach((record, i) => {
    if (record.kind === 'run') checkRunCounts(record.summary, path, `records.${i}.summary`);
  });
  const seen = new Set<number>();
  file.spec.seeds.forEach((seed, i) => {
    if (seen.has(seed)) throw new InputError(path, `spec.seeds.${i}`, messages.seedsDuplicate(seed));
    seen.add(seed);
  });
  const planned = planTasks(file.spec).length;
  if (file.tasks !== planned) throw new InputError(path, 'tasks', messages.shardTaskCount(planned, file.tasks));
  file.records.forEach((record, i) => {
    if (record.kind !== 'lag') return;
    if (!Object.hasOwn(record, 'series')) throw new InputError(path, `records.${i}.series`, messages.shardRequired(describe(LAG_SERIES)));
    check(record.series, LAG_SERIES, path, `records.${i}.series`);
  });
  return file;
}
