import { LEADER, type NodeRead, type RealNodes } from './nodes.js';
import type { Session } from '../model/session.js';

/** One read operation of a real run, filled in by the strategy that serves it. */
export class RealRead {
  /** Returned version per key, null for absent. */
  readonly versions: (number | null)[];
  /** Node that served each key (-1 until one did). */
  readonly servedBy: number[];
  attempts = 0;
  redirects = 0;
  /** Attempts re-sent to the primary because a replica's statement failed. */
  retries = 0;
  waits = 0;
  waitUs = 0;
  failed = false;

  constructor(
    readonly session: Session,
    readonly keys: readonly string[],
    readonly startUs: number,
  ) {
    this.versions = keys.map(() => null);
    this.servedBy = keys.map(() => -1);
  }
}

/** Where a read (or part of one) was served, and what that node returned. */
export interface Served {
  node: number;
  result: NodeRead;
}

export function allKeys(op: RealRead): number[] {
  return op.keys.map((_, i) => i);
}

/**
 * A read-routing strategy run for real (scenario.md "Strategies"): the same decisions as the
 * simulator's strategy of that name, taken with real queries.
 */
export interface RealRouting {
  readonly name: string;
  /** Writes must fetch the primary's WAL position after their commit returns (token). */
  readonly needsCommitLsn: boolean;
  onOperationStart(session: Session, write: boolean, startUs: number): void;
  read(op: RealRead): Promise<void>;
  /** A write was acknowledged at endUs; commitLsn is set when needsCommitLsn. */
  onWriteAcked(session: Session, endUs: number, commitLsn: number | null): void;
  /** Background work (position polls) stops. */
  stop(): Promise<void>;
}

/**
 * Every read goes where the balancer sends it (strategy `none`); a replica whose statement fails (a
 * recovery conflict, a lost connection) is replaced by the primary, like a rejected attempt in the
 * simulator; a failure on the primary fails the read. Subclasses change only what they need.
 */
export class BalancedRealRouting implements RealRouting {
  readonly name: string = 'none';
  readonly needsCommitLsn: boolean = false;

  constructor(
    protected readonly nodes: RealNodes,
    protected readonly clock: { nowUs(): number },
  ) {}

  onOperationStart(_session: Session, _write: boolean, _startUs: number): void {}

  onWriteAcked(_session: Session, _endUs: number, _commitLsn: number | null): void {}

  async stop(): Promise<void> {}

  async read(op: RealRead): Promise<void> {
    await this.readAll(op, this.pick(op));
  }

  protected pick(_op: RealRead): number {
    return this.nodes.balancer.pick(0, 0, null);
  }

  /** Reads every key on `node`, falling back to the primary when a replica fails; null when the read failed. */
  protected async readAll(op: RealRead, node: number, withLsn = false): Promise<Served | null> {
    const all = allKeys(op);
    const result = await this.attempt(op, node, all, withLsn);
    if (result !== null) return { node, result };
    if (node === LEADER) {
      op.failed = true;
      return null;
    }
    return this.redirectToLeader(op, all, withLsn, true);
  }

  /**
   * One more attempt, on the primary: a redirect (a replica that cannot serve the read), or with
   * `retry` a retry (a replica whose statement failed); null, with the read failed, when that fails too.
   */
  protected async redirectToLeader(op: RealRead, indices: readonly number[], withLsn: boolean, retry = false): Promise<Served | null> {
    if (retry) op.retries++;
    else op.redirects++;
    const result = await this.attempt(op, LEADER, indices, withLsn);
    if (result === null) {
      op.failed = true;
      return null;
    }
    return { node: LEADER, result };
  }

  /** One attempt: reads keys `indices` of op on `node` and records what it returned; null on failure. */
  protected async attempt(op: RealRead, node: number, indices: readonly number[], withLsn: boolean, counted = true): Promise<NodeRead | null> {
    if (counted) op.attempts++;
    const balancer = this.nodes.balancer;
    balancer.sent(node);
    try {
      const result = await this.nodes.read(node, indices.map((i) => op.keys[i]!), withLsn);
      for (const i of indices) {
        op.versions[i] = result.versions.get(op.keys[i]!) ?? null;
        op.servedBy[i] = node;
      }
      return result;
    } catch {
      return null;
    } finally {
      balancer.replied(node);
    }
  }
}
