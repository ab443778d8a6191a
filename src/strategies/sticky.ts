import { z } from 'zod';
import { countUpTo, Duration, whenPresent } from '../model/fields.js';
import { messages } from '../text/messages.js';
import { fnv1a32 } from '../model/hash.js';
import type { Operation } from '../model/operation.js';
import type { ClusterView } from '../model/routing.js';
import { BalancedRouting, SessionSlots, type StrategyEntry } from './base.js';
import { BalancedRealRouting, LEADER, type RealNodesView, type RealRead, type RealClock } from './real.js';
import type { Session } from '../model/session.js';

/** Ring points per node and shard at most (each node's points are built before the run). */
export const MAX_VNODES = 1_000;

const PinAfterWrite = z
  .union([Duration, z.literal(false), z.literal('off'), z.null()], { error: whenPresent(messages.expectedPinAfterWrite) })
  .transform((v) => (typeof v === 'number' ? v : null));

export const stickyOptions = z.strictObject({
  vnodes: countUpTo(MAX_VNODES, 'points per node').default(100).describe('points per node on the consistent-hash ring (default 100)'),
  pinAfterWrite: PinAfterWrite.default(null).describe('a window on the leader after a write (a duration), or off (default off)'),
});
/** `pinAfterWrite` in µs on the leader after a write; null = off. */
export type StickyOptions = z.output<typeof stickyOptions>;

interface Ring {
  points: Uint32Array;
  nodes: Int32Array;
}

/**
 * Each session reads a shard from the node a consistent-hash ring gives it: `vnodes` points per
 * replica at fnv1a32("<node>#<i>"), the session at fnv1a32("session-<id>"), the first point
 * clockwise, skipping nodes that are down. The balancer and maxLag are ignored.
 */
class StickyRouting extends BalancedRouting {
  override readonly name = 'sticky';
  private readonly rings: Ring[] = [];
  /** Per session: [ring point of "session-<id>", pinned until (µs)]. */
  private readonly slots: SessionSlots;

  constructor(
    cluster: ClusterView,
    private readonly options: StickyOptions,
  ) {
    super(cluster);
    for (let shard = 0; shard < cluster.shardCount; shard++) {
      const points: { hash: number; node: number; name: string }[] = [];
      for (const node of cluster.replicasOf(shard)) {
        const name = cluster.nodeName(node);
        for (let i = 0; i < options.vnodes; i++) points.push({ hash: fnv1a32(`${name}#${i}`), node, name });
      }
      // Equal hashes are ordered by node name, so the ring never depends on array order.
      points.sort((x, y) => x.hash - y.hash || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
      this.rings.push({ points: Uint32Array.from(points, (p) => p.hash), nodes: Int32Array.from(points, (p) => p.node) });
    }
    this.slots = new SessionSlots(2, cluster.sessionCount, -Infinity);
  }

  override onSessionStart(session: number, sessionId: number): void {
    this.slots.reset(session);
    this.slots.values[2 * session] = fnv1a32(`session-${sessionId}`);
  }

  override onOperationStart(session: number, op: Operation): void {
    op.strategyFlag = this.options.pinAfterWrite !== null && op.startUs < this.slots.values[2 * session + 1]!;
  }

  override route(session: number, op: Operation, part: number): number {
    const shard = op.partShard(part);
    if (op.strategyFlag) return this.cluster.leaderOf(shard);
    const { points, nodes } = this.rings[shard]!;
    const n = points.length;
    if (n === 0) return this.cluster.leaderOf(shard);
    const hash = this.slots.values[2 * session]!;
    let low = 0;
    let high = n;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (points[mid]! < hash) low = mid + 1;
      else high = mid;
    }
    for (let step = 0; step < n; step++) {
      const node = nodes[(low + step) % n]!;
      if (this.cluster.isUp(node)) return node;
    }
    return this.cluster.leaderOf(shard);
  }

  override onWriteAcked(session: number, op: Operation): void {
    if (this.options.pinAfterWrite !== null) this.slots.values[2 * session + 1] = op.endUs + this.options.pinAfterWrite;
  }
}

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
    nodes: RealNodesView,
    clock: RealClock,
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

export const sticky = {
  name: 'sticky',
  summary: 'each session reads from the node a consistent-hash ring gives it',
  guarantee: 'monotonic reads while its replica stays up (not read-your-writes; pinAfterWrite can break monotonic reads)',
  cost: 'uneven replica load; users move when a replica fails',
  options: stickyOptions,
  create: (options: StickyOptions, cluster: ClusterView) => new StickyRouting(cluster, options),
  createReal: (options: StickyOptions, nodes: RealNodesView, clock: RealClock) => new StickyRealRouting(nodes, clock, options),
} satisfies StrategyEntry<'sticky', typeof stickyOptions>;
