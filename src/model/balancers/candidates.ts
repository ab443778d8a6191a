import type { ClusterView, PositionView } from '../routing.js';

/**
 * The replicas a balancer may choose from: up, not over `maxLag` as last polled (ProxySQL's
 * max_replication_lag), and covering `minPosition` in the given view. Reuses one scratch array.
 */
export class CandidateFilter {
  readonly scratch: number[] = [];

  constructor(
    private readonly cluster: ClusterView,
    private readonly maxLagUs: number | null,
    /** Replica lag by node as last polled. */
    private readonly polledLagUs: Float64Array,
    /** When set, only nodes marked 1 may serve reads (balancer.readFrom: sync). */
    private readonly readable: Uint8Array | null = null,
  ) {}

  fill(shard: number, minPosition: number, positions: PositionView | null): number {
    const out = this.scratch;
    let n = 0;
    for (const node of this.cluster.replicasOf(shard)) {
      if (!this.cluster.isUp(node)) continue;
      if (this.readable !== null && this.readable[node] !== 1) continue;
      if (this.maxLagUs !== null && this.polledLagUs[node]! > this.maxLagUs) continue;
      if (positions !== null && positions.knownPosition(node) < minPosition) continue;
      out[n++] = node;
    }
    return n;
  }
}
