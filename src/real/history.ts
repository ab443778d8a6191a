import { checkHistory, type HistoryCheckResult } from '../checks/historyCheck.js';
import type { WriteRecord } from '../checks/historyRecord.js';

/** A write of a real run (times in µs since the run started; tc: when the client received the commit's acknowledgement, the latest instant the commit can have happened). */
export type RealWrite = WriteRecord;

/** A read of a real run. */
export interface RealReadRecord {
  type: 'read';
  session: number;
  t0: number;
  t1: number;
  keys: readonly string[];
  versions: readonly (number | null)[];
  nodes: readonly string[];
  warmup: boolean;
  failed: boolean;
}

export type RealRecord = RealWrite | RealReadRecord;

/** What a key-read missed, for the staleness figures and the t-visibility curve. */
export interface KeyReadContext {
  /** `leader`: the latest version of the key committed at or before the read's t0, null when none. */
  leader: number | null;
  /** Commit time of that version (0 for a preloaded version 0). */
  leaderCommitUs: number;
  /** How many versions the returned one is behind `leader` (0 when not stale). */
  versionsBehind: number;
  /** Commit time of the oldest version newer than the returned one, when stale. */
  missedCommitUs: number | null;
}

export interface FinishedHistory {
  /** The JSON Lines text (semantics.md section 4), flags included. */
  text: string;
  /** checkHistory's recount of `text`: what every report of the run uses. */
  check: HistoryCheckResult;
  /** Per read record (in the order given), per key. */
  contexts: Map<RealReadRecord, KeyReadContext[]>;
}

/** Versions of one key in commit order, with acknowledgement times, for "latest committed at or before t". */
class KeyVersions {
  /** Ascending by tc; versionMax[i] = the highest version among the first i + 1. */
  readonly tcs: number[] = [];
  readonly versionMax: number[] = [];
  /** Versions ascending (commit order), with their tc. */
  readonly versions: number[] = [];
  readonly versionTc: number[] = [];

  constructor(preloaded: boolean, writes: readonly RealWrite[]) {
    const byTc = [...writes].sort((x, y) => x.tc - y.tc || x.version - y.version);
    let max = preloaded ? 0 : -1;
    if (preloaded) {
      this.tcs.push(0);
      this.versionMax.push(0);
    }
    for (const write of byTc) {
      max = Math.max(max, write.version);
      this.tcs.push(write.tc);
      this.versionMax.push(max);
    }
    const byVersion = [...writes].sort((x, y) => x.version - y.version);
    if (preloaded) {
      this.versions.push(0);
      this.versionTc.push(0);
    }
    for (const write of byVersion) {
      this.versions.push(write.version);
      this.versionTc.push(write.tc);
    }
  }

  /** The highest version with tc ≤ t, or null. */
  latestAt(t: number): number | null {
    let low = 0;
    let high = this.tcs.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.tcs[mid]! <= t) low = mid + 1;
      else high = mid;
    }
    return low === 0 ? null : this.versionMax[low - 1]!;
  }

  /** Index of a version in commit order (its ordinal), -1 for absent. */
  indexOf(version: number | null): number {
    if (version === null) return -1;
    let low = 0;
    let high = this.versions.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.versions[mid]! < version) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

function writeLine(record: RealWrite): string {
  const key = JSON.stringify(record.key);
  let line = record.failed
    ? `{"type":"write","session":${record.session},"t0":${record.t0},"t1":${record.t1},"key":${key},"failed":true`
    : `{"type":"write","session":${record.session},"t0":${record.t0},"tc":${record.tc},"t1":${record.t1},"key":${key},"shard":0,` +
      `"version":${record.version},"deps":${JSON.stringify(record.deps)},"node":"leader-0"`;
  if (record.warmup) line += ',"warmup":true';
  return `${line}}`;
}

function readLine(record: RealReadRecord, contexts: KeyReadContext[] | undefined, flags: readonly string[]): string {
  let line: string;
  if (record.failed || contexts === undefined) {
    line = `{"type":"read","session":${record.session},"t0":${record.t0},"t1":${record.t1},"failed":true`;
  } else {
    const reads = record.keys.map(
      (key, i) =>
        `{"key":${JSON.stringify(key)},"version":${record.versions[i] ?? 'null'},"node":${JSON.stringify(record.nodes[i])},"leader":${contexts[i]!.leader ?? 'null'}}`,
    );
    line = `{"type":"read","session":${record.session},"t0":${record.t0},"t1":${record.t1},"reads":[${reads.join(',')}],"flags":${JSON.stringify(flags)}`;
  }
  if (record.warmup) line += ',"warmup":true';
  return `${line}}`;
}

/**
 * Turns a real run's operations into the history export (semantics.md section 4) and its recount.
 *
 * - `leader` of a key-read is the highest version whose `tc` is at or before the read's t0, with
 *   `tc` the instant the writer received the commit's acknowledgement. A commit happens before its
 *   acknowledgement arrives (by up to a round trip), so a write committed just before t0 but
 *   acknowledged after it is not the leader version yet: `stale` counts only what a client could
 *   know was committed. In exchange a read served by the primary is never stale, and anyone can
 *   recompute `leader` from the file's own write records.
 * - `flags` come from checkHistory itself (the simulator's ConsistencyChecker, replayed over the
 *   whole file): the file is written once without flags, the recount says which reads violate
 *   what, the flags are filled in, and a second recount must then agree with every flag. Deciding
 *   flags after the run is not a shortcut: a read may return a version whose writer's
 *   acknowledgement (and deps) arrive later, which only the whole history shows.
 */
export function finishHistory(records: readonly RealRecord[], preloaded: ReadonlySet<string>, file: string): FinishedHistory {
  const writesByKey = new Map<string, RealWrite[]>();
  for (const record of records) {
    if (record.type !== 'write' || record.failed) continue;
    let list = writesByKey.get(record.key);
    if (list === undefined) writesByKey.set(record.key, (list = []));
    list.push(record);
  }
  const versionsByKey = new Map<string, KeyVersions>();
  const versionsOf = (key: string): KeyVersions => {
    let versions = versionsByKey.get(key);
    if (versions === undefined) versionsByKey.set(key, (versions = new KeyVersions(preloaded.has(key), writesByKey.get(key) ?? [])));
    return versions;
  };

  const contexts = new Map<RealReadRecord, KeyReadContext[]>();
  for (const record of records) {
    if (record.type !== 'read' || record.failed) continue;
    contexts.set(
      record,
      record.keys.map((key, i) => {
        const versions = versionsOf(key);
        const leader = versions.latestAt(record.t0);
        const returned = record.versions[i] ?? null;
        const leaderIndex = versions.indexOf(leader);
        const returnedIndex = versions.indexOf(returned);
        const stale = leader !== null && (returned === null || returned < leader);
        return {
          leader,
          leaderCommitUs: leaderIndex >= 0 ? versions.versionTc[leaderIndex]! : 0,
          versionsBehind: stale ? leaderIndex - returnedIndex : 0,
          missedCommitUs: stale ? versions.versionTc[returnedIndex + 1]! : null,
        };
      }),
    );
  }

  // The export's order: by t1, then by session number.
  const ordered = [...records].sort((x, y) => x.t1 - y.t1 || x.session - y.session);
  const flags = new Map<RealReadRecord, readonly string[]>();
  const render = (): string =>
    ordered
      .map((record) => (record.type === 'write' ? writeLine(record) : readLine(record, contexts.get(record), flags.get(record) ?? [])))
      .join('\n') + (ordered.length > 0 ? '\n' : '');

  const first = checkHistory(render(), file);
  for (const mismatch of first.mismatches) {
    const record = ordered[mismatch.line - 1];
    if (record?.type === 'read') flags.set(record, mismatch.expected);
  }
  const text = render();
  const check = checkHistory(text, file);
  if (check.mismatches.length > 0) {
    const m = check.mismatches[0]!;
    throw new Error(`history flags disagree with the recount at line ${m.line}: ${JSON.stringify(m.found)} vs ${JSON.stringify(m.expected)}`);
  }
  return { text, check, contexts };
}
