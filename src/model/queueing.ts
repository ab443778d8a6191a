/**
 * Per-node queueing apart from service (issue 18, capacity planning): how long requests wait for a
 * service slot, how many wait on average, and how often a request waits at all. Requests count when
 * their service starts in the measured window [warmup, end); the queue length is integrated over
 * the measured window [warmup, end].
 */
export interface QueueStats {
  /** Requests whose service started in the measured window. */
  started: number;
  /** Of those, requests that found every slot busy and waited in the FIFO. */
  waited: number;
  /** Time-average number of requests waiting (not in service) over the measured window. */
  meanQueueLength: number;
}

export class NodeQueueing {
  private readonly started: Float64Array;
  private readonly waited: Float64Array;
  private readonly areaUs: Float64Array;
  private readonly length: Int32Array;
  private readonly changedUs: Float64Array;

  constructor(
    nodeCount: number,
    private readonly warmupUs: number,
    private readonly endUs: number,
  ) {
    this.started = new Float64Array(nodeCount);
    this.waited = new Float64Array(nodeCount);
    this.areaUs = new Float64Array(nodeCount);
    this.length = new Int32Array(nodeCount);
    this.changedUs = new Float64Array(nodeCount);
  }

  /** The queue of `node` grows (+1) or shrinks (−1) at nowUs. */
  change(node: number, nowUs: number, delta: 1 | -1): void {
    this.accumulate(node, nowUs);
    this.length[node]! += delta;
  }

  /** A request's service starts at nowUs after waiting waitUs (0 when a slot was free). */
  serviceStarted(node: number, nowUs: number, waited: boolean): void {
    if (nowUs < this.warmupUs || nowUs >= this.endUs) return;
    this.started[node]!++;
    if (waited) this.waited[node]!++;
  }

  /** Service starts and waits of `node` so far in the measured window (cumulative: batch means read them). */
  startedSoFar(node: number): number {
    return this.started[node]!;
  }

  waitedSoFar(node: number): number {
    return this.waited[node]!;
  }

  /** Every node's counts, the queue integrated up to the end of the measured window. */
  stats(): QueueStats[] {
    const out: QueueStats[] = [];
    const spanUs = this.endUs - this.warmupUs;
    for (let node = 0; node < this.started.length; node++) {
      this.accumulate(node, this.endUs);
      out.push({ started: this.started[node]!, waited: this.waited[node]!, meanQueueLength: spanUs > 0 ? this.areaUs[node]! / spanUs : 0 });
    }
    return out;
  }

  /** Adds length × time since the last change, within [warmup, end] (operations drain after the end). */
  private accumulate(node: number, atUs: number): void {
    const nowUs = Math.min(atUs, this.endUs);
    const fromUs = Math.max(this.changedUs[node]!, this.warmupUs);
    if (nowUs > fromUs) this.areaUs[node]! += this.length[node]! * (nowUs - fromUs);
    if (nowUs > this.changedUs[node]!) this.changedUs[node] = nowUs;
  }
}
