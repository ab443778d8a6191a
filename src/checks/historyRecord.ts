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
import { z } from 'zod';
import { ANOMALIES, type Anomaly } from './anomalies.js';
import { MAX_VERSION } from './sessionKeyTable.js';
import { messages, type HistoryValue } from '../text/messages.js';
import { InputError } from '../text/errors.js';

export interface WriteRecord {
  type: 'write';
  session: number;
  t0: number;
  /** Commit time at the leader (absent, 0, for a failed write that never committed). */
  tc: number;
  t1: number;
  key: string;
  /**
   * Absent (0) for a failed write that never committed. A failed write can have one: its leader
   * crashed after the commit, while it waited for its synchronous quorum. It was never
   * acknowledged (not written for ryw or cp), but it was committed (the `leader` of later reads)
   * and may have been read.
   */
  version: number;
  deps: [string, number][];
  warmup: boolean;
  failed: boolean;
}

export interface KeyRead {
  key: string;
  version: number | null;
  /** The node that answered (the leader share: is it its shard's leader at t1?). */
  node: string;
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
  /** The leader that stopped leading at t, and the node that leads its shard after t. */
  from: string;
  to: string;
  lost: [string, number][];
  line: number;
}

/**
 * The record schemas. Each field carries the words its messages use (HISTORY_VALUES), for a value
 * that is missing and for one that is wrong; fields are listed in the order they are reported.
 */
const wrong = (what: HistoryValue) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? messages.historyRequired(what) : messages.historyExpected(what, issue.input)),
});
const whole = (what: HistoryValue, minimum: number, maximum = Number.MAX_SAFE_INTEGER) =>
  z.number(wrong(what)).int(wrong(what)).min(minimum, wrong(what)).max(maximum, wrong(what));
const text = (what: HistoryValue) => z.string(wrong(what));
const Time = whole('time', 0);
/** A version or log position the checker can hold (MAX_VERSION, 2^31 − 1: billions of writes to one shard). */
const Position = whole('position', 1, MAX_VERSION);
const Flag = z.enum(ANOMALIES as [Anomaly, ...Anomaly[]], wrong('flag'));
const Flags = z.array(Flag, wrong('flags'));
const Pairs = z.array(z.tuple([text('key'), Position], wrong('pair')), wrong('pairs'));
const Bool = z.boolean(wrong('boolean')).optional();

const Type = z.enum(['read', 'write', 'failover'], wrong('type'));
const Typed = z.object({ type: Type });
const Operation = z.object({ session: whole('session', 0), t0: Time, t1: Time, warmup: Bool, failed: Bool });
const FailedWrite = z.object({ key: text('key') });
const Write = z.object({ key: text('key'), tc: Time, shard: whole('shard', 0), version: Position, deps: Pairs, node: text('node') });
const FailedRead = z.object({ flags: Flags.optional() });
const Returned = whole('returned', 0, MAX_VERSION).nullable();
const KeyRead = z.object({ key: text('key'), version: Returned, node: text('node'), leader: Returned }, wrong('keyRead'));
const Read = z.object({ reads: z.array(KeyRead, wrong('reads')).min(1, { error: () => messages.tooFewItems(1) }), flags: Flags });
const Failover = z.object({ t: Time, shard: whole('shard', 0), from: text('node'), to: text('node'), lost: Pairs });

/** `value` as `schema` reads it, or an InputError naming the line and the first field that is wrong. */
function parsed<T>(schema: z.ZodType<T>, value: unknown, file: string, line: number): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.join('.');
  throw new InputError(file, path === '' ? `line ${line}` : `line ${line}: ${path}`, issue.message);
}

const isMapping = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The record on line `line` (1-based) of `file`, checked. A failover record does not enter the
 * recount of anomalies (a lost write is an ordinary, acknowledged write record), but it says from
 * when the leader no longer has the writes it lost.
 */
export function parseHistoryRecord(value: unknown, file: string, line: number): OperationRecord | FailoverRecord {
  return wellFormedRecord(value, line) ?? checkedRecord(value, file, line);
}

const isWhole = (value: unknown, minimum: number, maximum: number): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= minimum && value <= maximum;
const isTime = (value: unknown): value is number => isWhole(value, 0, Number.MAX_SAFE_INTEGER);
const FLAGS = new Set<unknown>(ANOMALIES);
const isReturned = (value: unknown): value is number | null => value === null || isWhole(value, 0, MAX_VERSION);

function isPairs(value: unknown): value is [string, number][] {
  if (!Array.isArray(value)) return false;
  for (const pair of value) {
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || !isWhole(pair[1], 1, MAX_VERSION)) return false;
  }
  return true;
}

function isFlags(value: unknown): value is Anomaly[] {
  if (!Array.isArray(value)) return false;
  for (const flag of value) if (!FLAGS.has(flag)) return false;
  return true;
}

/**
 * The record, when `value` is one that the schemas below certainly accept (every record lagsim
 * writes), built as `checkedRecord` builds it; null for anything else, which `checkedRecord` then
 * reads field by field for its message. A shortcut: `lagsim check` reads every line twice, and the
 * schemas' generality is most of a line's cost. test/checks/historyRecord.test.ts holds the two to
 * the same records.
 */
function wellFormedRecord(value: unknown, line: number): OperationRecord | FailoverRecord | null {
  if (!isMapping(value)) return null;
  const { type, session, t0, t1, warmup = false, failed = false } = value;
  if (type !== 'read' && type !== 'write') return null;
  if (!isWhole(session, 0, Number.MAX_SAFE_INTEGER) || !isTime(t0) || !isTime(t1) || t1 < t0) return null;
  if (typeof warmup !== 'boolean' || typeof failed !== 'boolean') return null;
  if (type === 'write') {
    const { key, tc, shard, version, deps, node } = value;
    if (typeof key !== 'string') return null;
    if (failed && !('version' in value)) return { type, session, t0, tc: 0, t1, key, version: 0, deps: [], warmup, failed, line };
    if (!isTime(tc) || !isWhole(shard, 0, Number.MAX_SAFE_INTEGER) || !isWhole(version, 1, MAX_VERSION) || !isPairs(deps) || typeof node !== 'string') return null;
    return { type, session, t0, tc, t1, key, version, deps, warmup, failed, line };
  }
  const { reads, flags } = value;
  if (failed) {
    if (flags !== undefined && !isFlags(flags)) return null;
    return { type, session, t0, t1, reads: [], flags: flags ?? [], warmup, failed, line };
  }
  if (!Array.isArray(reads) || reads.length === 0 || !isFlags(flags)) return null;
  const keyReads: KeyRead[] = [];
  for (const read of reads) {
    if (!isMapping(read)) return null;
    const { key, version, node, leader } = read;
    if (typeof key !== 'string' || !isReturned(version) || typeof node !== 'string' || !isReturned(leader)) return null;
    keyReads.push({ key, version, node, leader });
  }
  return { type, session, t0, t1, reads: keyReads, flags, warmup, failed, line };
}

/** The record as the schemas read it: an InputError naming the line and the first field that is wrong. */
export function checkedRecord(value: unknown, file: string, line: number): OperationRecord | FailoverRecord {
  if (!isMapping(value)) throw new InputError(file, `line ${line}`, messages.historyExpectedRecord(value));
  const given = value['type'];
  if (typeof given === 'string' && given !== 'read' && given !== 'write' && given !== 'failover') {
    throw new InputError(file, `line ${line}`, messages.historyUnknownType(given));
  }
  const type = parsed(Typed, value, file, line).type;
  if (type === 'failover') {
    const { t, from, to, lost } = parsed(Failover, value, file, line);
    return { type, t, from, to, lost, line };
  }
  const { session, t0, t1, warmup = false, failed = false } = parsed(Operation, value, file, line);
  if (t1 < t0) throw new InputError(file, `line ${line}: t1`, messages.historyT1BeforeT0(t0, t1));
  if (type === 'write') {
    // A failed write with a version committed before it failed (docs/semantics.md, history export).
    if (failed && !('version' in value)) {
      const { key } = parsed(FailedWrite, value, file, line);
      return { type, session, t0, tc: 0, t1, key, version: 0, deps: [], warmup, failed, line };
    }
    const { key, tc, version, deps } = parsed(Write, value, file, line);
    return { type, session, t0, tc, t1, key, version, deps, warmup, failed, line };
  }
  if (failed) {
    const { flags } = parsed(FailedRead, value, file, line);
    return { type, session, t0, t1, reads: [], flags: flags ?? [], warmup, failed, line };
  }
  const { reads, flags } = parsed(Read, value, file, line);
  return { type, session, t0, t1, reads: reads.map(({ key, version, node, leader }) => ({ key, version, node, leader })), flags, warmup, failed, line };
}
