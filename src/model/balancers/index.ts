import type { BalancerPolicy } from '../spec.js';
import type { Balancer, ClusterView } from '../routing.js';
import { CandidateFilter } from './candidates.js';
import { LeastOutstandingBalancer } from './leastOutstanding.js';
import { RandomBalancer } from './random.js';
import { RoundRobinBalancer } from './roundRobin.js';
import { WeightedBalancer } from './weighted.js';

export interface BalancerContext {
  cluster: ClusterView;
  maxLagUs: number | null;
  polledLagUs: Float64Array;
  weights: Float64Array;
  nodeCount: number;
  /** Nodes that may serve reads (1), when the balancer reads from synchronous replicas only. */
  readable?: Uint8Array | null;
}

/** Balancer policies by name (scenario.md `balancer.policy`). */
export const balancers: Record<BalancerPolicy, { help: string; create(context: BalancerContext): Balancer }> = {
  random: {
    help: 'a uniformly random eligible replica',
    create: (c) => new RandomBalancer(c.cluster, new CandidateFilter(c.cluster, c.maxLagUs, c.polledLagUs, c.readable ?? null)),
  },
  'round-robin': {
    help: "each shard's eligible replicas in turn",
    create: (c) => new RoundRobinBalancer(c.cluster, new CandidateFilter(c.cluster, c.maxLagUs, c.polledLagUs, c.readable ?? null)),
  },
  'least-outstanding': {
    help: 'the eligible replica with the fewest unanswered reads (ties at random)',
    create: (c) =>
      new LeastOutstandingBalancer(c.cluster, new CandidateFilter(c.cluster, c.maxLagUs, c.polledLagUs, c.readable ?? null), c.nodeCount),
  },
  weighted: {
    help: "random in proportion to each replica group's `weight`",
    create: (c) =>
      new WeightedBalancer(c.cluster, new CandidateFilter(c.cluster, c.maxLagUs, c.polledLagUs, c.readable ?? null), c.weights),
  },
};
