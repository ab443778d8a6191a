/** A growable FIFO of numbers in a typed array: push at the tail, shift at the head, no allocation in steady state. */
export class NumberRing {
  private items: Float64Array;
  private head = 0;
  private count = 0;

  constructor(capacity = 16) {
    this.items = new Float64Array(capacity);
  }

  get length(): number {
    return this.count;
  }

  push(value: number): void {
    if (this.count === this.items.length) this.grow();
    this.items[(this.head + this.count) & (this.items.length - 1)] = value;
    this.count++;
  }

  /** The i-th item from the head (0 = head); i < length. */
  at(i: number): number {
    return this.items[(this.head + i) & (this.items.length - 1)]!;
  }

  shift(): number {
    const value = this.items[this.head]!;
    this.head = (this.head + 1) & (this.items.length - 1);
    this.count--;
    return value;
  }

  clear(): void {
    this.head = 0;
    this.count = 0;
  }

  private grow(): void {
    // Capacity stays a power of two so that wrapping is a mask.
    const next = new Float64Array(this.items.length * 2);
    for (let i = 0; i < this.count; i++) next[i] = this.at(i);
    this.items = next;
    this.head = 0;
  }
}
