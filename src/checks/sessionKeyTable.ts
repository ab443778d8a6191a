/** "No state": below ABSENT (-1), which is a real observation (the key read as absent). */
export const NONE = -2;
const EMPTY = -1;
/** Slot layout: key, W(k), M(k), Req(k) side by side (16 bytes), so that one probe touches one cache line. */
const STRIDE = 4;
/** Versions are log positions; the table keeps them as 32-bit integers. */
export const MAX_VERSION = 0x7fffffff;
export const WRITTEN = 1;
export const SEEN = 2;
export const REQUIRED = 3;

/**
 * One session's per-key state — W(k) written, M(k) seen, Req(k) required (semantics.md section 3) —
 * in one open-addressing table (linear probing, multiplicative hashing) over one Int32Array, so
 * that one probe finds all three and nothing is allocated per key. 16 bytes a slot: a key with only
 * M(k) (a read-mostly session) costs about what one key/value table would, a key with two facts less. A slot is an offset into `cells`:
 * `cells[slot]` is the key, `cells[slot + WRITTEN]` etc. its state, NONE where the session has none.
 * Keys are non-negative integers (interned key ids).
 */
export class SessionKeyTable {
  cells: Int32Array;
  size = 0;
  private capacity: number;
  private shift: number;

  constructor(capacity = 8) {
    this.capacity = capacity;
    this.shift = 32 - Math.log2(capacity);
    this.cells = SessionKeyTable.emptyCells(capacity);
  }

  private static emptyCells(capacity: number): Int32Array {
    const cells = new Int32Array(capacity * STRIDE).fill(NONE);
    for (let i = 0; i < cells.length; i += STRIDE) cells[i] = EMPTY;
    return cells;
  }

  private home(key: number): number {
    return (Math.imul(key, 0x9e3779b1) >>> this.shift) * STRIDE;
  }

  /** Slot of `key`, or -1. */
  find(key: number): number {
    const cells = this.cells;
    const wrap = cells.length - 1;
    for (let i = this.home(key); ; i = (i + STRIDE) & wrap) {
      const k = cells[i]!;
      if (k === key) return i;
      if (k === EMPTY) return -1;
    }
  }

  /** Slot of `key`, added with no state if absent; `reserve` first so that no growth moves slots. */
  slot(key: number): number {
    const cells = this.cells;
    const wrap = cells.length - 1;
    for (let i = this.home(key); ; i = (i + STRIDE) & wrap) {
      const k = cells[i]!;
      if (k === key) return i;
      if (k === EMPTY) {
        cells[i] = key;
        this.size++;
        return i;
      }
    }
  }

  /** Makes room for `extra` more keys at a load factor of at most 3/4. */
  reserve(extra: number): void {
    if ((this.size + extra) * 4 <= this.capacity * 3) return;
    let capacity = this.capacity * 2;
    while ((this.size + extra) * 4 > capacity * 3) capacity *= 2;
    const old = this.cells;
    this.capacity = capacity;
    this.shift = 32 - Math.log2(capacity);
    this.cells = SessionKeyTable.emptyCells(capacity);
    this.size = 0;
    for (let i = 0; i < old.length; i += STRIDE) {
      if (old[i] === EMPTY) continue;
      const j = this.slot(old[i]!);
      this.cells[j + WRITTEN] = old[i + WRITTEN]!;
      this.cells[j + SEEN] = old[i + SEEN]!;
      this.cells[j + REQUIRED] = old[i + REQUIRED]!;
    }
  }

  /** Removes `key` (backward-shift deletion keeps every probe chain unbroken). */
  delete(key: number): void {
    let hole = this.find(key);
    if (hole < 0) return;
    const cells = this.cells;
    const wrap = cells.length - 1;
    for (let i = (hole + STRIDE) & wrap; cells[i] !== EMPTY; i = (i + STRIDE) & wrap) {
      const home = this.home(cells[i]!);
      // Move slot i into the hole unless its home lies cyclically in (hole, i].
      const stays = hole < i ? home > hole && home <= i : home > hole || home <= i;
      if (!stays) {
        cells.copyWithin(hole, i, i + STRIDE);
        hole = i;
      }
    }
    cells.fill(NONE, hole, hole + STRIDE);
    cells[hole] = EMPTY;
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
      if (cells[i] === EMPTY) continue;
      if (cells[i + WRITTEN] !== NONE) n++;
      if (cells[i + SEEN] !== NONE) n++;
      if (cells[i + REQUIRED] !== NONE) n++;
    }
    return n;
  }
}
