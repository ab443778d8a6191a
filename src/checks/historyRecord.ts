/**
 * One line of a history export (semantics.md section 4), checked field by field before anything is
 * counted: a record that is not what lagsim writes is bad input (one InputError naming the file,
 * the line and the field), never a crash or a silently wrong count.
 *
 * Required, as the spec's records show them (fields may be added, none dropped):
 * - write: session, t0, tc, t1, key, shard, version (>= 1), deps, node;
 * - read: session, t0, t1, reads (each key, version, node, leader), flags;
 * - a failed operation (`"failed": true`): session, t0, t1, and key for a write (it has no
 *   version, and a read has no reads);
 * - failover: t, shard, from, to, lost.
 * Times, sessions, shards and versions are whole numbers; `warmup` and `failed` true or false.
 * Unknown fields are allowed (and ignored).
 */
import { ANOMALIES } from './anomalies.js';
import { MAX_VERSION } from './sessionKeyTable.js';
import { messages, type HistoryValue } from '../text/messages.js';
import { InputError } from '../text/errors.js';

export interface WriteRecord {
  type: 'write';
  session: number;
  t0: number;
  /** Commit time at the leader (absent, 0, for a failed write). */
  tc: number;
  t1: number;
  key: string;
  /** Absent (0) for a failed write. */
  version: number;
  deps: [string, number][];
  warmup: boolean;
  failed: boolean;
}

export interface KeyRead {
  key: string;
  version: number | null;
  leader: number | null;
}

export interface ReadRecord {
  type: 'read';
  session: number;
  t0: number;
  t1: number;
  /** Empty for a failed read. */
  reads: KeyRead[];
  flags: string[];
  warmup: boolean;
  failed: boolean;
}

export type OperationRecord = (WriteRecord | ReadRecord) & { line: number };

/** A failover: the acknowledged writes the promoted replica never received are lost from `t` on. */
export interface FailoverRecord {
  type: 'failover';
  t: number;
  lost: [string, number][];
  line: number;
}

type Json = Record<string, unknown>;

const isMapping = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isWhole = (value: unknown, minimum: number): value is number => Number.isSafeInteger(value) && (value as number) >= minimum;
/** A version or log position the checker can hold (MAX_VERSION, 2^31 − 1: billions of writes to one shard). */
const isVersion = (value: unknown, minimum: number): value is number => isWhole(value, minimum) && value <= MAX_VERSION;
const FLAGS: readonly string[] = ANOMALIES;

/** Reads the fields of one record; every failure names the line and the field path. */
class Fields {
  constructor(
    private readonly file: string,
    private readonly line: number,
  ) {}

  fail(path: string, message: string): never {
    throw new InputError(this.file, path === '' ? `line ${this.line}` : `line ${this.line}: ${path}`, message);
  }

  /** `object[field]`, required, checked by `ok` (its expected value named by `what`). */
  need<T>(object: Json, path: string, field: string, what: HistoryValue, ok: (value: unknown) => value is T): T {
    const at = path === '' ? field : `${path}.${field}`;
    if (!Object.hasOwn(object, field)) this.fail(at, messages.historyRequired(what));
    const value = object[field];
    if (!ok(value)) this.fail(at, messages.historyExpected(what, value));
    return value;
  }

  /** `object[field]` if given, checked by `ok`. */
  optional<T>(object: Json, field: string, what: HistoryValue, ok: (value: unknown) => value is T): T | undefined {
    if (!Object.hasOwn(object, field)) return undefined;
    const value = object[field];
    if (!ok(value)) this.fail(field, messages.historyExpected(what, value));
    return value;
  }

  time = (object: Json, field: string): number => this.need(object, '', field, 'time', (v): v is number => isWhole(v, 0));

  /** A list of [key, version] pairs with version >= 1 (deps, lost). */
  pairs(object: Json, field: string): [string, number][] {
    const list = this.need(object, '', field, 'pairs', (v): v is unknown[] => Array.isArray(v));
    return list.map((item, i) => {
      if (!Array.isArray(item) || item.length !== 2) this.fail(`${field}.${i}`, messages.historyExpected('pair', item));
      const [key, version] = item as [unknown, unknown];
      if (typeof key !== 'string') this.fail(`${field}.${i}.0`, messages.historyExpected('key', key));
      if (!isVersion(version, 1)) this.fail(`${field}.${i}.1`, messages.historyExpected('position', version));
      return [key, version];
    });
  }
}

/**
 * The record on line `line` (1-based) of `file`, checked. A failover record does not enter the
 * recount of anomalies (a lost write is an ordinary, acknowledged write record), but it says from
 * when the leader no longer has the writes it lost.
 */
export function parseHistoryRecord(value: unknown, file: string, line: number): OperationRecord | FailoverRecord {
  const f: Fields = new Fields(file, line);
  if (!isMapping(value)) f.fail('', messages.historyExpectedRecord(value));
  if (!Object.hasOwn(value, 'type')) f.fail('type', messages.historyRequired('type'));
  const type = value['type'];
  if (type !== 'read' && type !== 'write' && type !== 'failover') {
    if (typeof type === 'string') f.fail('', messages.historyUnknownType(type));
    f.fail('type', messages.historyExpected('type', type));
  }
  const string = (v: unknown): v is string => typeof v === 'string';

  if (type === 'failover') {
    const t = f.time(value, 't');
    f.need(value, '', 'shard', 'shard', (v): v is number => isWhole(v, 0));
    f.need(value, '', 'from', 'node', string);
    f.need(value, '', 'to', 'node', string);
    const lost = f.pairs(value, 'lost');
    return { type, t, lost, line };
  }

  const session = f.need(value, '', 'session', 'session', (v): v is number => isWhole(v, 0));
  const t0 = f.time(value, 't0');
  const t1 = f.time(value, 't1');
  if (t1 < t0) f.fail('t1', messages.historyT1BeforeT0(t0, t1));
  const bool = (v: unknown): v is boolean => typeof v === 'boolean';
  const warmup = f.optional(value, 'warmup', 'boolean', bool) ?? false;
  const failed = f.optional(value, 'failed', 'boolean', bool) ?? false;

  if (type === 'write') {
    const key = f.need(value, '', 'key', 'key', string);
    if (failed) return { type, session, t0, tc: 0, t1, key, version: 0, deps: [], warmup, failed, line };
    const tc = f.time(value, 'tc');
    f.need(value, '', 'shard', 'shard', (v): v is number => isWhole(v, 0));
    const version = f.need(value, '', 'version', 'position', (v): v is number => isVersion(v, 1));
    const deps = f.pairs(value, 'deps');
    f.need(value, '', 'node', 'node', string);
    return { type, session, t0, tc, t1, key, version, deps, warmup, failed, line };
  }

  const flagList = (v: unknown): v is unknown[] => Array.isArray(v);
  const checkFlags = (list: unknown[]): string[] =>
    list.map((flag, i) => {
      if (typeof flag !== 'string' || !FLAGS.includes(flag)) f.fail(`flags.${i}`, messages.historyExpected('flag', flag));
      return flag;
    });
  if (failed) {
    const flags = f.optional(value, 'flags', 'flags', flagList);
    return { type, session, t0, t1, reads: [], flags: flags === undefined ? [] : checkFlags(flags), warmup, failed, line };
  }
  const list = f.need(value, '', 'reads', 'reads', (v): v is unknown[] => Array.isArray(v));
  if (list.length === 0) f.fail('reads', messages.tooFewItems(1));
  const versionOrNull = (v: unknown): v is number | null => v === null || isVersion(v, 0);
  const reads = list.map((entry, i): KeyRead => {
    const path = `reads.${i}`;
    if (!isMapping(entry)) f.fail(path, messages.historyExpected('keyRead', entry));
    const key = f.need(entry, path, 'key', 'key', string);
    const version = f.need(entry, path, 'version', 'returned', versionOrNull);
    f.need(entry, path, 'node', 'node', string);
    const leader = f.need(entry, path, 'leader', 'returned', versionOrNull);
    return { key, version, leader };
  });
  const flags = checkFlags(f.need(value, '', 'flags', 'flags', flagList));
  return { type, session, t0, t1, reads, flags, warmup, failed, line };
}
