import { z } from 'zod';
import type { ClusterView } from '../model/routing.js';
import { ABSENT } from '../model/keys.js';
import { NO_NODE } from '../model/routing.js';
import { PartStatus, type Operation } from '../model/operation.js';
import { BalancedRouting, type StrategyEntry } from './base.js';

export const fallbackOptions = z.strictObject({});
export type FallbackOptions = z.output<typeof fallbackOptions>;

/**
 * A read that finds a key absent on a replica re-reads it on the leader. It rescues inserts only:
 * an update not yet applied returns the old row, which looks fine to the application.
 */
class FallbackRouting extends BalancedRouting {
  override readonly name = 'fallback';

  override onReply(session: number, op: Operation, part: number): number {
    if (op.partStatus(part) === PartStatus.Rejected) return super.onReply(session, op, part);
    const node = op.partNode(part);
    if (this.cluster.isLeader(node)) return NO_NODE;
    const shard = op.partShard(part);
    let missing = false;
    for (let i = 0; i < op.keyCount; i++) {
      if (op.keyShards[i] === shard && op.servedBy[i] === node && op.returned[i] === ABSENT) {
        op.needAgain(i);
        missing = true;
      }
    }
    return missing ? this.cluster.leaderOf(shard) : NO_NODE;
  }
}

export const fallback = {
  name: 'fallback',
  summary: 'a read that finds a key absent on a replica re-reads it on the leader',
  guarantee: 'read-your-writes for inserts only (an update not yet applied returns the old row)',
  cost: 'one more round trip and a leader read per missing key',
  options: fallbackOptions,
  create: (_options: FallbackOptions, cluster: ClusterView) => new FallbackRouting(cluster),
} satisfies StrategyEntry<'fallback', typeof fallbackOptions>;
