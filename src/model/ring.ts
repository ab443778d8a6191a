/**
 * A growable FIFO of rows of `width` numbers in one typed array: append at the tail, shift at the
 * head, no allocation in steady state. A row's fields sit side by side, so enqueueing or dequeueing
 * a row touches one place instead of `width` parallel queues.
 */
export class NumberRing {
  private cells: Float64Array;
  /** Capacity in rows − 1 (the capacity stays a power of two, so wrapping is a mask). */
  private mask: number;
  private head = 0;
  private count = 0;

  /** `capacity`: rows to start with, a power of two. */
  constructor(
    capacity = 16,
    private readonly width = 1,
  ) {
    this.cells = new Float64Array(capacity * width);
    this.mask = capacity - 1;
  }

  get length(): number {
    return this.count;
  }

  /** Adds a row at the tail, its fields to be set with `set(length − 1, …)`. */
  append(): void {
    if (this.count > this.mask) this.grow();
    this.count++;
  }

  /** Field `field` of the i-th row from the head (0 = head); i < length. */
  get(i: number, field: number): number {
    return this.cells[((this.head + i) & this.mask) * this.width + field]!;
  }

  set(i: number, field: number, value: number): void {
    this.cells[((this.head + i) & this.mask) * this.width + field] = value;
  }

  /** Removes the head row; returns its first field. */
  shift(): number {
    const value = this.get(0, 0);
    this.head = (this.head + 1) & this.mask;
    this.count--;
    return value;
  }

  /** Keeps the `count` rows nearest the head. */
  truncate(count: number): void {
    this.count = Math.min(count, this.count);
  }

  private grow(): void {
    const width = this.width;
    const capacity = (this.mask + 1) * 2;
    const cells = new Float64Array(capacity * width);
    // The rows from the head to the end of the old array, then those wrapped to its start.
    const old = this.cells;
    const headAt = this.head * width;
    const tail = Math.min(this.count * width, old.length - headAt);
    cells.set(old.subarray(headAt, headAt + tail));
    cells.set(old.subarray(0, this.count * width - tail), tail);
    this.cells = cells;
    this.mask = capacity - 1;
    this.head = 0;
  }
}
