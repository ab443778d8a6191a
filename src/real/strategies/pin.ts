import type { PinOptions } from '../../strategies/pin.js';
import type { RealNodes } from '../nodes.js';
import { LEADER } from '../nodes.js';
import { BalancedRealRouting, type RealRead } from '../routing.js';
import type { Session } from '../../model/session.js';

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
    nodes: RealNodes,
    clock: { nowUs(): number },
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
