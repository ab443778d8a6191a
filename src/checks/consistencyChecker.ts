import { ABSENT, type Past } from '../model/keys.js';
import { NONE, REQUIRED, SEEN, SessionKeyTables, WRITTEN } from './sessionKeyTable.js';
import { ANOMALIES, AnomalyCount, FACT_COLUMNS, type Anomaly } from './anomalies.js';
import { FACT_INDEX, FACTS } from './anomaly/definition.js';

const WRITTEN_FACT = FACT_INDEX.written;
const SEEN_FACT = FACT_INDEX.seen;
const REQUIRED_FACT = FACT_INDEX.required;
const LEADER_FACT = FACT_INDEX.leader;

function pastVersionOf(past: Past | null, key: number): number {
  if (past === null) return ABSENT;
  for (let i = 0; i < past.length; i += 2) if (past[i] === key) return past[i + 1]!;
  return ABSENT;
}

/**
 * Exact accounting of every anomaly of src/checks/anomalies.ts, one key-read at a time, straight
 * from the definitions of semantics.md section 3. Versions are numbers
 * with ABSENT (-1) older than every version. Keys are small integers (interned names).
 */
export class ConsistencyChecker {
  readonly counts: Record<Anomaly, AnomalyCount> = Object.fromEntries(ANOMALIES.map((name) => [name, new AnomalyCount()])) as Record<Anomaly, AnomalyCount>;
  /** The same counters in the order of ANOMALIES (bit i of a read's flags is anomaly i). */
  private readonly countList: AnomalyCount[] = ANOMALIES.map((name) => this.counts[name]);
  /** W(k), M(k) and Req(k) of each session, in one table per session (one probe finds all three). */
  private readonly tables = new SessionKeyTables();
  /** One key-read's facts, by FACT_INDEX (written, seen, required, leader): NONE where the session has none. */
  private readonly facts = new Int32Array(FACTS.length);
  /** The table slots of one read's keys (grown for reads of more keys). */
  private slots = new Int32Array(8);

  /** An acknowledged write: it counts as written for ryw and is part of Seen for cp. */
  recordWrite(session: number, key: number, version: number, past: Past | null): void {
    const tables = this.tables;
    tables.reserve(session, 1);
    tables.raise(tables.slot(session, key), WRITTEN, version);
    this.require(session, past);
  }

  /**
   * A completed, non-failed read of `count` keys; returns its flags (bit i: anomaly i of
   * ANOMALIES). `counted` is false for warm-up reads: they shape the session's state but are not
   * counted. Each anomaly is "the returned version is older than the fact it names" (anomalies.ts).
   */
  checkRead(
    session: number,
    count: number,
    keys: readonly number[],
    returned: readonly number[],
    pasts: readonly (Past | null)[],
    leaderVersions: readonly number[],
    counted: boolean,
  ): number {
    const tables = this.tables;
    const facts = this.facts;
    const countList = this.countList;
    const anomalies = countList.length;
    let flags = 0;
    // Every key read enters the session's table (its M(k) is raised below), so each key's slot is
    // taken once, up front: a key new to the session reads as NONE in every fact.
    tables.reserve(session, count);
    const slots = count <= this.slots.length ? this.slots : (this.slots = new Int32Array(count));
    for (let i = 0; i < count; i++) slots[i] = tables.slot(session, keys[i]!);
    for (let i = 0; i < count; i++) {
      const key = keys[i]!;
      const version = returned[i]!;
      const slot = slots[i]!;
      facts[WRITTEN_FACT] = tables.version(slot, WRITTEN);
      facts[SEEN_FACT] = tables.version(slot, SEEN);
      // Req(k): over Seen — earlier observations and writes, plus the other keys of this read.
      let required = tables.version(slot, REQUIRED);
      for (let j = 0; j < count && count > 1; j++) {
        if (keys[j] === key) continue;
        const needed = pastVersionOf(pasts[j] ?? null, key);
        if (needed !== ABSENT && needed > required) required = needed;
      }
      facts[REQUIRED_FACT] = required;
      facts[LEADER_FACT] = leaderVersions[i]!;

      let keyFlags = 0;
      for (let a = 0; a < anomalies; a++) {
        const bound = facts[FACT_COLUMNS[a]!]!;
        if (bound === NONE) continue;
        if (version < bound) keyFlags |= 1 << a;
        if (counted) {
          const tally = countList[a]!;
          tally.eligible++;
          if (version < bound) tally.violations++;
        }
      }
      if (counted) for (let a = 0; a < anomalies; a++) countList[a]!.keyReads++;
      flags |= keyFlags;
    }
    if (counted) for (let a = 0; a < anomalies; a++) if (flags & (1 << a)) countList[a]!.violatingReads++;
    for (let i = 0; i < count; i++) tables.raise(slots[i]!, SEEN, returned[i]!);
    for (let i = 0; i < count; i++) this.require(session, pasts[i] ?? null);
    return flags;
  }

  /** Loads the line where `key`'s probe starts in the session's table (CheckQueue: a miss taken early). */
  touch(session: number, key: number): number {
    return this.tables.touch(session, key);
  }

  /** A new session takes slot `session`: nothing of an earlier occupant carries over. */
  resetSession(session: number): void {
    this.tables.reset(session);
  }

  /** The session can never read `key` again: its state for the key no longer matters. */
  forget(session: number, key: number): void {
    this.tables.delete(session, key);
  }

  /** Entries of checker state kept (for memory accounting). */
  get stateEntries(): number {
    return this.tables.entries;
  }

  /** Bytes of the per-session tables (for memory accounting). */
  get stateBytes(): number {
    return this.tables.bytes;
  }

  private require(session: number, past: Past | null): void {
    if (past === null || past.length === 0) return;
    const tables = this.tables;
    tables.reserve(session, past.length >> 1);
    for (let i = 0; i < past.length; i += 2) tables.raise(tables.slot(session, past[i]!), REQUIRED, past[i + 1]!);
  }
}
