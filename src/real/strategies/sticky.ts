import { fnv1a32 } from '../../model/hash.js';
import type { StickyOptions } from '../../strategies/sticky.js';
import { LEADER, type RealNodes } from '../nodes.js';
import { BalancedRealRouting, type RealRead } from '../routing.js';
import type { Session } from '../../model/session.js';

/**
 * `sticky`: each session reads from the replica a consistent-hash ring gives it (`vnodes` points per
 * replica at fnv1a32("<node>#<i>"), the session at fnv1a32("session-<id>"), the first point
 * clockwise), as the simulator's sticky does; with pinAfterWrite, from the primary for that long
 * after a write. The balancer and maxLag are ignored.
 */
export class StickyRealRouting extends BalancedRealRouting {
  override readonly name = 'sticky';
  private readonly points: Uint32Array;
  private readonly owners: Int32Array;
  private readonly pinnedUntilUs: Float64Array;
  private readonly pinnedNow: Uint8Array;

  constructor(
    nodes: RealNodes,
    clock: { nowUs(): number },
    private readonly options: StickyOptions,
  ) {
    super(nodes, clock);
    const points: { hash: number; node: number; name: string }[] = [];
    for (const node of nodes.replicasOf()) {
      const name = nodes.nodeName(node);
      for (let i = 0; i < options.vnodes; i++) points.push({ hash: fnv1a32(`${name}#${i}`), node, name });
    }
    points.sort((x, y) => x.hash - y.hash || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
    this.points = Uint32Array.from(points, (p) => p.hash);
    this.owners = Int32Array.from(points, (p) => p.node);
    this.pinnedUntilUs = new Float64Array(nodes.sessionCount).fill(-Infinity);
    this.pinnedNow = new Uint8Array(nodes.sessionCount);
  }

  override onOperationStart(session: Session, _write: boolean, startUs: number): void {
    this.pinnedNow[session.index] = this.options.pinAfterWrite !== null && startUs < this.pinnedUntilUs[session.index]! ? 1 : 0;
  }

  protected override pick(op: RealRead): number {
    if (this.pinnedNow[op.session.index] === 1 || this.points.length === 0) return LEADER;
    const hash = fnv1a32(`session-${op.session.id}`);
    let low = 0;
    let high = this.points.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.points[mid]! < hash) low = mid + 1;
      else high = mid;
    }
    return this.owners[low % this.points.length]!;
  }

  override onWriteAcked(session: Session, endUs: number): void {
    if (this.options.pinAfterWrite !== null) this.pinnedUntilUs[session.index] = endUs + this.options.pinAfterWrite;
  }
}
