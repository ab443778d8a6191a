/** "No state": below ABSENT (-1), which is a real observation (the key read as absent). */
export const NONE = -2;
/** Slot layout: key, W(k), M(k), Req(k) side by side (16 bytes), so that one probe touches one cache line. */
const STRIDE = 4;
/** Versions are log positions; the table keeps them as 32-bit integers. */
export const MAX_VERSION = 0x7fffffff;
export const WRITTEN = 1;
export const SEEN = 2;
export const REQUIRED = 3;

/**
 * Cells are stored biased so that a zeroed array is an empty table: a key cell holds key + 1 (0 =
 * empty slot), a version cell version − NONE (0 = no state). A new typed array is zeroed already,
 * so growing the table allocates and never fills. The bias wraps in int32 and is undone with the
 * same wrap, so every version from NONE to MAX_VERSION round-trips exactly.
 */
const EMPTY_CELL = 0;
const NO_STATE_CELL = 0;
const encodeVersion = (version: number): number => (version - NONE) | 0;
const decodeVersion = (cell: number): number => (cell + NONE) | 0;

/** A version to store in the 32-bit table; a shard log past 2^31 − 1 entries is refused, not wrapped. */
function checkedVersion(version: number): number {
  if (version > MAX_VERSION) throw new RangeError(`checker: version ${version} is beyond 2^31 - 1 log positions`);
  return version;
}

/**
 * One session's per-key state — W(k) written, M(k) seen, Req(k) required (semantics.md section 3) —
 * in one open-addressing table (linear probing, multiplicative hashing) over one Int32Array, so
 * that one probe finds all three and nothing is allocated per key. 16 bytes a slot: a key with only
 * M(k) (a read-mostly session) costs about what one key/value table would, a key with two facts
 * less. A slot is an offset into the cells; `version(slot, WRITTEN)` etc. read its state, NONE
 * where the session has none. Keys are non-negative integers (interned key ids).
 */
export class SessionKeyTable {
  private cells: Int32Array;
  size = 0;
  private capacity: number;
  private shift: number;

  constructor(capacity = 8) {
    this.capacity = capacity;
    this.shift = 32 - Math.log2(capacity);
    this.cells = new Int32Array(capacity * STRIDE);
  }

  private home(key: number): number {
    return (Math.imul(key, 0x9e3779b1) >>> this.shift) * STRIDE;
  }

  /** Slot of `key`, or -1. */
  find(key: number): number {
    const cells = this.cells;
    const wrap = cells.length - 1;
    const stored = key + 1;
    for (let i = this.home(key); ; i = (i + STRIDE) & wrap) {
      const k = cells[i]!;
      if (k === stored) return i;
      if (k === EMPTY_CELL) return -1;
    }
  }

  /** Slot of `key`, added with no state if absent; `reserve` first so that no growth moves slots. */
  slot(key: number): number {
    const cells = this.cells;
    const wrap = cells.length - 1;
    const stored = key + 1;
    for (let i = this.home(key); ; i = (i + STRIDE) & wrap) {
      const k = cells[i]!;
      if (k === stored) return i;
      if (k === EMPTY_CELL) {
        cells[i] = stored;
        this.size++;
        return i;
      }
    }
  }

  /** The slot's W(k), M(k) or Req(k) (`field` WRITTEN, SEEN or REQUIRED), NONE if it has none. */
  version(slot: number, field: number): number {
    return decodeVersion(this.cells[slot + field]!);
  }

  /** Raises the slot's `field` to `version` if that is higher (W, M and Req only ever grow). */
  raise(slot: number, field: number, version: number): void {
    const at = slot + field;
    if (version > decodeVersion(this.cells[at]!)) this.cells[at] = encodeVersion(checkedVersion(version));
  }

  /** Makes room for `extra` more keys at a load factor of at most 3/4. */
  reserve(extra: number): void {
    if ((this.size + extra) * 4 <= this.capacity * 3) return;
    let capacity = this.capacity * 2;
    while ((this.size + extra) * 4 > capacity * 3) capacity *= 2;
    const old = this.cells;
    this.capacity = capacity;
    this.shift = 32 - Math.log2(capacity);
    this.cells = new Int32Array(capacity * STRIDE);
    this.size = 0;
    const cells = this.cells;
    for (let i = 0; i < old.length; i += STRIDE) {
      if (old[i] === EMPTY_CELL) continue;
      const j = this.slot(old[i]! - 1);
      cells[j + WRITTEN] = old[i + WRITTEN]!;
      cells[j + SEEN] = old[i + SEEN]!;
      cells[j + REQUIRED] = old[i + REQUIRED]!;
    }
  }

  /** Removes `key` (backward-shift deletion keeps every probe chain unbroken). */
  delete(key: number): void {
    let hole = this.find(key);
    if (hole < 0) return;
    const cells = this.cells;
    const wrap = cells.length - 1;
    for (let i = (hole + STRIDE) & wrap; cells[i] !== EMPTY_CELL; i = (i + STRIDE) & wrap) {
      const home = this.home(cells[i]! - 1);
      // Move slot i into the hole unless its home lies cyclically in (hole, i].
      const stays = hole < i ? home > hole && home <= i : home > hole || home <= i;
      if (!stays) {
        cells.copyWithin(hole, i, i + STRIDE);
        hole = i;
      }
    }
    cells.fill(EMPTY_CELL, hole, hole + STRIDE);
    this.size--;
  }

  /** Bytes held by the table (for memory accounting). */
  get bytes(): number {
    return this.cells.byteLength;
  }

  /** Entries of state (written, seen and required counted apart), for memory accounting. */
  get entries(): number {
    let n = 0;
    const cells = this.cells;
    for (let i = 0; i < cells.length; i += STRIDE) {
      if (cells[i] === EMPTY_CELL) continue;
      if (cells[i + WRITTEN] !== NO_STATE_CELL) n++;
      if (cells[i + SEEN] !== NO_STATE_CELL) n++;
      if (cells[i + REQUIRED] !== NO_STATE_CELL) n++;
    }
    return n;
  }
}
