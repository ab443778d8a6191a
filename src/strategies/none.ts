import { BalancedRouting, type StrategyEntry } from './base.js';

export type NoneOptions = Record<string, never>;

export const none: StrategyEntry<NoneOptions> = {
  name: 'none',
  summary: 'every read goes where the balancer sends it',
  guarantee: 'none: ryw, monotonic reads and consistent prefix can all break',
  cost: 'none: the leader serves reads only when the balancer has no replica',
  options: [],
  create: (_options, cluster) => new BalancedRouting(cluster),
};
