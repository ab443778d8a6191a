import type { Balancer, ClusterView, PositionView } from '../routing.js';
import type { CandidateFilter } from './candidates.js';

/** Uniformly random among the candidates. */
export class RandomBalancer implements Balancer {
  constructor(
    private readonly cluster: ClusterView,
    private readonly filter: CandidateFilter,
  ) {}

  pick(shard: number, minPosition: number, positions: PositionView | null): number {
    const n = this.filter.fill(shard, minPosition, positions);
    if (n === 0) return this.cluster.leaderOf(shard);
    return this.filter.scratch[Math.floor(this.cluster.routingStream() * n)]!;
  }

  sent(): void {}
  replied(): void {}
}
