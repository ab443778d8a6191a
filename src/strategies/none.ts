import { z } from 'zod';
import type { ClusterView } from '../model/routing.js';
import { BalancedRouting, type StrategyEntry } from './base.js';

export const noneOptions = z.strictObject({});
export type NoneOptions = z.output<typeof noneOptions>;

export const none = {
  name: 'none',
  summary: 'every read goes where the balancer sends it',
  guarantee: 'none: ryw, monotonic reads and consistent prefix can all break',
  cost: 'none: the leader serves reads only when the balancer has no replica',
  options: noneOptions,
  create: (_options: NoneOptions, cluster: ClusterView) => new BalancedRouting(cluster),
} satisfies StrategyEntry<'none', typeof noneOptions>;
