/**
 * The least work a simulated operation can cost: one pop and one push on a binary min-heap of
 * (time, sequence) pairs held in typed arrays. lagsim's operations per second are reported as a
 * share of this heap's pop+push per second at the queue size lagsim itself reaches.
 *
 * The increments come from a precomputed table of exponential draws (mean 100 ms in µs, rounded),
 * so the measurement is the heap and nothing else: no random generator, no allocation.
 */
export class BareHeap {
  private readonly timesUs: Float64Array;
  private readonly sequences: Float64Array;
  private count = 0;
  private nextSequence = 0;

  constructor(capacity: number) {
    this.timesUs = new Float64Array(capacity);
    this.sequences = new Float64Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  push(timeUs: number): void {
    const times = this.timesUs;
    const sequences = this.sequences;
    const sequence = this.nextSequence++;
    let i = this.count++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent]!;
      if (pt < timeUs || (pt === timeUs && sequences[parent]! < sequence)) break;
      times[i] = pt;
      sequences[i] = sequences[parent]!;
      i = parent;
    }
    times[i] = timeUs;
    sequences[i] = sequence;
  }

  /** Removes the earliest pair; returns its time. */
  pop(): number {
    const times = this.timesUs;
    const sequences = this.sequences;
    const top = times[0]!;
    const last = --this.count;
    if (last === 0) return top;
    const t = times[last]!;
    const s = sequences[last]!;
    let i = 0;
    const half = last >> 1;
    while (i < half) {
      let child = 2 * i + 1;
      const right = child + 1;
      if (right < last && (times[right]! < times[child]! || (times[right] === times[child] && sequences[right]! < sequences[child]!))) {
        child = right;
      }
      const ct = times[child]!;
      if (t < ct || (t === ct && s < sequences[child]!)) break;
      times[i] = ct;
      sequences[i] = sequences[child]!;
      i = child;
    }
    times[i] = t;
    sequences[i] = s;
    return top;
  }
}

export interface HeapMeasurement {
  queueSize: number;
  iterations: number;
  wallMs: number;
  /** CPU time (user + system) of the timed loop. */
  cpuMs: number;
  popPushPerSecond: number;
  /** Sum of popped times, printed so the loop cannot be optimised away. */
  checksum: number;
}

const TABLE_SIZE = 1 << 16;

/** xorshift32: a fixed table of increments, the same on every machine. */
function incrementTable(meanUs: number): Float64Array {
  const table = new Float64Array(TABLE_SIZE);
  let x = 2463534242;
  for (let i = 0; i < TABLE_SIZE; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const u = ((x >>> 0) + 0.5) / 4294967296;
    table[i] = Math.floor(-meanUs * Math.log(u) + 0.5);
  }
  return table;
}

/** Fills a heap with `queueSize` events, warms up, then times `iterations` pop+push pairs. */
export function measureHeap(queueSize: number, iterations: number, meanIncrementUs = 100_000): HeapMeasurement {
  const heap = new BareHeap(queueSize + 1);
  const table = incrementTable(meanIncrementUs);
  for (let i = 0; i < queueSize; i++) heap.push(table[i & (TABLE_SIZE - 1)]!);
  let checksum = 0;
  const loop = (n: number, offset: number): void => {
    for (let i = 0; i < n; i++) {
      const t = heap.pop();
      checksum += t;
      heap.push(t + table[(i + offset) & (TABLE_SIZE - 1)]!);
    }
  };
  loop(Math.min(iterations, 1_000_000), 7);
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  loop(iterations, 11);
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return { queueSize, iterations, wallMs, cpuMs, popPushPerSecond: iterations / (wallMs / 1000), checksum };
}
