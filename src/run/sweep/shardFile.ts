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
import { z } from 'zod';
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

/**
 * What a JSON value must be, compiled into a zod schema (schemaOf). `fields` lists the required
 * fields of a mapping (others are allowed).
 */
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

/** The zod schema of a shape; its messages say what was expected in the shapes' words (SHARD_VALUES). */
function schemaOf(shape: Shape, what = describe(shape)): z.ZodType {
  const wrong = {
    error: (issue: { input?: unknown }) => (issue.input === undefined ? messages.shardRequired(what) : messages.shardExpected(what, issue.input)),
  };
  if (typeof shape === 'string') {
    if (shape === 'string') return z.string(wrong);
    if (shape === 'mapping') return z.looseObject({}, wrong);
    const number = z.number(wrong);
    return shape === 'number' ? number : number.int(wrong).min(shape === 'whole' ? 0 : 1, wrong).max(Number.MAX_SAFE_INTEGER, wrong);
  }
  // The inner schema says "X or null" of a wrong value.
  if ('orNull' in shape) return schemaOf(shape.orNull, what).nullable();
  if ('oneOf' in shape) return z.enum(shape.oneOf as [string, ...string[]], wrong);
  if ('list' in shape) {
    const list = z.array(schemaOf(shape.list), wrong);
    return shape.min === undefined ? list : list.min(shape.min, { error: () => messages.tooFewItems(shape.min!) });
  }
  return z.looseObject(Object.fromEntries(Object.entries(shape.fields).map(([field, inner]) => [field, schemaOf(inner)])), wrong);
}

const SHARD_FILE_SCHEMA = schemaOf(SHARD_FILE);
const LAG_SERIES_SCHEMA = schemaOf(LAG_SERIES);

/** Checks `value` against `schema`; throws at the first difference, naming its path (`records.0.summary`). */
function check(value: unknown, schema: z.ZodType, file: string, path: string): void {
  const result = schema.safeParse(value);
  if (result.success) return;
  const issue = result.error.issues[0]!;
  const at = [path, ...issue.path.map(String)].filter((part) => part !== '').join('.');
  throw new InputError(file, at, issue.message);
}

// ---- JSON syntax ----------------------------------------------------------------------------------

/** Where a text stops being JSON: 1-based line and column, what was expected there and what was found. */
export interface JsonSyntaxError {
  line: number;
  column: number;
  expected: string;
  got: string | null;
}

/**
 * Where `text` stops being JSON and what was expected there (JSON.parse's own messages differ
 * between Node versions and may quote several lines of the file), or null if it is JSON.
 * Iterative: a deeply nested file cannot overflow the stack.
 */
export function jsonSyntaxError(text: string): JsonSyntaxError | null {
  return new JsonScanner(text).scan();
}

/** RFC 8259's grammar, one character at a time; each method is false where the text stops being JSON. */
class JsonScanner {
  private i = 0;
  private expected = '';
  /** The mappings and lists open around the position. */
  private readonly open: ('{' | '[')[] = [];

  constructor(private readonly text: string) {}

  /** Alternates between reading a value and what may follow it. */
  scan(): JsonSyntaxError | null {
    for (;;) {
      const opened = this.value();
      if (opened === false) return this.located();
      if (opened === 'opened') continue;
      const after = this.afterValue();
      if (after === 'end') return null;
      if (after === false) return this.located();
    }
  }

  /** A value, or the opening of a non-empty mapping or list (whose first item comes next). */
  private value(): boolean | 'opened' {
    const text = this.text;
    this.skipSpace();
    const c = text[this.i];
    if (c === '{' || c === '[') {
      this.i++;
      this.skipSpace();
      if (text[this.i] === (c === '{' ? '}' : ']')) {
        this.i++;
        return true;
      }
      this.open.push(c);
      if (c === '{' && !this.fieldName()) return false;
      return 'opened';
    }
    if (c === '"') return this.string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    return this.literal(c);
  }

  /** What follows a value: a comma and the next item, the end of its mapping or list, or the end of the file. */
  private afterValue(): boolean | 'end' {
    const text = this.text;
    for (;;) {
      this.skipSpace();
      const top = this.open[this.open.length - 1];
      if (top === undefined) {
        if (this.i === text.length) return 'end';
        this.expected = SHARD_VALUES.jsonEnd;
        return false;
      }
      if (text[this.i] === (top === '{' ? '}' : ']')) {
        this.i++;
        this.open.pop();
        continue;
      }
      if (text[this.i] !== ',') {
        this.expected = top === '{' ? SHARD_VALUES.jsonAfterField : SHARD_VALUES.jsonAfterItem;
        return false;
      }
      this.i++;
      return top === '{' ? this.fieldName() : true;
    }
  }

  private literal(c: string | undefined): boolean {
    const word = ['true', 'false', 'null'].find((w) => w[0] === c);
    if (word === undefined) {
      this.expected = SHARD_VALUES.jsonValue;
      return false;
    }
    for (const letter of word) {
      if (this.text[this.i] !== letter) {
        this.expected = SHARD_VALUES.jsonLiteral(word);
        return false;
      }
      this.i++;
    }
    return true;
  }

  private skipSpace(): void {
    const text = this.text;
    while (this.i < text.length && (text[this.i] === ' ' || text[this.i] === '\t' || text[this.i] === '\n' || text[this.i] === '\r')) this.i++;
  }

  private digits(): boolean {
    const text = this.text;
    const start = this.i;
    while (this.i < text.length && text[this.i]! >= '0' && text[this.i]! <= '9') this.i++;
    if (this.i === start) this.expected = SHARD_VALUES.jsonDigit;
    return this.i > start;
  }

  /** A string at i (text[i] is '"'). */
  private string(): boolean {
    const text = this.text;
    this.i++;
    for (;;) {
      const c = text[this.i];
      if (c === undefined || c < ' ') {
        this.expected = SHARD_VALUES.jsonClosingQuote;
        return false;
      }
      if (c === '"') {
        this.i++;
        return true;
      }
      if (c !== '\\') {
        this.i++;
        continue;
      }
      const e = text[this.i + 1];
      if (e !== undefined && '"\\/bfnrt'.includes(e)) this.i += 2;
      else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(this.i + 2, this.i + 6))) this.i += 6;
      else {
        this.i++;
        this.expected = SHARD_VALUES.jsonEscape;
        return false;
      }
    }
  }

  private number(): boolean {
    const text = this.text;
    if (text[this.i] === '-') this.i++;
    if (text[this.i] === '0') this.i++;
    else if (!this.digits()) return false;
    if (text[this.i] === '.') {
      this.i++;
      if (!this.digits()) return false;
    }
    if (text[this.i] === 'e' || text[this.i] === 'E') {
      this.i++;
      if (text[this.i] === '+' || text[this.i] === '-') this.i++;
      if (!this.digits()) return false;
    }
    return true;
  }

  /** A field name and its colon, inside a mapping. */
  private fieldName(): boolean {
    this.skipSpace();
    if (this.text[this.i] !== '"') {
      this.expected = SHARD_VALUES.jsonFieldName;
      return false;
    }
    if (!this.string()) return false;
    this.skipSpace();
    if (this.text[this.i] !== ':') {
      this.expected = SHARD_VALUES.jsonColon;
      return false;
    }
    this.i++;
    return true;
  }

  private located(): JsonSyntaxError {
    const before = this.text.slice(0, this.i);
    const line = before.split('\n').length;
    return { line, column: this.i - before.lastIndexOf('\n'), expected: this.expected, got: this.i < this.text.length ? this.text[this.i]! : null };
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
  check(parsed, SHARD_FILE_SCHEMA, path, '');
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
    check(record.series, LAG_SERIES_SCHEMA, path, `records.${i}.series`);
  });
  return file;
}
