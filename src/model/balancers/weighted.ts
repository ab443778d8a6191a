import type { Balancer, ClusterView, PositionView } from '../routing.js';
import type { CandidateFilter } from './candidates.js';

/** Random in proportion to each replica's `weight`; uniform when the candidates' weights sum to 0. */
export class WeightedBalancer implements Balancer {
  constructor(
    private readonly cluster: ClusterView,
    private readonly filter: CandidateFilter,
    private readonly weights: Float64Array,
  ) {}

  pick(shard: number, minPosition: number, positions: PositionView | null): number {
    const n = this.filter.fill(shard, minPosition, positions);
    if (n === 0) return this.cluster.leaderOf(shard);
    const scratch = this.filter.scratch;
    let total = 0;
    for (let i = 0; i < n; i++) total += this.weights[scratch[i]!]!;
    const u = this.cluster.routingStream();
    if (total <= 0) return scratch[Math.floor(u * n)]!;
    let target = u * total;
    for (let i = 0; i < n - 1; i++) {
      target -= this.weights[scratch[i]!]!;
      if (target < 0) return scratch[i]!;
    }
    return scratch[n - 1]!;
  }

  sent(): void {}
  replied(): void {}
}
