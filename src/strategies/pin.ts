import { z } from 'zod';
import { Duration } from '../model/fields.js';
import type { Operation } from '../model/operation.js';
import { OpKind } from '../model/operation.js';
import type { ClusterView } from '../model/routing.js';
import { BalancedRouting, SessionSlots, type StrategyEntry } from './base.js';
import { BalancedRealRouting, LEADER, type RealNodesView, type RealRead, type RealClock } from './real.js';
import type { Session } from '../model/session.js';

export const pinOptions = z.strictObject({
  window: Duration.prefault('2s').describe('how long after a write the session reads from the leaders, from the write\'s t1 (default 2s)'),
  scope: z
    .enum(['session', 'request'])
    .default('session')
    .describe('session: a cookie for `window` (Rails); request: only the next operation, if a read (Laravel sticky; window ignored)'),
});
/** `window` in µs, counted from the write's acknowledgement (t1). */
export type PinOptions = z.output<typeof pinOptions>;

/**
 * After a write, read from the leaders: for `window` after the write's t1 (a cookie, as Rails'
 * database selector does), or only for the next operation if it is a read (Laravel's `sticky`).
 */
class PinRouting extends BalancedRouting {
  override readonly name = 'pin';
  /** Per session: [pinned until (µs), pin the next operation (1/0)]. */
  private readonly slots: SessionSlots;

  constructor(
    cluster: ClusterView,
    private readonly options: PinOptions,
  ) {
    super(cluster);
    this.slots = new SessionSlots(2, cluster.sessionCount, 0);
  }

  override onSessionStart(session: number): void {
    this.slots.reset(session);
    this.slots.values[2 * session] = -Infinity;
  }

  override onOperationStart(session: number, op: Operation): void {
    const values = this.slots.values;
    if (this.options.scope === 'request') {
      op.strategyFlag = values[2 * session + 1] === 1 && op.kind === OpKind.Read;
      values[2 * session + 1] = 0;
    } else {
      op.strategyFlag = op.startUs < values[2 * session]!;
    }
  }

  override route(session: number, op: Operation, part: number): number {
    if (op.strategyFlag) return this.cluster.leaderOf(op.partShard(part));
    return super.route(session, op, part);
  }

  override onWriteAcked(session: number, op: Operation): void {
    this.slots.values[2 * session] = op.endUs + this.options.window;
    this.slots.values[2 * session + 1] = 1;
  }
}

/**
 * `pin`: after a write, the session's reads go to the primary for `window` from the write's
 * acknowledgement (scope session, a cookie), or only the next operation if it is a read (scope request).
 */
export class PinRealRouting extends BalancedRealRouting {
  override readonly name = 'pin';
  private readonly pinnedUntilUs: Float64Array;
  private readonly pinNext: Uint8Array;
  private readonly pinnedNow: Uint8Array;

  constructor(
    nodes: RealNodesView,
    clock: RealClock,
    private readonly options: PinOptions,
  ) {
    super(nodes, clock);
    this.pinnedUntilUs = new Float64Array(nodes.sessionCount).fill(-Infinity);
    this.pinNext = new Uint8Array(nodes.sessionCount);
    this.pinnedNow = new Uint8Array(nodes.sessionCount);
  }

  override onOperationStart(session: Session, write: boolean, startUs: number): void {
    const s = session.index;
    if (this.options.scope === 'request') {
      this.pinnedNow[s] = this.pinNext[s] === 1 && !write ? 1 : 0;
      this.pinNext[s] = 0;
    } else {
      this.pinnedNow[s] = startUs < this.pinnedUntilUs[s]! ? 1 : 0;
    }
  }

  protected override pick(op: RealRead): number {
    return this.pinnedNow[op.session.index] === 1 ? LEADER : super.pick(op);
  }

  override onWriteAcked(session: Session, endUs: number): void {
    this.pinnedUntilUs[session.index] = endUs + this.options.window;
    this.pinNext[session.index] = 1;
  }
}

export const pin = {
  name: 'pin',
  summary: 'after a write, read from the leaders for a window',
  guarantee: 'read-your-writes when the window exceeds the replicas’ maximum lag',
  cost: 'leader reads for every session that wrote within the window',
  options: pinOptions,
  create: (options: PinOptions, cluster: ClusterView) => new PinRouting(cluster, options),
  createReal: (options: PinOptions, nodes: RealNodesView, clock: RealClock) => new PinRealRouting(nodes, clock, options),
} satisfies StrategyEntry<'pin', typeof pinOptions>;
