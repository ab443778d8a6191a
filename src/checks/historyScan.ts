/**
 * A history line read straight from its text when it is in the exact form lagsim's own writer gives
 * it (src/report/historyWriter.ts: fields in the writer's order, no whitespace, names without
 * escapes, numbers as plain digits), without JSON.parse. `lagsim check` reads every line twice and
 * JSON.parse was most of each reading; a line lagsim wrote is read here in about a third of the time.
 *
 * Anything else — another field order, whitespace, an escape, a number out of bounds, a failed
 * operation, a failover, a malformed line — gives null, and the caller reads the line the general
 * way (JSON.parse, then historyRecord.ts), which decides whether it is a record and words the error.
 * So this reading only ever agrees with that one: every record it returns is the one
 * parseHistoryRecord(JSON.parse(line)) returns (test/checks/historyScan.test.ts holds the two to it
 * on the lines of every shipped scenario and on thousands of mutations of them).
 */
import { ANOMALIES, flagNames, type Anomaly } from './anomalies.js';
import type { KeyRead, OperationRecord } from './historyRecord.js';
import { MAX_VERSION } from './sessionKeyTable.js';

const READ_HEAD = '{"type":"read","session":';
const WRITE_HEAD = '{"type":"write","session":';
const QUOTE = 34;
const BACKSLASH = 92;
const ZERO = 48;
const NINE = 57;
/** Digits of a number read here: 15 are always exact and below 2^53 (a longer one is read the general way). */
const MAX_DIGITS = 15;
const NOT_A_NUMBER = -1;
const NULL_VERSION = -2;

/** Each flag list the writer writes (`["ryw","stale"]`), as the names it stands for (shared, never changed). */
const FLAG_LISTS = new Map<string, readonly Anomaly[]>(
  Array.from({ length: 1 << ANOMALIES.length }, (_, bits) => {
    const names = Object.freeze(flagNames(bits)) as readonly Anomaly[];
    return [JSON.stringify(names), names] as const;
  }),
);

/** Where the scan is in the line: each reader below moves it past what it read. */
let at = 0;

/** `literal` at `at` (moved past it), or false. */
function expect(text: string, literal: string): boolean {
  if (!text.startsWith(literal, at)) return false;
  at += literal.length;
  return true;
}

/** A whole number written as JSON writes it (no sign, no leading zero, at most MAX_DIGITS digits), or NOT_A_NUMBER. */
function whole(text: string): number {
  const start = at;
  let value = 0;
  for (let c = text.charCodeAt(at); c >= ZERO && c <= NINE; c = text.charCodeAt(++at)) value = value * 10 + (c - ZERO);
  const digits = at - start;
  if (digits === 0 || digits > MAX_DIGITS || (digits > 1 && text.charCodeAt(start) === ZERO)) return NOT_A_NUMBER;
  return value;
}

/** A returned or leader version: a whole number up to MAX_VERSION, NULL_VERSION for `null`, or NOT_A_NUMBER. */
function version(text: string): number {
  if (expect(text, 'null')) return NULL_VERSION;
  const value = whole(text);
  return value > MAX_VERSION ? NOT_A_NUMBER : value;
}

/** A string with no escape and no control character (what the writer writes for names), or null. */
function name(text: string): string | null {
  if (text.charCodeAt(at) !== QUOTE) return null;
  const start = at + 1;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      at = i + 1;
      return text.slice(start, i);
    }
    if (c === BACKSLASH || c < 0x20) return null;
  }
  return null;
}

/** The end of a record: an optional reaction (not read by the recount), an optional warm-up mark, `}` and the line's end. */
function tail(text: string): boolean | null {
  if (expect(text, ',"reaction":') && name(text) === null) return null;
  const warmup = expect(text, ',"warmup":true');
  return expect(text, '}') && at === text.length ? warmup : null;
}

/** The record on a line lagsim's writer wrote, or null (then read the line the general way). */
export function scanHistoryRecord(text: string, line: number): OperationRecord | null {
  at = 0;
  const read = expect(text, READ_HEAD);
  if (!read && !expect(text, WRITE_HEAD)) return null;
  const session = whole(text);
  if (session < 0 || !expect(text, ',"t0":')) return null;
  const t0 = whole(text);
  if (t0 < 0) return null;
  return read ? scanRead(text, line, session, t0) : scanWrite(text, line, session, t0);
}

function scanRead(text: string, line: number, session: number, t0: number): OperationRecord | null {
  if (!expect(text, ',"t1":')) return null;
  const t1 = whole(text);
  if (t1 < t0 || !expect(text, ',"reads":[')) return null;
  const reads: KeyRead[] = [];
  do {
    if (!expect(text, '{"key":')) return null;
    const key = name(text);
    if (key === null || !expect(text, ',"version":')) return null;
    const returned = version(text);
    if (returned === NOT_A_NUMBER || !expect(text, ',"node":')) return null;
    const node = name(text);
    if (node === null || !expect(text, ',"leader":')) return null;
    const leader = version(text);
    if (leader === NOT_A_NUMBER || !expect(text, '}')) return null;
    reads.push({ key, version: returned === NULL_VERSION ? null : returned, node, leader: leader === NULL_VERSION ? null : leader });
  } while (expect(text, ','));
  if (!expect(text, '],"flags":')) return null;
  const end = text.indexOf(']', at);
  if (end < 0) return null;
  const flags = FLAG_LISTS.get(text.slice(at, end + 1));
  if (flags === undefined) return null;
  at = end + 1;
  const warmup = tail(text);
  if (warmup === null) return null;
  return { type: 'read', session, t0, t1, reads, flags: flags as Anomaly[], warmup, failed: false, line };
}

function scanWrite(text: string, line: number, session: number, t0: number): OperationRecord | null {
  if (!expect(text, ',"tc":')) return null;
  const tc = whole(text);
  if (tc < 0 || !expect(text, ',"t1":')) return null;
  const t1 = whole(text);
  if (t1 < t0 || !expect(text, ',"key":')) return null;
  const key = name(text);
  if (key === null || !expect(text, ',"shard":') || whole(text) < 0 || !expect(text, ',"version":')) return null;
  const written = whole(text);
  if (written < 1 || written > MAX_VERSION || !expect(text, ',"deps":[')) return null;
  const deps: [string, number][] = [];
  if (!expect(text, ']')) {
    do {
      if (!expect(text, '[')) return null;
      const dep = name(text);
      if (dep === null || !expect(text, ',')) return null;
      const depVersion = whole(text);
      if (depVersion < 1 || depVersion > MAX_VERSION || !expect(text, ']')) return null;
      deps.push([dep, depVersion]);
    } while (expect(text, ','));
    if (!expect(text, ']')) return null;
  }
  if (!expect(text, ',"node":') || name(text) === null) return null;
  const warmup = tail(text);
  if (warmup === null) return null;
  return { type: 'write', session, t0, tc, t1, key, version: written, deps, warmup, failed: false, line };
}
