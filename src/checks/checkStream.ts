import type { Past } from '../model/keys.js';
import type { ConsistencyChecker } from './consistencyChecker.js';
import type { CountMarks } from './countMarks.js';

/**
 * A ConsistencyChecker's inputs as a stream of numbers, so that they can be held and applied later,
 * a batch at a time: in this thread (CheckQueue) or on another (src/run/checkThread.ts), where the
 * batch is a shared buffer and no object can follow it. Entries, each past written out in full
 * (`len` numbers: a Past's flat key, version pairs; −1 for none):
 *
 *   READ session count counted (key returned leader len past…)×count
 *   WRITE session key version len past…
 *   FORGET session key
 *   RESET session
 *   MARK row            (the counts as they stand here go to row `row` of the CountMarks)
 *   kind length …       (kind ≥ EXTENDED: an entry of `length` cells in all that a StreamExtension
 *                        applies, e.g. the history's: src/report/historyStream.ts)
 */
const READ = 0;
const WRITE = 1;
const FORGET = 2;
const RESET = 3;
const MARK = 4;
/** The first kind of an extension's entries. */
export const EXTENDED = 16;
const NO_PAST = -1;

/** Applies the entries of kinds ≥ EXTENDED (`cells[at]` its kind, `cells[at + 1]` its length in cells). */
export interface StreamExtension {
  apply(cells: Float64Array, at: number, checker: ConsistencyChecker, scratch: CheckScratch): void;
}

/** Where full batches go: takes cells [0, length) and gives back an array of at least `need` cells to write the next batch into. */
export interface CheckBatchSink {
  take(cells: Float64Array, length: number, need: number): Float64Array;
}

/** The checker's inputs a run holds instead of applying them as they come (pipeline.ts): CheckQueue, or a check thread. */
export interface HeldChecks {
  read(session: number, count: number, keys: readonly number[], returned: readonly number[], pasts: readonly (Past | null)[], leaderVersions: readonly number[], counted: boolean): void;
  recordWrite(session: number, key: number, version: number, past: Past | null): void;
  forget(session: number, key: number): void;
  resetSession(session: number): void;
  /** The counts as they stand after everything before go to row `row` of the run's CountMarks, once applied. */
  mark(row: number): void;
  /** Applies every entry held: afterwards the checker's counts are those of every entry applied when it came. */
  drain(): void;
  /** The run is over (or failed): whatever the holder took is given back. */
  close(): void;
}

/** Cells a past takes in the stream. */
export const pastCells = (past: Past | null): number => (past === null ? 1 : 1 + past.length);

/** Writes entries into batches of cells; a full batch goes to the sink. Nothing is allocated per entry. */
export class CheckStreamWriter {
  private top = 0;

  constructor(
    private readonly sink: CheckBatchSink,
    private cells: Float64Array,
  ) {}

  read(session: number, count: number, keys: readonly number[], returned: readonly number[], pasts: readonly (Past | null)[], leaderVersions: readonly number[], counted: boolean): void {
    let need = 4 + count * 3;
    for (let i = 0; i < count; i++) need += pastCells(pasts[i] ?? null);
    const cells = this.room(need);
    let at = this.top;
    cells[at++] = READ;
    cells[at++] = session;
    cells[at++] = count;
    cells[at++] = counted ? 1 : 0;
    for (let i = 0; i < count; i++) {
      cells[at++] = keys[i]!;
      cells[at++] = returned[i]!;
      cells[at++] = leaderVersions[i]!;
      at = writePast(cells, at, pasts[i] ?? null);
    }
    this.top = at;
  }

  recordWrite(session: number, key: number, version: number, past: Past | null): void {
    const cells = this.room(4 + pastCells(past));
    let at = this.top;
    cells[at++] = WRITE;
    cells[at++] = session;
    cells[at++] = key;
    cells[at++] = version;
    this.top = writePast(cells, at, past);
  }

  forget(session: number, key: number): void {
    const cells = this.room(3);
    cells[this.top++] = FORGET;
    cells[this.top++] = session;
    cells[this.top++] = key;
  }

  resetSession(session: number): void {
    const cells = this.room(2);
    cells[this.top++] = RESET;
    cells[this.top++] = session;
  }

  mark(row: number): void {
    const cells = this.room(2);
    cells[this.top++] = MARK;
    cells[this.top++] = row;
  }

  /** Room for an entry of `need` cells, to be written from `position` on and ended with `end`. */
  begin(need: number): Float64Array {
    return this.room(need);
  }

  get position(): number {
    return this.top;
  }

  /** The entry begun ends before cell `at`. */
  end(at: number): void {
    this.top = at;
  }

  /** Writes on into `cells` from its start (what was held has been handed over). */
  restart(cells: Float64Array): void {
    if (this.top !== 0) throw new Error('CheckStreamWriter.restart with entries held');
    this.cells = cells;
  }

  /** Hands what is held to the sink, if anything. */
  flush(): void {
    if (this.top === 0) return;
    this.cells = this.sink.take(this.cells, this.top, 0);
    this.top = 0;
  }

  /** The cells to write an entry of `need` cells into at `top`. */
  private room(need: number): Float64Array {
    if (this.top + need > this.cells.length) {
      this.cells = this.sink.take(this.cells, this.top, need);
      this.top = 0;
    }
    return this.cells;
  }
}

/** Writes a past at `at` (its length, then its numbers; NO_PAST for none); returns the cell after it. */
export function writePast(cells: Float64Array, at: number, past: Past | null): number {
  if (past === null) {
    cells[at] = NO_PAST;
    return at + 1;
  }
  cells[at++] = past.length;
  for (let i = 0; i < past.length; i++) cells[at++] = past[i]!;
  return at;
}

/** A holder whose entries go through a CheckStreamWriter to its own `take` (CheckQueue, the check thread). */
export abstract class StreamedChecks implements HeldChecks, CheckBatchSink {
  /** Set by the subclass's constructor, once it has its first cells. */
  protected writer!: CheckStreamWriter;

  read(session: number, count: number, keys: readonly number[], returned: readonly number[], pasts: readonly (Past | null)[], leaderVersions: readonly number[], counted: boolean): void {
    this.writer.read(session, count, keys, returned, pasts, leaderVersions, counted);
  }

  recordWrite(session: number, key: number, version: number, past: Past | null): void {
    this.writer.recordWrite(session, key, version, past);
  }

  forget(session: number, key: number): void {
    this.writer.forget(session, key);
  }

  resetSession(session: number): void {
    this.writer.resetSession(session);
  }

  mark(row: number): void {
    this.writer.mark(row);
  }

  abstract take(cells: Float64Array, length: number, need: number): Float64Array;
  abstract drain(): void;
  abstract close(): void;
}

/** One read's columns, and pasts read back out of cells, reused from batch to batch. */
export class CheckScratch {
  keys: number[] = [];
  returned: number[] = [];
  leaders: number[] = [];
  pasts: (Past | null)[] = [];
  private readonly pastRows: number[][] = [];

  /** Reads the past at `at` into row `row` (or null); returns the cell after it. */
  readPast(cells: Float64Array, at: number, row: number): number {
    const length = cells[at++]!;
    if (length === NO_PAST) {
      this.pasts[row] = null;
      return at;
    }
    const past = (this.pastRows[row] ??= []);
    past.length = length;
    for (let i = 0; i < length; i++) past[i] = cells[at + i]!;
    this.pasts[row] = past;
    return at + length;
  }
}

/** The cell after the past at `at`. */
const skipPast = (cells: Float64Array, at: number): number => {
  const length = cells[at]!;
  return length === NO_PAST ? at + 1 : at + 1 + length;
};

/**
 * Applies cells [0, length) to the checker, in order; returns the first pass's loads, summed. A
 * first pass loads the line each key-read's probe starts on — independent loads, which the
 * processor keeps in flight together — and the second does the checks on lines already in cache
 * (docs/performance.md, "Round two, seventh stop").
 */
export function applyCheckCells(
  checker: ConsistencyChecker,
  marks: CountMarks,
  cells: Float64Array,
  length: number,
  scratch: CheckScratch,
  extension?: StreamExtension,
): number {
  let touched = 0;
  for (let at = 0; at < length; ) {
    const kind = cells[at]!;
    const session = cells[at + 1]!;
    if (kind >= EXTENDED) {
      at += cells[at + 1]!;
    } else if (kind === READ) {
      const count = cells[at + 2]!;
      at += 4;
      for (let i = 0; i < count; i++) {
        touched += checker.touch(session, cells[at]!);
        at = skipPast(cells, at + 3);
      }
    } else if (kind === WRITE) {
      touched += checker.touch(session, cells[at + 2]!);
      at = skipPast(cells, at + 4);
    } else {
      at += kind === FORGET ? 3 : 2;
    }
  }
  const { keys, returned, leaders } = scratch;
  for (let at = 0; at < length; ) {
    const kind = cells[at]!;
    const session = cells[at + 1]!;
    if (kind >= EXTENDED) {
      if (extension === undefined) throw new Error(`applyCheckCells: entry of kind ${kind} and no extension to apply it`);
      extension.apply(cells, at, checker, scratch);
      at += cells[at + 1]!;
    } else if (kind === READ) {
      const count = cells[at + 2]!;
      const counted = cells[at + 3] === 1;
      at += 4;
      for (let i = 0; i < count; i++) {
        keys[i] = cells[at]!;
        returned[i] = cells[at + 1]!;
        leaders[i] = cells[at + 2]!;
        at = scratch.readPast(cells, at + 3, i);
      }
      checker.checkRead(session, count, keys, returned, scratch.pasts, leaders, counted);
    } else if (kind === WRITE) {
      const key = cells[at + 2]!;
      const version = cells[at + 3]!;
      at = scratch.readPast(cells, at + 4, 0);
      checker.recordWrite(session, key, version, scratch.pasts[0] ?? null);
    } else if (kind === FORGET) {
      checker.forget(session, cells[at + 2]!);
      at += 3;
    } else if (kind === RESET) {
      checker.resetSession(session);
      at += 2;
    } else {
      marks.record(cells[at + 1]!, checker.counts);
      at += 2;
    }
  }
  return touched;
}
