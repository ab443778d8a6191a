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
 * Cells are stored biased so that zeroed cells are empty slots: a key cell holds key + 1 (0 =
 * empty slot), a version cell version − NONE (0 = no state). A new block is zero-filled and ready.
 * The bias wraps in int32 and is undone with the same wrap, so every version from NONE to
 * MAX_VERSION round-trips exactly.
 */
const EMPTY_CELL = 0;
const NO_STATE_CELL = 0;
const encodeVersion = (version: number): number => (version - NONE) | 0;
const decodeVersion = (cell: number): number => (cell + NONE) | 0;

/** A session's table when it first needs one (slots; a power of two). */
const INITIAL_CAPACITY = 8;
/** No block yet. */
const NO_BLOCK = -1;

/** A version to store in the 32-bit table; a shard log past 2^31 − 1 entries is refused, not wrapped. */
function checkedVersion(version: number): number {
  if (version > MAX_VERSION) throw new RangeError(`checker: version ${version} is beyond 2^31 - 1 log positions`);
  return version;
}

/**
 * Every session's per-key state — W(k) written, M(k) seen, Req(k) required (semantics.md section
 * 3) — one open-addressing table per session (linear probing, multiplicative hashing), so that one
 * probe finds all three and nothing is allocated per key. 16 bytes a slot: a key with only M(k) (a
 * read-mostly session) costs about what one key/value table would, a key with two facts less.
 *
 * Layout: the tables are blocks of one arena (an Int32Array); where each session's block is, its
 * capacity and its size are columns indexed by session. A key-read of a session last active
 * thousands of operations ago then misses the cache once, on the probed slot, instead of also on a
 * table object and a typed array's header; and growing a table allocates no typed array (each
 * costs microseconds). A table that grows moves to a new block at the top of the arena and leaves
 * its old block as garbage; once garbage exceeds a third of the live cells the live blocks slide
 * down over it (compaction), so the arena's used part stays within about 4/3 of the live tables
 * (the arena doubles when full; its untouched room above the top costs address space only).
 *
 * A slot is an absolute offset into the arena: `version(slot, WRITTEN)` etc. read its state, NONE
 * where the session has none. Slots move when any table grows (`reserve`): take them after it.
 * Sessions and keys are non-negative integers.
 */
export class SessionKeyTables {
  private cells: Int32Array;
  /** First cell above every block. */
  private top = 0;
  /** Cells below top in blocks no session uses any more. */
  private garbage = 0;
  /** Per session: first cell of its block, or NO_BLOCK. */
  private base = new Int32Array(16).fill(NO_BLOCK);
  /** Per session: 32 − log2(capacity), the hash shift. */
  private shift = new Int32Array(16);
  /** Per session: keys in its table. */
  private size = new Int32Array(16);

  /** `initialSlots`: the arena's first size (it grows as needed). */
  constructor(initialSlots = 1024) {
    this.cells = new Int32Array(initialSlots * STRIDE);
  }

  /** Keys in the session's table. */
  sizeOf(session: number): number {
    return session < this.size.length ? this.size[session]! : 0;
  }

  /** Slot of `key` in the session's table, or -1. */
  find(session: number, key: number): number {
    if (session >= this.base.length) return -1;
    const base = this.base[session]!;
    if (base === NO_BLOCK) return -1;
    const cells = this.cells;
    const shift = this.shift[session]!;
    const wrap = ((1 << (32 - shift)) * STRIDE - 1) | 0;
    const stored = key + 1;
    for (let i = (Math.imul(key, 0x9e3779b1) >>> shift) * STRIDE; ; i = (i + STRIDE) & wrap) {
      const k = cells[base + i]!;
      if (k === stored) return base + i;
      if (k === EMPTY_CELL) return -1;
    }
  }

  /**
   * Slot of `key`, added with no state if absent; `reserve` first (it makes room and may move slots).
   * Its probe loop repeats find's on purpose: a shared probe returning ~slot for a miss measured
   * ~15% slower end to end (7 alternating 30 s runs of the SimPy-equivalent model, medians 2.12 vs 1.80 s).
   */
  slot(session: number, key: number): number {
    const base = this.base[session]!;
    const cells = this.cells;
    const shift = this.shift[session]!;
    const wrap = ((1 << (32 - shift)) * STRIDE - 1) | 0;
    const stored = key + 1;
    for (let i = (Math.imul(key, 0x9e3779b1) >>> shift) * STRIDE; ; i = (i + STRIDE) & wrap) {
      const k = cells[base + i]!;
      if (k === stored) return base + i;
      if (k === EMPTY_CELL) {
        cells[base + i] = stored;
        this.size[session]!++;
        return base + i;
      }
    }
  }

  /**
   * The first cell `key`'s probe reads in the session's table (0 when the session has none): a load
   * whose value is of no use, made only to bring that cache line in ahead of `slot` (CheckQueue).
   */
  touch(session: number, key: number): number {
    if (session >= this.base.length) return 0;
    const base = this.base[session]!;
    if (base === NO_BLOCK) return 0;
    return this.cells[base + (Math.imul(key, 0x9e3779b1) >>> this.shift[session]!) * STRIDE]!;
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

  /** Makes room in the session's table for `extra` more keys at a load factor of at most 3/4. */
  reserve(session: number, extra: number): void {
    if (session >= this.base.length) this.growColumns(session);
    const base = this.base[session]!;
    const size = this.size[session]!;
    const capacity = base === NO_BLOCK ? 0 : 1 << (32 - this.shift[session]!);
    if ((size + extra) * 4 <= capacity * 3) return;
    let grown = Math.max(INITIAL_CAPACITY, capacity * 2);
    while ((size + extra) * 4 > grown * 3) grown *= 2;
    // The new block first: allocating may compact the arena, which moves the old block (still live).
    const at = this.allocate(grown * STRIDE);
    const old = this.base[session]!;
    this.base[session] = at;
    this.shift[session] = 32 - Math.log2(grown);
    this.size[session] = 0;
    if (old === NO_BLOCK) return;
    const cells = this.cells;
    for (let i = old; i < old + capacity * STRIDE; i += STRIDE) {
      if (cells[i] === EMPTY_CELL) continue;
      const j = this.slot(session, cells[i]! - 1);
      cells[j + WRITTEN] = cells[i + WRITTEN]!;
      cells[j + SEEN] = cells[i + SEEN]!;
      cells[j + REQUIRED] = cells[i + REQUIRED]!;
    }
    this.garbage += capacity * STRIDE;
  }

  /** Removes `key` from the session's table (backward-shift deletion keeps every probe chain unbroken). */
  delete(session: number, key: number): void {
    let hole = this.find(session, key);
    if (hole < 0) return;
    const base = this.base[session]!;
    const shift = this.shift[session]!;
    const wrap = ((1 << (32 - shift)) * STRIDE - 1) | 0;
    const cells = this.cells;
    hole -= base;
    for (let i = (hole + STRIDE) & wrap; cells[base + i] !== EMPTY_CELL; i = (i + STRIDE) & wrap) {
      const home = (Math.imul(cells[base + i]! - 1, 0x9e3779b1) >>> shift) * STRIDE;
      // Move slot i into the hole unless its home lies cyclically in (hole, i].
      const stays = hole < i ? home > hole && home <= i : home > hole || home <= i;
      if (!stays) {
        cells.copyWithin(base + hole, base + i, base + i + STRIDE);
        hole = i;
      }
    }
    cells.fill(EMPTY_CELL, base + hole, base + hole + STRIDE);
    this.size[session]!--;
  }

  /** Drops the session's whole table (a new session takes its number). */
  reset(session: number): void {
    if (session < this.base.length && this.base[session] !== NO_BLOCK) this.free(session);
  }

  /** Bytes of the sessions' tables (for memory accounting; the arena's used part holds up to 1/3 more, garbage). */
  get bytes(): number {
    let cells = 0;
    for (let s = 0; s < this.base.length; s++) if (this.base[s] !== NO_BLOCK) cells += (1 << (32 - this.shift[s]!)) * STRIDE;
    return cells * Int32Array.BYTES_PER_ELEMENT;
  }

  /** Entries of state (written, seen and required counted apart), for memory accounting. */
  get entries(): number {
    let n = 0;
    const cells = this.cells;
    for (let s = 0; s < this.base.length; s++) {
      const base = this.base[s]!;
      if (base === NO_BLOCK) continue;
      const end = base + (1 << (32 - this.shift[s]!)) * STRIDE;
      for (let i = base; i < end; i += STRIDE) {
        if (cells[i] === EMPTY_CELL) continue;
        if (cells[i + WRITTEN] !== NO_STATE_CELL) n++;
        if (cells[i + SEEN] !== NO_STATE_CELL) n++;
        if (cells[i + REQUIRED] !== NO_STATE_CELL) n++;
      }
    }
    return n;
  }

  private free(session: number): void {
    this.garbage += (1 << (32 - this.shift[session]!)) * STRIDE;
    this.base[session] = NO_BLOCK;
    this.size[session] = 0;
  }

  /**
   * A zeroed block of `length` cells at the top of the arena, compacting or growing it first if
   * needed. Every cell at or above `top` is kept zero (a new arena is zeroed; compaction zeroes what
   * it vacates), so a block needs no fill: the arena's pages above `top` are not even touched until
   * used, and an arena twice the size needed costs address space, not memory.
   */
  private allocate(length: number): number {
    // Garbage beyond a third of the live cells is reclaimed before anything grows.
    if (this.garbage * 3 > this.top - this.garbage) this.compact();
    if (this.top + length > this.cells.length) {
      const grown = new Int32Array(Math.max(this.top + length, this.cells.length * 2));
      grown.set(this.cells.subarray(0, this.top));
      this.cells = grown;
    }
    const at = this.top;
    this.top += length;
    return at;
  }

  /** Slides the live blocks down over the garbage, in address order (so no block overwrites another). */
  private compact(): void {
    const live: number[] = [];
    for (let s = 0; s < this.base.length; s++) if (this.base[s] !== NO_BLOCK) live.push(s);
    live.sort((x, y) => this.base[x]! - this.base[y]!);
    let top = 0;
    for (const s of live) {
      const base = this.base[s]!;
      const length = (1 << (32 - this.shift[s]!)) * STRIDE;
      if (base !== top) this.cells.copyWithin(top, base, base + length);
      this.base[s] = top;
      top += length;
    }
    this.cells.fill(EMPTY_CELL, top, this.top);
    this.top = top;
    this.garbage = 0;
  }

  private growColumns(session: number): void {
    const length = Math.max(session + 1, this.base.length * 2);
    const grow = (old: Int32Array<ArrayBuffer>, fill: number): Int32Array<ArrayBuffer> => {
      const next = new Int32Array(length).fill(fill);
      next.set(old);
      return next;
    };
    this.base = grow(this.base, NO_BLOCK);
    this.shift = grow(this.shift, 0);
    this.size = grow(this.size, 0);
  }
}
