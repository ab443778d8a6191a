const EMPTY = -1;

/**
 * A map from non-negative integer keys to numbers in two typed arrays (open addressing, linear
 * probing, backward-shift deletion): about 12 bytes an entry instead of a Map's ~40, and no object
 * per entry for the garbage collector. The checker keeps one per session and kind of fact.
 */
export class IntMap {
  private keys: Int32Array;
  private values: Float64Array;
  private count = 0;
  private mask: number;

  constructor(capacity = 8) {
    let size = 8;
    while (size < capacity * 2) size *= 2;
    this.keys = new Int32Array(size).fill(EMPTY);
    this.values = new Float64Array(size);
    this.mask = size - 1;
  }

  get size(): number {
    return this.count;
  }

  /** Bytes held by the table (for memory accounting). */
  get bytes(): number {
    return this.keys.byteLength + this.values.byteLength;
  }

  has(key: number): boolean {
    return this.slot(key) >= 0;
  }

  /** The value of `key`, or `missing` when absent. */
  get(key: number, missing: number): number {
    const slot = this.slot(key);
    return slot >= 0 ? this.values[slot]! : missing;
  }

  set(key: number, value: number): void {
    let i = this.hash(key);
    const keys = this.keys;
    for (;;) {
      const k = keys[i]!;
      if (k === key) {
        this.values[i] = value;
        return;
      }
      if (k === EMPTY) break;
      i = (i + 1) & this.mask;
    }
    keys[i] = key;
    this.values[i] = value;
    if (++this.count * 2 > keys.length) this.grow();
  }

  /** Sets key to max(current, value); absent counts as below every value. */
  raise(key: number, value: number): void {
    const slot = this.slot(key);
    if (slot < 0) this.set(key, value);
    else if (value > this.values[slot]!) this.values[slot] = value;
  }

  delete(key: number): void {
    let i = this.slot(key);
    if (i < 0) return;
    const keys = this.keys;
    const values = this.values;
    const mask = this.mask;
    // Backward-shift deletion keeps every probe sequence unbroken without tombstones.
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const k = keys[j]!;
      if (k === EMPTY) break;
      const home = this.hash(k);
      const between = i <= j ? home > i && home <= j : home > i || home <= j;
      if (between) continue;
      keys[i] = k;
      values[i] = values[j]!;
      i = j;
    }
    keys[i] = EMPTY;
    this.count--;
  }

  private slot(key: number): number {
    let i = this.hash(key);
    const keys = this.keys;
    for (;;) {
      const k = keys[i]!;
      if (k === key) return i;
      if (k === EMPTY) return -1;
      i = (i + 1) & this.mask;
    }
  }

  private hash(key: number): number {
    // Fibonacci hashing spreads consecutive ids over the table.
    return Math.imul(key, 0x9e3779b1) >>> 0 & this.mask;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldValues = this.values;
    this.keys = new Int32Array(oldKeys.length * 2).fill(EMPTY);
    this.values = new Float64Array(oldKeys.length * 2);
    this.mask = this.keys.length - 1;
    this.count = 0;
    for (let i = 0; i < oldKeys.length; i++) if (oldKeys[i] !== EMPTY) this.set(oldKeys[i]!, oldValues[i]!);
  }
}
