/**
 * The real-cluster side of the strategies (`lagsim real`, docs/postgres.md): what a strategy sees of
 * a PostgreSQL primary and its replicas, one read in progress, and the base every strategy's real
 * hooks extend. Platform-neutral like the rest of src/strategies: the PostgreSQL adapter
 * (src/real/nodes.ts) implements RealNodesView.
 */
import type { Balancer } from '../model/routing.js';
import type { Session } from '../model/session.js';

/** Node index of the primary; replicas are 1..N in the order given. */
export const LEADER = 0;

/** What one read statement on one node returned. */
export interface NodeRead {
  /** Versions of the keys that have a row there (a missing key is absent). */
  versions: Map<string, number>;
  /** With LSNs: the node's position just before the read's snapshot (replay LSN on a replica, insert LSN on the primary). */
  lsnBefore: number | null;
  /** With LSNs: its position just after the snapshot, which covers everything the read saw. */
  lsnAfter: number | null;
}

/** The real cluster as a strategy's real hooks use it (src/real/nodes.ts implements it). */
export interface RealNodesView {
  /** The scenario's balancer, over the real nodes. */
  readonly balancer: Balancer;
  readonly sessionCount: number;
  /** Primary and replicas. */
  readonly nodeCount: number;
  /** Reads `keys` on `node` in one statement; with LSNs, the node's positions around its snapshot. */
  read(node: number, keys: readonly string[], withLsn: boolean): Promise<NodeRead>;
  /** The node's position now: the primary's insert LSN, a replica's replay LSN. */
  position(node: number): Promise<number>;
  /** The replicas (one shard). */
  replicasOf(): readonly number[];
  nodeName(node: number): string;
}

/**
 * Wall-clock time as the real hooks see it (src/real/clock.ts gives it): the strategies themselves
 * touch no timer, so that the determinism lint holds for all of src/strategies.
 */
export interface RealClock {
  nowUs(): number;
  /** Resolves after about `us` microseconds (polling loops, where precision matters less). */
  pause(us: number): Promise<void>;
}

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
    protected readonly nodes: RealNodesView,
    protected readonly clock: RealClock,
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
