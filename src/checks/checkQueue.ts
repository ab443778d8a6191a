import type { Past } from '../model/keys.js';
import type { ConsistencyChecker } from './consistencyChecker.js';

const READ = 0;
const WRITE = 1;
const FORGET = 2;
const RESET = 3;

/** Key-reads and writes held before they are applied (about 6 KB of entries; 64 and 4,096 measured alike, docs/performance.md). */
export const CHECK_QUEUE_KEYS = 512;

/**
 * A ConsistencyChecker's inputs, held in a fixed-size queue and applied in the order they came, a
 * batch at a time. Each key-read probes its session's table, a cache line last touched thousands
 * of operations ago; applied one by one, as operations complete, those misses come one after the
 * other, each behind the rest of an operation's work. Applied in a batch, a first pass loads every
 * entry's probe line (independent loads, which the processor keeps in flight together) and the
 * second does the work on lines already in cache (docs/performance.md, "Round two, seventh stop").
 *
 * Only for a run that reads no read's flags while it runs (no history, no reactions, nobody
 * watching operations): flags come out of `drain`, not out of `read`. Whoever reads the checker's
 * counts or state must `drain` first; then everything is as if each entry had been applied when
 * it came. Nothing is allocated per entry.
 */
export class CheckQueue {
  /** Entries: READ session count counted (key returned leader)×count | WRITE session key version | FORGET session key | RESET session. */
  private readonly cells: Float64Array;
  private top = 0;
  /** Per key-read or write, its causal past (cells say which entry it belongs to by order). */
  private readonly pasts: (Past | null)[];
  private pastTop = 0;
  // One read's columns for checkRead, reused.
  private keys: number[] = [];
  private returned: number[] = [];
  private readPasts: (Past | null)[] = [];
  private leaders: number[] = [];
  /** The first pass's loads, kept so that they are not optimised away. */
  private touched = 0;

  constructor(
    private readonly checker: ConsistencyChecker,
    private readonly capacityKeys = CHECK_QUEUE_KEYS,
  ) {
    this.cells = new Float64Array(4 + capacityKeys * 3);
    this.pasts = new Array<Past | null>(capacityKeys).fill(null);
  }

  /** A completed, non-failed read (ConsistencyChecker.checkRead); its flags are not kept. */
  read(
    session: number,
    count: number,
    keys: readonly number[],
    returned: readonly number[],
    pasts: readonly (Past | null)[],
    leaderVersions: readonly number[],
    counted: boolean,
  ): void {
    if (count > this.capacityKeys) {
      this.drain();
      this.checker.checkRead(session, count, keys, returned, pasts, leaderVersions, counted);
      return;
    }
    if (this.top + 4 + count * 3 > this.cells.length || this.pastTop + count > this.pasts.length) this.drain();
    const cells = this.cells;
    let at = this.top;
    cells[at++] = READ;
    cells[at++] = session;
    cells[at++] = count;
    cells[at++] = counted ? 1 : 0;
    for (let i = 0; i < count; i++) {
      cells[at++] = keys[i]!;
      cells[at++] = returned[i]!;
      cells[at++] = leaderVersions[i]!;
      this.pasts[this.pastTop++] = pasts[i] ?? null;
    }
    this.top = at;
  }

  /** An acknowledged write (ConsistencyChecker.recordWrite), in its turn. */
  recordWrite(session: number, key: number, version: number, past: Past | null): void {
    if (this.top + 4 > this.cells.length || this.pastTop + 1 > this.pasts.length) this.drain();
    const cells = this.cells;
    cells[this.top++] = WRITE;
    cells[this.top++] = session;
    cells[this.top++] = key;
    cells[this.top++] = version;
    this.pasts[this.pastTop++] = past;
  }

  /** ConsistencyChecker.forget, in its turn. */
  forget(session: number, key: number): void {
    if (this.top + 3 > this.cells.length) this.drain();
    const cells = this.cells;
    cells[this.top++] = FORGET;
    cells[this.top++] = session;
    cells[this.top++] = key;
  }

  /** ConsistencyChecker.resetSession, in its turn. */
  resetSession(session: number): void {
    if (this.top + 2 > this.cells.length) this.drain();
    this.cells[this.top++] = RESET;
    this.cells[this.top++] = session;
  }

  /** Applies every entry held, in order: afterwards the checker's counts and state are up to date. */
  drain(): void {
    if (this.top === 0) return;
    const { cells, checker } = this;
    const end = this.top;
    let touched = 0;
    for (let at = 0; at < end; ) {
      const kind = cells[at]!;
      if (kind === READ) {
        const session = cells[at + 1]!;
        const count = cells[at + 2]!;
        for (let i = 0; i < count; i++) touched += checker.touch(session, cells[at + 4 + i * 3]!);
        at += 4 + count * 3;
      } else if (kind === WRITE) {
        touched += checker.touch(cells[at + 1]!, cells[at + 2]!);
        at += 4;
      } else {
        at += kind === FORGET ? 3 : 2;
      }
    }
    this.touched = touched;
    const { keys, returned, readPasts, leaders, pasts } = this;
    let past = 0;
    for (let at = 0; at < end; ) {
      const kind = cells[at]!;
      const session = cells[at + 1]!;
      if (kind === READ) {
        const count = cells[at + 2]!;
        for (let i = 0; i < count; i++) {
          keys[i] = cells[at + 4 + i * 3]!;
          returned[i] = cells[at + 5 + i * 3]!;
          leaders[i] = cells[at + 6 + i * 3]!;
          readPasts[i] = pasts[past + i] ?? null;
        }
        checker.checkRead(session, count, keys, returned, readPasts, leaders, cells[at + 3] === 1);
        past += count;
        at += 4 + count * 3;
      } else if (kind === WRITE) {
        checker.recordWrite(session, cells[at + 2]!, cells[at + 3]!, pasts[past++] ?? null);
        at += 4;
      } else if (kind === FORGET) {
        checker.forget(session, cells[at + 2]!);
        at += 3;
      } else {
        checker.resetSession(session);
        at += 2;
      }
    }
    // Let go of the pasts, which may be large.
    this.pasts.fill(null, 0, this.pastTop);
    this.top = 0;
    this.pastTop = 0;
  }

  /** The first pass's loads, summed (of no use; read by tests so that nothing is optimised away). */
  get touchedSum(): number {
    return this.touched;
  }
}
