import { z } from 'zod';
import type { ClusterView } from '../model/routing.js';
import { ABSENT } from '../model/keys.js';
import { NO_NODE } from '../model/routing.js';
import { PartStatus, type Operation } from '../model/operation.js';
import { BalancedRouting, type StrategyEntry } from './base.js';
import { BalancedRealRouting, LEADER, type RealRead, type RealNodesView, type RealClock } from './real.js';

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

/**
 * `fallback`: keys a replica returns as absent are re-read on the primary (one more round trip).
 * It rescues inserts only: an update the replica has not applied yet returns the old row.
 */
export class FallbackRealRouting extends BalancedRealRouting {
  override readonly name = 'fallback';

  override async read(op: RealRead): Promise<void> {
    const node = this.pick(op);
    const result = await this.readAll(op, node);
    if (result === null) return;
    const missing: number[] = [];
    op.versions.forEach((version, i) => {
      if (version === null && op.servedBy[i] !== LEADER) missing.push(i);
    });
    if (missing.length === 0) return;
    await this.redirectToLeader(op, missing, false);
  }
}

export const fallback = {
  name: 'fallback',
  summary: 'a read that finds a key absent on a replica re-reads it on the leader',
  guarantee: 'read-your-writes for inserts only (an update not yet applied returns the old row)',
  cost: 'one more round trip and a leader read per missing key',
  options: fallbackOptions,
  create: (_options: FallbackOptions, cluster: ClusterView) => new FallbackRouting(cluster),
  createReal: (_options: FallbackOptions, nodes: RealNodesView, clock: RealClock) => new FallbackRealRouting(nodes, clock),
} satisfies StrategyEntry<'fallback', typeof fallbackOptions>;
