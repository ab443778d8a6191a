import { messages } from '../text/messages.js';
import { ABSENT, type Past } from '../model/keys.js';
import { InputError } from '../text/errors.js';
import { AnomalyBins } from './anomalyBins.js';
import { ANOMALIES, flagNames, type Anomaly, type AnomalyCount } from './anomalies.js';
import { ConsistencyChecker } from './consistencyChecker.js';
import { parseHistoryRecord, type OperationRecord } from './historyRecord.js';

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
}

/**
 * What the t-visibility curve counts (semantics.md section 3), per counted key-read whose leader
 * version (from the write records) is a write: t = t0 − that write's tc, and whether the read
 * returned at least it. A caller that wants the curve bins these (metrics/tVisibility.ts).
 */
export type VisibilitySample = (tUs: number, sawIt: boolean) => void;

/**
 * The version the leader had of a key at t0, from the write records alone (semantics.md section 3,
 * `stale`): the highest version committed at or before t0 (a write committing at the read's own
 * instant counts; a write later lost in a failover still counts as committed, section 6); null
 * when no write qualifies; with it, its commit time (the t-visibility curve's tc).
 */
function leaderVersions(records: readonly OperationRecord[]): (key: string, t0: number) => { version: number; tc: number } | null {
  const commits = new Map<string, { tc: number; version: number; versionTc: number }[]>();
  for (const record of records) {
    // Every commit, a failed write's included (it failed after committing; see WriteRecord.version).
    if (record.type !== 'write' || record.version === 0) continue;
    let list = commits.get(record.key);
    if (list === undefined) commits.set(record.key, (list = []));
    list.push({ tc: record.tc, version: record.version, versionTc: record.tc });
  }
  // Sorted by commit time with the running highest version (and that version's commit time), so
  // one binary search answers a read.
  for (const list of commits.values()) {
    list.sort((a, b) => a.tc - b.tc);
    for (let i = 1; i < list.length; i++) {
      const [previous, commit] = [list[i - 1]!, list[i]!];
      if (commit.version < previous.version) {
        commit.version = previous.version;
        commit.versionTc = previous.versionTc;
      }
    }
  }
  return (key, t0) => {
    const list = commits.get(key);
    if (list === undefined || list.length === 0 || list[0]!.tc > t0) return null;
    let lo = 0;
    let hi = list.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (list[mid]!.tc <= t0) lo = mid;
      else hi = mid - 1;
    }
    return { version: list[lo]!.version, tc: list[lo]!.versionTc };
  };
}

/** The time range of the counted reads' completions, µs (an empty range when there are none). */
function countedReadSpan(records: readonly OperationRecord[]): { startUs: number; durationUs: number } {
  let first = Infinity;
  let last = -Infinity;
  for (const record of records) {
    if (record.type !== 'read' || record.failed || record.warmup === true) continue;
    if (record.t1 < first) first = record.t1;
    if (record.t1 > last) last = record.t1;
  }
  return first > last ? { startUs: 0, durationUs: 1 } : { startUs: first, durationUs: last - first + 1 };
}

/** Every operation record of a history, each checked (historyRecord.ts); failovers are skipped. */
function parseRecords(text: string, file: string): OperationRecord[] {
  const records: OperationRecord[] = [];
  text.split('\n').forEach((raw, index) => {
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      throw new InputError(file, `line ${index + 1}`, messages.historyNotJson);
    }
    const record = parseHistoryRecord(value, file, index + 1);
    if (record.type !== 'failover') records.push(record);
  });
  return records;
}

/** Dense ids 0, 1, 2, … in order of first use (the checker's tables are indexed by them). */
function denseIds<T>(): (value: T) => number {
  const ids = new Map<T, number>();
  return (value) => {
    let id = ids.get(value);
    if (id === undefined) {
      id = ids.size;
      ids.set(value, id);
    }
    return id;
  };
}

/** past(k, v) of every written version (semantics.md section 2): the transitive closure of the write records' deps. */
function causalPasts(records: readonly OperationRecord[], keyId: (name: string) => number): (key: number, version: number) => Past {
  const deps = new Map<string, [number, number][]>();
  for (const record of records) {
    if (record.type === 'write' && record.version > 0) {
      deps.set(`${keyId(record.key)}@${record.version}`, record.deps.map(([key, version]) => [keyId(key), version]));
    }
  }
  const pasts = new Map<string, Past>();
  /** past(k, v) from the pasts of its deps, each already computed (a dep on the way round a cycle counts as empty). */
  const combine = (key: number, id: string): Past => {
    const merged = new Map<number, number>();
    for (const [dep, depVersion] of deps.get(id) ?? []) {
      if (dep !== key && depVersion > (merged.get(dep) ?? ABSENT)) merged.set(dep, depVersion);
      const inner = pasts.get(`${dep}@${depVersion}`) ?? [];
      for (let i = 0; i < inner.length; i += 2) {
        if (inner[i] !== key && inner[i + 1]! > (merged.get(inner[i]!) ?? ABSENT)) merged.set(inner[i]!, inner[i + 1]!);
      }
    }
    const flat: number[] = [];
    for (const k of [...merged.keys()].sort((x, y) => x - y)) flat.push(k, merged.get(k)!);
    return flat;
  };
  // Depth-first with an explicit stack: a chain of deps can be far longer than the call stack
  // (every write of a busy topic depends on an earlier one).
  return (key, version) => {
    const rootId = `${key}@${version}`;
    const known = pasts.get(rootId);
    if (known !== undefined) return known;
    const stack: { key: number; id: string; expanded: boolean }[] = [{ key, id: rootId, expanded: false }];
    const open = new Set<string>();
    while (stack.length > 0) {
      const top = stack.pop()!;
      if (pasts.has(top.id)) continue;
      if (top.expanded) {
        pasts.set(top.id, combine(top.key, top.id));
        open.delete(top.id);
        continue;
      }
      if (open.has(top.id)) continue;
      open.add(top.id);
      stack.push({ ...top, expanded: true });
      for (const [dep, depVersion] of deps.get(top.id) ?? []) {
        const depId = `${dep}@${depVersion}`;
        if (!pasts.has(depId) && !open.has(depId)) stack.push({ key: dep, id: depId, expanded: false });
      }
    }
    return pasts.get(rootId)!;
  };
}

/**
 * Recomputes every anomaly count of a history export (semantics.md section 4) from the file alone,
 * with the same checker the simulator uses, and compares each read's flags with the file's.
 * Pasts come from the write records' deps (transitive closure); sessions are replayed in t0 order.
 * Every record is checked first (historyRecord.ts): a malformed one is an InputError.
 */
export function checkHistory(text: string, file: string, onVisibility?: VisibilitySample): HistoryCheckResult {
  const records = parseRecords(text, file);
  const leaderAt = leaderVersions(records);
  const keyId = denseIds<string>();
  const pastOf = causalPasts(records, keyId);
  const ordered = [...records].sort((x, y) => x.session - y.session || x.t0 - y.t0 || x.t1 - y.t1 || x.line - y.line);
  const checker = new ConsistencyChecker();
  // Any session number (1, 17, 10^12) costs one slot of the checker's tables.
  const sessionId = denseIds<number>();
  const span = countedReadSpan(records);
  const bins = new AnomalyBins(span.startUs, span.durationUs);
  const result: HistoryCheckResult = { counts: checker.counts, reads: 0, writes: 0, failed: 0, mismatches: [], leaderMismatches: [], bins };
  const before = new Float64Array(2 * ANOMALIES.length + 1);
  for (const record of ordered) {
    const counted = record.warmup !== true;
    if (record.failed) {
      if (counted) result.failed++;
      continue;
    }
    if (record.type === 'write') {
      if (counted) result.writes++;
      const key = keyId(record.key);
      checker.recordWrite(sessionId(record.session), key, record.version, pastOf(key, record.version));
      continue;
    }
    const reads = record.reads;
    const keys = reads.map((r) => keyId(r.key));
    const versions = reads.map((r) => r.version ?? ABSENT);
    const readPasts = reads.map((_, i) => (versions[i]! > 0 ? pastOf(keys[i]!, versions[i]!) : null));
    // The leader's version comes from the write records, not from the read's own field: an edited
    // `leader` must not hide a stale read. A key no write reached by t0 is preloaded (0) or absent
    // (null): the history cannot tell which, so the field decides between those two.
    const leaderCommitsUs = reads.map(() => 0);
    const leaders = reads.map((r, i) => {
      const leader = leaderAt(r.key, record.t0);
      const expected = leader === null ? null : leader.version;
      if (leader !== null) leaderCommitsUs[i] = leader.tc;
      const nothingWritten = expected === null;
      if (nothingWritten ? r.leader !== null && r.leader !== 0 : r.leader !== expected) {
        result.leaderMismatches.push({ line: record.line, key: r.key, found: r.leader, expected });
      }
      return nothingWritten ? (r.leader === 0 ? 0 : ABSENT) : expected;
    });
    if (counted) result.reads++;
    if (counted) ANOMALIES.forEach((name, i) => ((before[2 * i] = checker.counts[name].violations), (before[2 * i + 1] = checker.counts[name].eligible)));
    const flags = checker.checkRead(sessionId(record.session), reads.length, keys, versions, readPasts, leaders, counted);
    if (counted) {
      const bin = bins.binOf(record.t1);
      ANOMALIES.forEach((name, i) => {
        bins.violations[name][bin]! += checker.counts[name].violations - before[2 * i]!;
        bins.eligible[name][bin]! += checker.counts[name].eligible - before[2 * i + 1]!;
      });
      bins.keyReads[bin]! += reads.length;
      if (onVisibility !== undefined) {
        reads.forEach((_, i) => {
          const leader = leaders[i]!;
          if (leader > 0) onVisibility(record.t0 - leaderCommitsUs[i]!, versions[i]! >= leader);
        });
      }
    }
    const found = record.flags;
    const expected = flagNames(flags);
    if (found.length !== expected.length || found.some((flag, i) => flag !== expected[i])) {
      result.mismatches.push({ line: record.line, session: record.session, t0: record.t0, expected, found });
    }
  }
  return result;
}
