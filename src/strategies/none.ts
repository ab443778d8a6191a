import { z } from 'zod';
import type { ClusterView } from '../model/routing.js';
import { BalancedRouting, type StrategyEntry } from './base.js';
import { BalancedRealRouting, type RealNodesView, type RealClock } from './real.js';

export const noneOptions = z.strictObject({});
export type NoneOptions = z.output<typeof noneOptions>;

/** `none`: every read goes where the balancer sends it. */
export class NoneRealRouting extends BalancedRealRouting {
  override readonly name = 'none';
}

export const none = {
  name: 'none',
  summary: 'every read goes where the balancer sends it',
  guarantee: 'none: ryw, monotonic reads and consistent prefix can all break',
  cost: 'none: the leader serves reads only when the balancer has no replica',
  options: noneOptions,
  create: (_options: NoneOptions, cluster: ClusterView) => new BalancedRouting(cluster),
  createReal: (_options: NoneOptions, nodes: RealNodesView, clock: RealClock) => new NoneRealRouting(nodes, clock),
} satisfies StrategyEntry<'none', typeof noneOptions>;
