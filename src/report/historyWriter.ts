import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { ANOMALIES, flagNames } from '../checks/anomalies.js';
import { ABSENT } from '../model/keys.js';
import { OpKind } from '../model/operation.js';
import { REACTION_NAMES } from '../model/reactions.js';

/** Bytes gathered before a write to the file (once the lines of an instant are complete). */
const CHUNK_BYTES = 1 << 16;
/** A temporary name an OutputSet staged: written in place, renamed by the set. */
const STAGED_RE = /\.tmp-\d+$/;

// TextEncoder, not Buffer: the playground's bundle loads this module in a browser (never calling it).
const encoder = new TextEncoder();
const utf8 = (text: string): Uint8Array => encoder.encode(text);
// The fixed pieces of the records, as bytes (semantics.md section 4 shows the records).
const WRITE_HEAD = utf8('{"type":"write","session":');
const READ_HEAD = utf8('{"type":"read","session":');
const T0 = utf8(',"t0":');
const TC = utf8(',"tc":');
const T1 = utf8(',"t1":');
const KEY = utf8(',"key":');
const SHARD = utf8(',"shard":');
const VERSION = utf8(',"version":');
const DEPS = utf8(',"deps":[');
const DEPS_END_NODE = utf8('],"node":');
const FAILED = utf8(',"failed":true');
const CANCELLED = utf8(',"cancelled":true');
const READS = utf8(',"reads":[');
const KEY_READ = utf8('{"key":');
const NODE = utf8(',"node":');
const LEADER = utf8(',"leader":');
const FLAGS = utf8('],"flags":');
const REACTION = utf8(',"reaction":"');
const WARMUP = utf8(',"warmup":true');
const NULL = utf8('null');
const END = utf8('}\n');
const COMMA = 44;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const CLOSE_BRACE = 125;
const QUOTE = 34;
const ZERO = 48;

/** What one line is made of: an Operation's fields (or their copy on the check thread: historyStream.ts). */
export interface HistoryOperation {
  readonly kind: OpKind;
  readonly startUs: number;
  readonly endUs: number;
  readonly commitUs: number;
  readonly failed: boolean;
  readonly cancelled: boolean;
  readonly warmup: boolean;
  readonly reaction: number;
  readonly version: number;
  readonly node: number;
  readonly keyCount: number;
  readonly keyIds: readonly number[];
  readonly keyShards: readonly number[];
  readonly returned: readonly number[];
  readonly servedBy: readonly number[];
  readonly leaderVersions: readonly number[];
  /** A write's deps as flat [keyId, version] pairs. */
  readonly deps: readonly number[];
}

/** A key's name by id, as it is when its line is written (ids are reused for other keys). */
export interface KeyNames {
  nameOf(keyId: number): string;
}

/**
 * Streams the history export (semantics.md section 4) to a file: one JSON object per completed
 * operation, ordered by t1 and then by session number. Each line is written as bytes straight into
 * one buffer (names quoted once per key and node, numbers as digits): no string per line. The lines
 * of one instant stay at the buffer's end until time moves on, then are put in session order and
 * the buffer goes to the file when full, so memory stays flat. The file appears only when complete
 * (written to a temporary name, renamed at `close`). A path that is already a temporary name
 * (`<file>.tmp-<pid>`, staged by an OutputSet that renames it with the command's other outputs) is
 * written in place.
 */
export class HistoryWriter {
  private readonly fd: number;
  private readonly temporaryPath: string;
  private buffer = new Uint8Array(2 * CHUNK_BYTES);
  /** Bytes of `buffer` in use: complete lines, then the lines of the instant `pendingUs`. */
  private length = 0;
  private pendingUs = -1;
  /** Where each line of the instant `pendingUs` starts in `buffer`, and its session (the first `pendingCount`). */
  private pendingStarts: number[] = [];
  private pendingSessions: number[] = [];
  private pendingCount = 0;
  /** Each node's name as JSON, in bytes. */
  private readonly quotedNodes: readonly Uint8Array[];
  /** Per key id, its name as JSON in bytes, for the name it had when last written (ids are reused: checked against the name). */
  private readonly quotedKeys: Uint8Array[] = [];
  private readonly quotedFor: string[] = [];
  /** The flag list (`["ryw","stale"]`) of each set of flag bits, in bytes. */
  private readonly flagLists: readonly Uint8Array[];
  private readonly reactionNames: readonly Uint8Array[];
  records = 0;

  constructor(
    private readonly path: string,
    private readonly keys: KeyNames,
    nodeNames: readonly string[],
  ) {
    this.temporaryPath = STAGED_RE.test(path) ? path : `${path}.tmp-${process.pid}`;
    this.fd = openSync(this.temporaryPath, 'w');
    this.quotedNodes = nodeNames.map((name) => utf8(JSON.stringify(name)));
    this.flagLists = Array.from({ length: 1 << ANOMALIES.length }, (_, bits) => utf8(JSON.stringify(flagNames(bits))));
    this.reactionNames = REACTION_NAMES.map((name) => utf8(name));
  }

  write(sessionId: number, op: HistoryOperation, flags: number): void {
    this.beginLine(op.endUs, sessionId);
    const write = op.kind === OpKind.Write;
    this.bytes(write ? WRITE_HEAD : READ_HEAD);
    this.number(sessionId);
    this.bytes(T0);
    this.number(op.startUs);
    if (write) {
      // A failed write that committed (its leader crashed while it waited for its synchronous
      // quorum) keeps its commit: its version may have been read, and it counts as committed.
      const committed = !op.failed || op.version > 0;
      if (committed) {
        this.bytes(TC);
        this.number(op.commitUs);
      }
      this.bytes(T1);
      this.number(op.endUs);
      this.bytes(KEY);
      this.bytes(this.quotedKey(op.keyIds[0]!));
      if (committed) {
        this.bytes(SHARD);
        this.number(op.keyShards[0]!);
        this.bytes(VERSION);
        this.number(op.version);
        this.bytes(DEPS);
        const deps = op.deps;
        for (let i = 0; i < deps.length; i += 2) {
          if (i > 0) this.byte(COMMA);
          this.byte(OPEN_BRACKET);
          this.bytes(this.quotedKey(deps[i]!));
          this.byte(COMMA);
          this.number(deps[i + 1]!);
          this.byte(CLOSE_BRACKET);
        }
        this.bytes(DEPS_END_NODE);
        this.bytes(this.quotedNodes[op.node]!);
      }
      if (op.failed) this.bytes(FAILED);
    } else {
      this.bytes(T1);
      this.number(op.endUs);
      if (op.failed) {
        this.bytes(FAILED);
        if (op.cancelled) this.bytes(CANCELLED);
      } else {
        this.bytes(READS);
        for (let i = 0; i < op.keyCount; i++) {
          if (i > 0) this.byte(COMMA);
          this.bytes(KEY_READ);
          this.bytes(this.quotedKey(op.keyIds[i]!));
          this.bytes(VERSION);
          this.version(op.returned[i]!);
          this.bytes(NODE);
          this.bytes(this.quotedNodes[op.servedBy[i]!]!);
          this.bytes(LEADER);
          this.version(op.leaderVersions[i]!);
          this.byte(CLOSE_BRACE);
        }
        this.bytes(FLAGS);
        this.bytes(this.flagLists[flags]!);
      }
    }
    if (op.reaction !== 0) {
      this.bytes(REACTION);
      this.bytes(this.reactionNames[op.reaction]!);
      this.byte(QUOTE);
    }
    if (op.warmup) this.bytes(WARMUP);
    this.bytes(END);
  }

  /** Any other record (failover), placed by its time. */
  writeRecord(atUs: number, record: Record<string, unknown>): void {
    this.writeRecordText(atUs, JSON.stringify(record));
  }

  /** A record already in JSON (historyStream.ts). */
  writeRecordText(atUs: number, json: string): void {
    this.beginLine(atUs, 0);
    this.bytes(utf8(`${json}\n`));
  }

  close(): void {
    this.orderPending();
    this.flush();
    closeSync(this.fd);
    if (this.temporaryPath !== this.path) renameSync(this.temporaryPath, this.path);
  }

  /** Removes the partial file (on error). */
  abort(): void {
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
    rmSync(this.temporaryPath, { force: true });
  }

  /** A line of `session` completing at `atUs` starts here; the lines of an earlier instant are complete. */
  private beginLine(atUs: number, session: number): void {
    if (atUs !== this.pendingUs) {
      this.orderPending();
      if (this.length >= CHUNK_BYTES) this.flush();
      this.pendingUs = atUs;
    }
    this.pendingStarts[this.pendingCount] = this.length;
    this.pendingSessions[this.pendingCount++] = session;
    this.records++;
  }

  /** The lines of one instant, by session (a stable order: one session's lines keep their completion order). */
  private orderPending(): void {
    const { pendingStarts: starts, pendingSessions: sessions, pendingCount: count } = this;
    this.pendingCount = 0;
    let sorted = true;
    for (let i = 1; i < count && sorted; i++) sorted = sessions[i - 1]! <= sessions[i]!;
    if (sorted) return;
    const order = Array.from({ length: count }, (_, i) => i).sort((x, y) => sessions[x]! - sessions[y]! || x - y);
    const first = starts[0]!;
    const lines = this.buffer.slice(first, this.length);
    let at = first;
    for (const i of order) {
      const start = starts[i]! - first;
      const end = (i + 1 < count ? starts[i + 1]! : this.length) - first;
      this.buffer.set(lines.subarray(start, end), at);
      at += end - start;
    }
  }

  private flush(): void {
    if (this.length > 0) writeSync(this.fd, this.buffer, 0, this.length);
    this.length = 0;
  }

  /** Room for `bytes` more: the buffer grows when one instant's lines outgrow it. */
  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(2 * this.buffer.length, this.length + bytes));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }

  private byte(value: number): void {
    this.reserve(1);
    this.buffer[this.length++] = value;
  }

  private bytes(value: Uint8Array): void {
    const n = value.length;
    this.reserve(n);
    const buffer = this.buffer;
    let at = this.length;
    if (n <= 32) for (let i = 0; i < n; i++) buffer[at++] = value[i]!;
    else {
      buffer.set(value, at);
      at += n;
    }
    this.length = at;
  }

  /** A whole number as JSON writes it (times, sessions, versions, shards: whole and at least 0; anything else as its string). */
  private number(value: number): void {
    if (!(value >= 0 && Number.isSafeInteger(value))) return this.bytes(utf8(String(value)));
    // Below 2^31 (times up to 35 simulated minutes, every version) in 32-bit integer steps.
    const small = value <= 0x7fffffff;
    let digits = 1;
    if (small) for (let rest = value; rest >= 10; rest = (rest / 10) | 0) digits++;
    else for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    this.reserve(digits);
    const buffer = this.buffer;
    let at = this.length + digits;
    this.length = at;
    let rest = value;
    if (small) {
      do {
        const next = (rest / 10) | 0;
        buffer[--at] = ZERO + rest - 10 * next;
        rest = next;
      } while (rest > 0);
    } else {
      do {
        buffer[--at] = ZERO + (rest % 10);
        rest = Math.floor(rest / 10);
      } while (rest > 0);
    }
  }

  /** A version in a key-read: ABSENT is null. */
  private version(value: number): void {
    if (value === ABSENT) this.bytes(NULL);
    else this.number(value);
  }

  private quotedKey(keyId: number): Uint8Array {
    const name = this.keys.nameOf(keyId);
    if (this.quotedFor[keyId] !== name) {
      this.quotedFor[keyId] = name;
      this.quotedKeys[keyId] = utf8(JSON.stringify(name));
    }
    return this.quotedKeys[keyId]!;
  }
}
