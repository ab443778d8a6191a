import type { Balancer, ClusterView, PositionView } from '../routing.js';
import type { CandidateFilter } from './candidates.js';

/** The candidate with the fewest read attempts sent and not yet answered; ties broken at random. */
export class LeastOutstandingBalancer implements Balancer {
  private readonly outstanding: Int32Array;

  constructor(
    private readonly cluster: ClusterView,
    private readonly filter: CandidateFilter,
    nodeCount: number,
  ) {
    this.outstanding = new Int32Array(nodeCount);
  }

  pick(shard: number, minPosition: number, positions: PositionView | null): number {
    const n = this.filter.fill(shard, minPosition, positions);
    if (n === 0) return this.cluster.leaderOf(shard);
    const scratch = this.filter.scratch;
    let best = Infinity;
    let ties = 0;
    for (let i = 0; i < n; i++) {
      const load = this.outstanding[scratch[i]!]!;
      if (load < best) {
        best = load;
        ties = 0;
      }
      if (load === best) scratch[ties++] = scratch[i]!;
    }
    return ties === 1 ? scratch[0]! : scratch[Math.floor(this.cluster.routingStream() * ties)]!;
  }

  sent(node: number): void {
    this.outstanding[node]!++;
  }

  replied(node: number): void {
    this.outstanding[node]!--;
  }
}
