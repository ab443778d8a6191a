import type { Balancer, ClusterView, PositionView } from '../routing.js';
import type { CandidateFilter } from './candidates.js';

/** Each shard's candidates in turn. */
export class RoundRobinBalancer implements Balancer {
  private readonly next: number[];

  constructor(
    private readonly cluster: ClusterView,
    private readonly filter: CandidateFilter,
  ) {
    this.next = new Array<number>(cluster.shardCount).fill(0);
  }

  pick(shard: number, minPosition: number, positions: PositionView | null): number {
    const n = this.filter.fill(shard, minPosition, positions);
    if (n === 0) return this.cluster.leaderOf(shard);
    const turn = this.next[shard]!;
    this.next[shard] = turn + 1;
    return this.filter.scratch[turn % n]!;
  }

  sent(): void {}
  replied(): void {}
}
