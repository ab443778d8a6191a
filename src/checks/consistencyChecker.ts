import { ABSENT, type Past } from '../model/keys.js';
import { NONE, REQUIRED, SEEN, SessionKeyTables, WRITTEN } from './sessionKeyTable.js';
import { AnomalyCount, FLAG_CP, FLAG_MR, FLAG_RYW, FLAG_STALE, type Anomaly } from './anomalies.js';

function pastVersionOf(past: Past | null, key: number): number {
  if (past === null) return ABSENT;
  for (let i = 0; i < past.length; i += 2) if (past[i] === key) return past[i + 1]!;
  return ABSENT;
}

/**
 * Exact read-your-writes, monotonic-reads, consistent-prefix and stale-read accounting, one
 * key-read at a time, straight from the definitions of semantics.md section 3. Versions are numbers
 * with ABSENT (-1) older than every version. Keys are small integers (interned names).
 */
export class ConsistencyChecker {
  readonly counts: Record<Anomaly, AnomalyCount> = {
    ryw: new AnomalyCount(),
    mr: new AnomalyCount(),
    cp: new AnomalyCount(),
    stale: new AnomalyCount(),
  };
  /** W(k), M(k) and Req(k) of each session, in one table per session (one probe finds all three). */
  private readonly tables = new SessionKeyTables();

  /** An acknowledged write: it counts as written for ryw and is part of Seen for cp. */
  recordWrite(session: number, key: number, version: number, past: Past | null): void {
    const tables = this.tables;
    tables.reserve(session, 1);
    tables.raise(tables.slot(session, key), WRITTEN, version);
    this.require(session, past);
  }

  /**
   * A completed, non-failed read of `count` keys; returns its flags (FLAG_* bits). `counted` is false
   * for warm-up reads: they shape the session's state but are not counted.
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
    const { ryw, mr, cp, stale } = this.counts;
    let flags = 0;
    for (let i = 0; i < count; i++) {
      const key = keys[i]!;
      const version = returned[i]!;
      let keyFlags = 0;

      const slot = tables.find(session, key);
      const written = slot < 0 ? NONE : tables.version(slot, WRITTEN);
      if (written !== NONE) {
        if (counted) ryw.eligible++;
        if (version < written) keyFlags |= FLAG_RYW;
      }

      const seen = slot < 0 ? NONE : tables.version(slot, SEEN);
      if (seen !== NONE) {
        if (counted) mr.eligible++;
        if (version < seen) keyFlags |= FLAG_MR;
      }

      // Req(k): over Seen — earlier observations and writes, plus the other keys of this read.
      let required = slot < 0 ? NONE : tables.version(slot, REQUIRED);
      let defined = required !== NONE;
      for (let j = 0; j < count && count > 1; j++) {
        if (keys[j] === key) continue;
        const needed = pastVersionOf(pasts[j] ?? null, key);
        if (needed !== ABSENT) {
          defined = true;
          if (needed > required) required = needed;
        }
      }
      if (defined) {
        if (counted) cp.eligible++;
        if (version < required) keyFlags |= FLAG_CP;
      }

      if (version < leaderVersions[i]!) keyFlags |= FLAG_STALE;

      if (counted) {
        ryw.keyReads++;
        mr.keyReads++;
        cp.keyReads++;
        stale.keyReads++;
        stale.eligible++;
        if (keyFlags & FLAG_RYW) ryw.violations++;
        if (keyFlags & FLAG_MR) mr.violations++;
        if (keyFlags & FLAG_CP) cp.violations++;
        if (keyFlags & FLAG_STALE) stale.violations++;
      }
      flags |= keyFlags;
    }
    if (counted) {
      if (flags & FLAG_RYW) ryw.violatingReads++;
      if (flags & FLAG_MR) mr.violatingReads++;
      if (flags & FLAG_CP) cp.violatingReads++;
      if (flags & FLAG_STALE) stale.violatingReads++;
    }
    tables.reserve(session, count);
    for (let i = 0; i < count; i++) tables.raise(tables.slot(session, keys[i]!), SEEN, returned[i]!);
    for (let i = 0; i < count; i++) this.require(session, pasts[i] ?? null);
    return flags;
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
