import { LEADER } from '../nodes.js';
import { BalancedRealRouting, type RealRead } from '../routing.js';

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
