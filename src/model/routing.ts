import type { Uniform } from '../engine/random.js';
import type { KeyTable } from './keys.js';
import type { Operation } from './operation.js';

/** No node can take the request. */
export const NO_NODE = -1;
/** `admit`: serve now. */
export const ADMIT = -1;
/** `admit`: the node cannot serve; the client goes elsewhere (a redirect, one more round trip). */
export const REJECT = -2;

/** What strategies and balancers may see of the cluster. */
export interface ClusterView {
  readonly shardCount: number;
  readonly sessionCount: number;
  readonly keys: KeyTable;
  readonly routingStream: Uniform;
  nowUs(): number;
  leaderOf(shard: number): number;
  /** Replica node indices of a shard, in scenario order. */
  replicasOf(shard: number): readonly number[];
  nodeName(node: number): string;
  isLeader(node: number): boolean;
  isUp(node: number): boolean;
  /** A replica's applied position now (live), or the leader's committed position. */
  appliedPosition(node: number): number;
  /** When a replica will have applied `position` (Infinity when not yet committed). */
  applyTimeUs(node: number, position: number): number;
  committedPosition(shard: number): number;
  /** A node's position as of the last position poll (see ReadRouting.positionPollUs). */
  polledPosition(node: number): number;
  /** The scenario's balancer (scenario.md `balancer`). */
  balancerFor(): Balancer;
}

/** Supplies each replica's position as a router knows it (live, or last polled). */
export interface PositionView {
  knownPosition(node: number): number;
}

/** Picks a node of a shard for one read attempt (scenario.md `balancer`). */
export interface Balancer {
  /**
   * A replica of `shard` that is up, within `maxLag` as last polled, and whose known position is at
   * least `minPosition` (when a view is given); the shard's leader when none qualifies.
   */
  pick(shard: number, minPosition: number, positions: PositionView | null): number;
  /** A read attempt was sent to / came back from a node (least-outstanding counts these). */
  sent(node: number): void;
  replied(node: number): void;
}

/**
 * A read-routing strategy (scenario.md "Strategies"). The simulator calls these hooks; a strategy
 * keeps its own per-session state in arrays indexed by session.
 */
export interface ReadRouting {
  readonly name: string;
  /** Whether writes must carry the writer's token (per-shard positions) for later readers. */
  readonly needsWriteTokens: boolean;
  /** How often the simulator polls every node's position for this strategy (null or 0: never). */
  readonly positionPollUs: number | null;
  /** The writer's token to store with a new version of `session`, when needsWriteTokens. */
  writerToken(session: number): Float64Array | null;
  /** A session slot starts a new session (open-loop arrivals reuse the slots of sessions that left). */
  onSessionStart(session: number, sessionId: number): void;
  onOperationStart(session: number, op: Operation): void;
  /** The node for the next attempt of `part` of `op` (attempt 0 is the first). */
  route(session: number, op: Operation, part: number): number;
  /** At the node, when the attempt arrives: ADMIT, REJECT, or a time to ask again (a wait). */
  admit(session: number, op: Operation, part: number, node: number, nowUs: number): number;
  /**
   * A reply of `part` arrived (status Replied or Rejected). Return NO_NODE to accept it, or the node
   * to re-read the part's keys still marked `needed` on (set `needed` for the keys to re-read).
   */
  onReply(session: number, op: Operation, part: number): number;
  /** Every part of the read is done: return true after marking keys `needed` to run another round. */
  onReadComplete(session: number, op: Operation): boolean;
  /** A write was acknowledged at op.endUs. */
  onWriteAcked(session: number, op: Operation): void;
}
