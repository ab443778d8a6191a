import { messages } from '../text/messages.js';
import { ABSENT, EMPTY_PAST, type Past } from '../model/keys.js';
import { InputError } from '../text/errors.js';
import { AnomalyBins } from './anomalyBins.js';
import { ANOMALIES, FLAG_BITS, flagNames, type Anomaly, type AnomalyCount } from './anomalies.js';
import { ConsistencyChecker } from './consistencyChecker.js';
import { parseHistoryRecord, type FailoverRecord, type OperationRecord, type ReadRecord, type WriteRecord } from './historyRecord.js';
import { scanHistoryRecord } from './historyScan.js';

export interface FlagMismatch {
  line: number;
  session: number;
  t0: number;
  expected: Anomaly[];
  found: string[];
}

/** A read's `leader` field that is not what the write records say the leader had at t0. */
export interface LeaderMismatch {
  line: number;
  key: string;
  /** What the record says. */
  found: number | null;
  /** The latest version committed at or before t0 (and not lost in a failover by then). */
  expected: number | null;
}

export interface HistoryCheckResult {
  counts: Record<Anomaly, AnomalyCount>;
  reads: number;
  writes: number;
  failed: number;
  mismatches: FlagMismatch[];
  /** Reads whose `leader` field disagrees with the write records (the recount uses the records). */
  leaderMismatches: LeaderMismatch[];
  /** The counted key-reads' counts per stretch of time (by completion t1), for the rates' intervals. */
  bins: AnomalyBins;
  /** Counted key-reads answered by their shard's leader (the leader share's numerator; see HistoryIndex.servedAsLeader). */
  leaderKeyReads: number;
}

/**
 * What the t-visibility curve counts (semantics.md section 3), per counted key-read whose leader
 * version (from the write records) is a write: t = t0 − that write's tc, and whether the read
 * returned at least it. A caller that wants the curve bins these (metrics/tVisibility.ts).
 */
export type VisibilitySample = (tUs: number, sawIt: boolean) => void;

/** A history's lines in file order, visited once per pass of the recount (it makes two). */
export interface HistoryLines {
  /** Calls `onLine` with each line's text (without its newline) and its number, from 1. */
  forEach(onLine: (text: string, line: number) => void): void;
  /** The history's size (bytes of a file, characters of a text): what holding all of it in memory takes. */
  readonly bytes: number;
}

/** The lines of a history held as one text. */
export function linesOfText(text: string): HistoryLines {
  return {
    bytes: text.length,
    forEach(onLine) {
      let line = 0;
      for (let start = 0; ; ) {
        const newline = text.indexOf('\n', start);
        onLine(text.slice(start, newline < 0 ? text.length : newline), ++line);
        if (newline < 0) return;
        start = newline + 1;
      }
    },
  };
}

/** The record on a line (null for a blank line), checked (historyRecord.ts). */
function recordOf(text: string, line: number, file: string): OperationRecord | FailoverRecord | null {
  // A record starts with `{`; any other line may be blank (whitespace of any kind, as trim() reads it).
  if (text.length === 0 || (text.charCodeAt(0) !== 123 && text.trim() === '')) return null;
  // A line as lagsim writes it is read from its text; any other the general way, which words the errors.
  const written = scanHistoryRecord(text, line);
  if (written !== null) return written;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InputError(file, `line ${line}`, messages.historyNotJson);
  }
  return parseHistoryRecord(value, file, line);
}

/** The name of a shard's first leader (semantics.md section 1: nodes are named `leader-<shard>` and `<name>-<shard>-<copy>`). */
const FIRST_LEADER = /^leader-(0|[1-9][0-9]*)$/;

/** A causal past being computed (semantics.md section 2): a dep on the way round a cycle counts as empty. */
const OPEN: Past = Object.freeze([]);

/**
 * What the first pass keeps of a history, all of it needed before the first read is checked (a
 * read may return a version whose write record comes later in the file): each key's commits, for
 * the leader's version at a read's t0; each written version's deps, for causal pasts; whether each
 * session's records come in the order they started, so that the second pass can replay the file
 * as it reads it; and the counted reads' time span. It grows with writes and sessions, not reads.
 */
class HistoryIndex {
  private readonly keyIds = new Map<string, number>();
  private readonly sessionIds = new Map<number, number>();
  /**
   * Per key id, its commits: [tc, version] pairs as read; after `seal`, [tc, version, versionTc]
   * triples sorted by tc, version and versionTc being the highest version committed by tc and its
   * own commit time — one binary search answers a read.
   */
  private commits: number[][] = [];
  /** Per key id, the deps of each written version: flat [key id, version, …] pairs. */
  private readonly deps: (Map<number, number[]> | undefined)[] = [];
  /** Per key id, the causal past of each version asked for (memoised; OPEN while being computed). */
  private readonly pasts: (Map<number, Past> | undefined)[] = [];
  /** Per session id, the (t0, t1) of its last record so far. */
  private readonly lastStartUs: number[] = [];
  private readonly lastEndUs: number[] = [];
  /** Every session's records come in the order of (t0, t1), as in the export's order (by t1). */
  inOrder = true;
  private firstReadEndUs = Infinity;
  private lastReadEndUs = -Infinity;
  /** Per node name, when the failover records made it a leader and took that from it, µs. */
  private readonly leaderFromUs = new Map<string, number>();
  private readonly leaderUntilUs = new Map<string, number>();
  /** Per node name, whether it is one of the first leaders. */
  private readonly firstLeaders = new Map<string, boolean>();

  /** Dense key ids 0, 1, 2, … in order of first use (the checker's tables are indexed by them). */
  keyId(name: string): number {
    let id = this.keyIds.get(name);
    if (id === undefined) {
      id = this.keyIds.size;
      this.keyIds.set(name, id);
    }
    return id;
  }

  /** Dense session ids: any session number (1, 17, 10^12) costs one slot of the checker's tables. */
  sessionId(session: number): number {
    let id = this.sessionIds.get(session);
    if (id === undefined) {
      id = this.sessionIds.size;
      this.sessionIds.set(session, id);
      this.lastStartUs.push(-1);
      this.lastEndUs.push(-1);
    }
    return id;
  }

  add(record: OperationRecord): void {
    const session = this.sessionId(record.session);
    const lastStartUs = this.lastStartUs[session]!;
    if (record.t0 < lastStartUs || (record.t0 === lastStartUs && record.t1 < this.lastEndUs[session]!)) this.inOrder = false;
    this.lastStartUs[session] = record.t0;
    this.lastEndUs[session] = record.t1;
    if (record.type === 'read') {
      if (record.failed || record.warmup) return;
      if (record.t1 < this.firstReadEndUs) this.firstReadEndUs = record.t1;
      if (record.t1 > this.lastReadEndUs) this.lastReadEndUs = record.t1;
      return;
    }
    // Every commit, a failed write's included (it failed after committing; see WriteRecord.version).
    if (record.version === 0) return;
    const key = this.keyId(record.key);
    while (this.commits.length <= key) this.commits.push([]);
    this.commits[key]!.push(record.tc, record.version);
    if (record.deps.length === 0) {
      // A version with no deps has an empty past (a later record of it, unusual, replaces earlier deps).
      this.deps[key]?.delete(record.version);
      return;
    }
    const flat: number[] = [];
    for (const [dep, version] of record.deps) flat.push(this.keyId(dep), version);
    let versions = this.deps[key];
    if (versions === undefined) this.deps[key] = versions = new Map();
    versions.set(record.version, flat);
  }

  addFailover(record: FailoverRecord): void {
    this.leaderUntilUs.set(record.from, record.t);
    this.leaderFromUs.set(record.to, record.t);
  }

  /**
   * Whether `node`, answering a key-read that completed at `atUs`, led its shard before that instant
   * (the simulator's Cluster.servedAsLeader; semantics-readings.md, "Leader share"): the first
   * leaders are named `leader-<shard>` (semantics.md section 1), and a failover record at t makes
   * its `to` the leader, and no longer its `from`, for completions after t.
   */
  servedAsLeader(node: string, atUs: number): boolean {
    let first = this.firstLeaders.get(node);
    if (first === undefined) this.firstLeaders.set(node, (first = FIRST_LEADER.test(node)));
    const from = this.leaderFromUs.get(node) ?? (first ? -Infinity : Infinity);
    return from < atUs && atUs <= (this.leaderUntilUs.get(node) ?? Infinity);
  }

  /** After the last `add`: each key's commits sorted by tc, with the running highest version. */
  seal(): void {
    this.commits = this.commits.map((pairs) => {
      const order = Array.from({ length: pairs.length >> 1 }, (_, i) => i);
      order.sort((x, y) => pairs[2 * x]! - pairs[2 * y]! || x - y);
      const triples: number[] = [];
      for (const i of order) {
        const tc = pairs[2 * i]!;
        const version = pairs[2 * i + 1]!;
        const n = triples.length;
        if (n > 0 && version < triples[n - 2]!) triples.push(tc, triples[n - 2]!, triples[n - 1]!);
        else triples.push(tc, version, tc);
      }
      return triples;
    });
  }

  /** The time range of the counted reads' completions, µs (an empty range when there are none). */
  countedReadSpan(): { startUs: number; durationUs: number } {
    const [first, last] = [this.firstReadEndUs, this.lastReadEndUs];
    return first > last ? { startUs: 0, durationUs: 1 } : { startUs: first, durationUs: last - first + 1 };
  }

  /**
   * The leader's version of a key at t0 from the write records alone (semantics.md section 3,
   * `stale`): the highest version committed at or before t0 (a write committing at the read's own
   * instant counts; a write later lost in a failover still counts as committed, section 6), as the
   * index of its triple in `commitsOf(key)`; −1 when no write qualifies.
   */
  leaderAt(key: number, t0: number): number {
    const list = this.commits[key];
    if (list === undefined || list.length === 0 || list[0]! > t0) return -1;
    let lo = 0;
    let hi = list.length / 3 - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (list[3 * mid]! <= t0) lo = mid;
      else hi = mid - 1;
    }
    return 3 * lo;
  }

  commitsOf(key: number): readonly number[] {
    return this.commits[key]!;
  }

  /** past(k, v) of a written version (semantics.md section 2): the transitive closure of the write records' deps. */
  pastOf(key: number, version: number): Past {
    // Most versions have no deps (every version of a workload without topics): nothing to remember.
    if (this.deps[key]?.get(version) === undefined) return EMPTY_PAST;
    const known = this.pasts[key]?.get(version);
    if (known !== undefined && known !== OPEN) return known;
    // Depth-first with an explicit stack: a chain of deps can be far longer than the call stack
    // (every write of a busy topic depends on an earlier one).
    const stack: { key: number; version: number; expanded: boolean }[] = [{ key, version, expanded: false }];
    while (stack.length > 0) {
      const top = stack.pop()!;
      const state = this.pastState(top.key, top.version);
      if (top.expanded) {
        if (state === OPEN) this.setPast(top.key, top.version, this.combine(top.key, top.version));
        continue;
      }
      if (state !== undefined) continue;
      this.setPast(top.key, top.version, OPEN);
      stack.push({ key: top.key, version: top.version, expanded: true });
      const deps = this.deps[top.key]?.get(top.version) ?? [];
      for (let i = 0; i < deps.length; i += 2) {
        const [dep, depVersion] = [deps[i]!, deps[i + 1]!];
        // A dep without deps of its own adds only itself (combine); nothing to compute first.
        if (this.deps[dep]?.get(depVersion) !== undefined && this.pastState(dep, depVersion) === undefined) stack.push({ key: dep, version: depVersion, expanded: false });
      }
    }
    return this.pastState(key, version)!;
  }

  private pastState(key: number, version: number): Past | undefined {
    return this.pasts[key]?.get(version);
  }

  private setPast(key: number, version: number, past: Past): void {
    let versions = this.pasts[key];
    if (versions === undefined) this.pasts[key] = versions = new Map();
    versions.set(version, past);
  }

  /** past(k, v) from its deps and their pasts, each already computed (OPEN, on a cycle, is empty). */
  private combine(key: number, version: number): Past {
    const merged = new Map<number, number>();
    const deps = this.deps[key]?.get(version) ?? [];
    for (let d = 0; d < deps.length; d += 2) {
      const [dep, depVersion] = [deps[d]!, deps[d + 1]!];
      if (dep !== key && depVersion > (merged.get(dep) ?? ABSENT)) merged.set(dep, depVersion);
      const inner = this.pastState(dep, depVersion) ?? [];
      for (let i = 0; i < inner.length; i += 2) {
        if (inner[i] !== key && inner[i + 1]! > (merged.get(inner[i]!) ?? ABSENT)) merged.set(inner[i]!, inner[i + 1]!);
      }
    }
    if (merged.size === 0) return EMPTY_PAST;
    const flat: number[] = [];
    for (const k of [...merged.keys()].sort((x, y) => x - y)) flat.push(k, merged.get(k)!);
    return flat;
  }
}

/** A read's flag bits (FLAG_BITS) from the names in its record; −1 when they are not in ANOMALIES' order, once each. */
function flagBits(names: readonly string[]): number {
  let bits = 0;
  for (const name of names) {
    // Each flag's bit above every earlier one's: in order, once each.
    const bit = FLAG_BITS[name as Anomaly] as number | undefined;
    if (bit === undefined || bit <= bits) return -1;
    bits |= bit;
  }
  return bits;
}

/**
 * The second pass: each record through the same checker the simulator uses, sessions' records in
 * the order they started; the counts, each read's flags against the file's, the `leader` fields.
 */
class Replay {
  readonly checker = new ConsistencyChecker();
  readonly result: HistoryCheckResult;
  private readonly tallies: AnomalyCount[];
  private readonly before = new Float64Array(2 * ANOMALIES.length);
  // One read's columns for the checker, reused (grown for reads of more keys).
  private readonly keys: number[] = [];
  private readonly versions: number[] = [];
  private readonly readPasts: (Past | null)[] = [];
  private readonly leaders: number[] = [];
  private readonly leaderCommitsUs: number[] = [];

  constructor(
    private readonly index: HistoryIndex,
    private readonly onVisibility: VisibilitySample | undefined,
  ) {
    const span = index.countedReadSpan();
    const bins = new AnomalyBins(span.startUs, span.durationUs);
    const checker = this.checker;
    this.tallies = ANOMALIES.map((name) => checker.counts[name]);
    this.result = { counts: checker.counts, reads: 0, writes: 0, failed: 0, mismatches: [], leaderMismatches: [], bins, leaderKeyReads: 0 };
  }

  record(record: OperationRecord): void {
    const result = this.result;
    const counted = !record.warmup;
    if (record.failed) {
      if (counted) result.failed++;
      return;
    }
    const session = this.index.sessionId(record.session);
    if (record.type === 'write') return this.write(record, session, counted);
    this.read(record, session, counted);
  }

  private write(record: WriteRecord & { line: number }, session: number, counted: boolean): void {
    if (counted) this.result.writes++;
    const key = this.index.keyId(record.key);
    this.checker.recordWrite(session, key, record.version, this.index.pastOf(key, record.version));
  }

  private read(record: ReadRecord & { line: number }, session: number, counted: boolean): void {
    const { index, result, keys, versions, readPasts, leaders, leaderCommitsUs, tallies, before } = this;
    const reads = record.reads;
    const count = reads.length;
    for (let i = 0; i < count; i++) {
      const read = reads[i]!;
      const key = index.keyId(read.key);
      const version = read.version ?? ABSENT;
      keys[i] = key;
      versions[i] = version;
      readPasts[i] = version > 0 ? index.pastOf(key, version) : null;
      // The leader's version comes from the write records, not from the read's own field: an edited
      // `leader` must not hide a stale read. A key no write reached by t0 is preloaded (0) or absent
      // (null): the history cannot tell which, so the field decides between those two.
      const at = index.leaderAt(key, record.t0);
      if (at < 0) {
        if (read.leader !== null && read.leader !== 0) result.leaderMismatches.push({ line: record.line, key: read.key, found: read.leader, expected: null });
        leaders[i] = read.leader === 0 ? 0 : ABSENT;
        leaderCommitsUs[i] = 0;
      } else {
        const commits = index.commitsOf(key);
        const expected = commits[at + 1]!;
        if (read.leader !== expected) result.leaderMismatches.push({ line: record.line, key: read.key, found: read.leader, expected });
        leaders[i] = expected;
        leaderCommitsUs[i] = commits[at + 2]!;
      }
    }
    if (counted) {
      result.reads++;
      for (let i = 0; i < count; i++) if (index.servedAsLeader(reads[i]!.node, record.t1)) result.leaderKeyReads++;
      for (let a = 0; a < tallies.length; a++) {
        before[2 * a] = tallies[a]!.violations;
        before[2 * a + 1] = tallies[a]!.eligible;
      }
    }
    const flags = this.checker.checkRead(session, count, keys, versions, readPasts, leaders, counted);
    if (counted) {
      const bins = result.bins;
      const bin = bins.binOf(record.t1);
      for (let a = 0; a < tallies.length; a++) {
        const name = ANOMALIES[a]!;
        bins.violations[name][bin]! += tallies[a]!.violations - before[2 * a]!;
        bins.eligible[name][bin]! += tallies[a]!.eligible - before[2 * a + 1]!;
      }
      bins.keyReads[bin]! += count;
      const onVisibility = this.onVisibility;
      if (onVisibility !== undefined) {
        for (let i = 0; i < count; i++) if (leaders[i]! > 0) onVisibility(record.t0 - leaderCommitsUs[i]!, versions[i]! >= leaders[i]!);
      }
    }
    if (flagBits(record.flags) !== flags) {
      result.mismatches.push({ line: record.line, session: record.session, t0: record.t0, expected: flagNames(flags), found: record.flags });
    }
  }
}

/**
 * Recomputes every anomaly count of a history export (semantics.md section 4) from the file alone,
 * with the same checker the simulator uses, and compares each read's flags with the file's.
 * Pasts come from the write records' deps (transitive closure); each session's records are
 * replayed in t0 order. Every record is checked (historyRecord.ts) before any is counted: a
 * malformed one is an InputError.
 */
export function checkHistory(text: string, file: string, onVisibility?: VisibilitySample): HistoryCheckResult {
  return checkHistoryLines(linesOfText(text), file, { onVisibility });
}

/**
 * `checkHistory` over a history read line by line, in two passes: the first checks every record
 * and indexes the writes (HistoryIndex), the second replays the records. A history in the
 * export's order (each session's records in the order they started, as the order by t1 gives) is
 * replayed as it is read, so memory grows with its writes and sessions, not its reads; any other
 * is sorted in memory, which `sortLimitBytes` bounds.
 */
export function checkHistoryLines(
  lines: HistoryLines,
  file: string,
  options: { onVisibility?: VisibilitySample; sortLimitBytes?: number } = {},
): HistoryCheckResult {
  const index = new HistoryIndex();
  lines.forEach((text, line) => {
    const record = recordOf(text, line, file);
    if (record === null) return;
    if (record.type === 'failover') index.addFailover(record);
    else index.add(record);
  });
  index.seal();
  const replay = new Replay(index, options.onVisibility);
  if (index.inOrder) {
    lines.forEach((text, line) => {
      const record = recordOf(text, line, file);
      if (record !== null && record.type !== 'failover') replay.record(record);
    });
  } else {
    const limit = options.sortLimitBytes ?? Infinity;
    if (lines.bytes > limit) throw new InputError(file, undefined, messages.historyUnorderedTooLarge(lines.bytes, limit));
    const records: OperationRecord[] = [];
    lines.forEach((text, line) => {
      const record = recordOf(text, line, file);
      if (record !== null && record.type !== 'failover') records.push(record);
    });
    records.sort((x, y) => x.session - y.session || x.t0 - y.t0 || x.t1 - y.t1 || x.line - y.line);
    for (const record of records) replay.record(record);
  }
  const result = replay.result;
  // Reported in file order, whichever order the sessions were replayed in.
  result.mismatches.sort((x, y) => x.line - y.line);
  result.leaderMismatches.sort((x, y) => x.line - y.line);
  return result;
}
