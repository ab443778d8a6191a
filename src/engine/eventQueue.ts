/**
 * A binary min-heap of events keyed by (time, phase, insertion sequence), stored in typed arrays so
 * that scheduling and popping allocate nothing. An event is three integers the owner interprets
 * (`kind`, `a`, `b`); the queue itself has no idea what they mean.
 *
 * Ordering: earlier time first; at one instant, lower phase first; then insertion sequence. Never
 * array position or object identity, so the order is the same whatever the heap's shape.
 */
const PHASE_SPAN = 2 ** 40; // sequence numbers below 2^40 leave room for 8 phases below 2^53

export class EventQueue {
  private timeUs: Float64Array;
  private order: Float64Array; // phase * 2^40 + sequence
  private kinds: Int32Array;
  private as: Int32Array;
  private bs: Int32Array;
  private count = 0;
  private sequence = 0;
  /**
   * The front slot: an event that precedes everything in the heap, held outside it. An event
   * scheduled for "next" (a zero-latency hop, a reply at the same instant) is then handed over
   * without a sift up and a sift down. Pop order is unchanged: the front is always the minimum.
   */
  private hasFront = false;
  private frontTimeUs = 0;
  private frontOrder = 0;
  private frontKind = 0;
  private frontA = 0;
  private frontB = 0;

  constructor(initialCapacity = 1024) {
    this.timeUs = new Float64Array(initialCapacity);
    this.order = new Float64Array(initialCapacity);
    this.kinds = new Int32Array(initialCapacity);
    this.as = new Int32Array(initialCapacity);
    this.bs = new Int32Array(initialCapacity);
  }

  get size(): number {
    return this.hasFront ? this.count + 1 : this.count;
  }

  /** Events ever scheduled: a measure of work done. */
  get scheduled(): number {
    return this.sequence;
  }

  push(timeUs: number, phase: number, kind: number, a: number, b: number): void {
    const order = phase * PHASE_SPAN + this.sequence++;
    if (this.hasFront) {
      const ft = this.frontTimeUs;
      if (timeUs > ft || (timeUs === ft && order > this.frontOrder)) return this.heapPush(timeUs, order, kind, a, b);
      // The new event goes first: the old front joins the heap, of which it is still the minimum.
      this.heapPush(ft, this.frontOrder, this.frontKind, this.frontA, this.frontB);
    } else if (this.count > 0) {
      const ht = this.timeUs[0]!;
      if (timeUs > ht || (timeUs === ht && order > this.order[0]!)) return this.heapPush(timeUs, order, kind, a, b);
    }
    this.hasFront = true;
    this.frontTimeUs = timeUs;
    this.frontOrder = order;
    this.frontKind = kind;
    this.frontA = a;
    this.frontB = b;
  }

  private heapPush(timeUs: number, order: number, kind: number, a: number, b: number): void {
    if (this.count === this.timeUs.length) this.grow();
    // Sift up: move parents down until the slot for the new event is found.
    let i = this.count++;
    const times = this.timeUs;
    const orders = this.order;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent]!;
      if (pt < timeUs || (pt === timeUs && orders[parent]! < order)) break;
      this.move(parent, i);
      i = parent;
    }
    times[i] = timeUs;
    orders[i] = order;
    this.kinds[i] = kind;
    this.as[i] = a;
    this.bs[i] = b;
  }

  /** Time of the next event; only valid when size > 0. */
  peekTime(): number {
    return this.hasFront ? this.frontTimeUs : this.timeUs[0]!;
  }

  /**
   * Removes the next event and leaves its fields in `popped*` (read them before the next pop), so
   * that popping returns nothing that needs allocating.
   */
  pop(): void {
    if (this.hasFront) {
      this.hasFront = false;
      this.poppedTimeUs = this.frontTimeUs;
      this.poppedPhase = Math.floor(this.frontOrder / PHASE_SPAN);
      this.poppedKind = this.frontKind;
      this.poppedA = this.frontA;
      this.poppedB = this.frontB;
      return;
    }
    const times = this.timeUs;
    const orders = this.order;
    this.poppedTimeUs = times[0]!;
    this.poppedPhase = Math.floor(orders[0]! / PHASE_SPAN);
    this.poppedKind = this.kinds[0]!;
    this.poppedA = this.as[0]!;
    this.poppedB = this.bs[0]!;
    const last = --this.count;
    if (last === 0) return;
    const t = times[last]!;
    const o = orders[last]!;
    const k = this.kinds[last]!;
    const a = this.as[last]!;
    const b = this.bs[last]!;
    // Sift down the former last event from the root.
    let i = 0;
    const half = last >> 1;
    while (i < half) {
      let child = 2 * i + 1;
      const right = child + 1;
      if (
        right < last &&
        (times[right]! < times[child]! || (times[right] === times[child] && orders[right]! < orders[child]!))
      ) {
        child = right;
      }
      const ct = times[child]!;
      if (t < ct || (t === ct && o < orders[child]!)) break;
      this.move(child, i);
      i = child;
    }
    times[i] = t;
    orders[i] = o;
    this.kinds[i] = k;
    this.as[i] = a;
    this.bs[i] = b;
  }

  poppedTimeUs = 0;
  poppedPhase = 0;
  poppedKind = 0;
  poppedA = 0;
  poppedB = 0;

  private move(from: number, to: number): void {
    this.timeUs[to] = this.timeUs[from]!;
    this.order[to] = this.order[from]!;
    this.kinds[to] = this.kinds[from]!;
    this.as[to] = this.as[from]!;
    this.bs[to] = this.bs[from]!;
  }

  private grow(): void {
    const capacity = this.timeUs.length * 2;
    const grow64 = (old: Float64Array): Float64Array => {
      const next = new Float64Array(capacity);
      next.set(old);
      return next;
    };
    const grow32 = (old: Int32Array): Int32Array => {
      const next = new Int32Array(capacity);
      next.set(old);
      return next;
    };
    this.timeUs = grow64(this.timeUs);
    this.order = grow64(this.order);
    this.kinds = grow32(this.kinds);
    this.as = grow32(this.as);
    this.bs = grow32(this.bs);
  }
}
