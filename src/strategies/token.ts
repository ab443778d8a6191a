import { z } from 'zod';
import { Duration } from '../model/fields.js';
import type { Operation } from '../model/operation.js';
import { ABSENT } from '../model/keys.js';
import { ADMIT, REJECT, type ClusterView, type PositionView } from '../model/routing.js';
import { BalancedRouting, SessionSlots, type StrategyEntry } from './base.js';
import { allKeys, BalancedRealRouting, LEADER, type RealNodesView, type RealRead, type Served, type RealClock } from './real.js';
import type { Session } from '../model/session.js';

export const tokenOptions = z.strictObject({
  mode: z
    .enum(['route', 'wait', 'leader'])
    .default('route')
    .describe('route: only replicas known to cover the token, else the leader; wait: wait on the chosen replica up to `timeout`, then the leader; leader: a behind replica sends the read to the leader'),
  poll: Duration.prefault(0).describe('how stale the known replica positions are; 0 = live, read at request time (default 0)'),
  timeout: Duration.prefault('1s').describe('longest wait in mode wait before going to the leader (default 1s)'),
  track: z
    .enum(['writes', 'session', 'causal'])
    .default('writes')
    .describe('writes: read-your-writes; session: also what it read (monotonic reads); causal: also the causal past of what it read (consistent prefix)'),
});
/** `poll` and `timeout` in µs; poll 0 = positions read live at request time. */
export type TokenOptions = z.output<typeof tokenOptions>;

/**
 * Session tokens (commit positions per shard, as PostgreSQL LSNs or MySQL GTIDs): a replica serves
 * a session only once its applied position covers the session's token for that shard.
 * track writes → the positions of the session's own writes (read-your-writes); session → also the
 * versions it read (monotonic reads); causal → also the writer's token of every version it read,
 * which covers that version's causal past (consistent prefix), plus COPS-GT-style re-read rounds
 * for keys of one read that came back older than another key's past requires.
 */
class TokenRouting extends BalancedRouting {
  override readonly name = 'token';
  override readonly needsWriteTokens: boolean;
  override readonly positionPollUs: number | null;
  private readonly slots: SessionSlots;
  private readonly shards: number;
  private readonly positions: PositionView;

  constructor(
    cluster: ClusterView,
    private readonly options: TokenOptions,
  ) {
    super(cluster);
    this.shards = cluster.shardCount;
    this.slots = new SessionSlots(this.shards, cluster.sessionCount, 0);
    this.needsWriteTokens = options.track === 'causal';
    this.positionPollUs = options.poll > 0 ? options.poll : null;
    this.positions =
      options.poll > 0
        ? { knownPosition: (node) => cluster.polledPosition(node) }
        : { knownPosition: (node) => cluster.appliedPosition(node) };
  }

  override onSessionStart(session: number): void {
    this.slots.reset(session);
  }

  private get tokens(): Float64Array {
    return this.slots.values;
  }

  override writerToken(session: number): Float64Array {
    return this.tokens.subarray(session * this.shards, (session + 1) * this.shards);
  }

  override route(session: number, op: Operation, part: number): number {
    const shard = op.partShard(part);
    const need = this.tokens[session * this.shards + shard]!;
    const balancer = this.cluster.balancerFor();
    if (this.options.mode === 'route') return balancer.pick(shard, need, this.positions);
    const node = balancer.pick(shard, 0, null);
    if (this.options.mode === 'leader' && !this.cluster.isLeader(node) && this.positions.knownPosition(node) < need) {
      return this.cluster.leaderOf(shard);
    }
    return node;
  }

  override admit(session: number, op: Operation, part: number, node: number, nowUs: number): number {
    if (this.cluster.isLeader(node)) return ADMIT;
    const need = this.tokens[session * this.shards + op.partShard(part)]!;
    if (this.cluster.appliedPosition(node) >= need) return ADMIT;
    if (this.options.mode !== 'wait') return REJECT;
    const deadlineUs = op.partArrivalUs(part) + this.options.timeout;
    if (nowUs >= deadlineUs) return REJECT;
    return Math.min(this.cluster.applyTimeUs(node, need), deadlineUs);
  }

  override onReadComplete(session: number, op: Operation): boolean {
    if (this.options.track === 'writes') return false;
    const base = session * this.shards;
    const tokens = this.tokens;
    for (let i = 0; i < op.keyCount; i++) {
      const at = base + op.keyShards[i]!;
      if (op.returned[i]! > tokens[at]!) tokens[at] = op.returned[i]!;
      const writerToken = op.returnedTokens[i];
      if (this.options.track === 'causal' && writerToken) {
        for (let s = 0; s < this.shards; s++) if (writerToken[s]! > tokens[base + s]!) tokens[base + s] = writerToken[s]!;
      }
    }
    if (this.options.track !== 'causal') return false;
    // Req(k) within this read: the highest version of k required by the past of another key read.
    let again = false;
    for (let j = 0; j < op.keyCount; j++) {
      const past = op.returnedPasts[j];
      if (!past) continue;
      for (let p = 0; p < past.length; p += 2) {
        const key = past[p]!;
        const required = past[p + 1]!;
        for (let k = 0; k < op.keyCount; k++) {
          if (k === j || op.keyIds[k] !== key || op.returned[k]! >= required) continue;
          // The oldest version that meets the requirement and still exists: the required one itself,
          // unless a failover lost it (semantics.md section 6), then a later write of the key, if any.
          // Waiting for a lost position would re-read for ever from replicas that have applied past
          // it without the version ("until the leader covers everything" presumes it exists); with
          // no such version the read ends with what it has, and the checker counts the violation.
          const target = this.cluster.keys.get(key).oldestVersionFrom(required);
          if (target === ABSENT) continue;
          op.needAgain(k);
          const at = base + op.keyShards[k]!;
          if (target > tokens[at]!) tokens[at] = target;
          again = true;
        }
      }
    }
    return again;
  }

  override onWriteAcked(session: number, op: Operation): void {
    const at = session * this.shards + op.keyShards[0]!;
    if (op.version > this.tokens[at]!) this.tokens[at] = op.version;
  }
}

/** Pause between two position checks of a replica a read waits on (mode wait), µs. */
const WAIT_POLL_US = 1000;

/**
 * `token` with PostgreSQL LSNs. After each write's commit returns, the session asks the primary
 * for pg_current_wal_insert_lsn() in a separate statement: that position lies past the write's
 * commit record (an LSN read inside the writing statement lies before it, and lets reads through
 * that miss the write). A replica covers the token when pg_last_wal_replay_lsn() has reached it;
 * the check is the first statement of the read itself, so the snapshot that follows includes the
 * write. Modes as in the simulator: route (pick among replicas whose known position covers the
 * token, else the primary), wait (wait on the chosen replica up to `timeout`, then the primary) and
 * leader (a chosen replica that is behind sends the read to the primary). `poll` 0 reads every
 * replica's position at request time (one more round trip); otherwise positions are polled every
 * `poll`, which only makes them older, never wrong. `track: session` (and `causal`: with one primary
 * the log is a single prefix, so the position that covers what a read saw covers its causal past
 * too) adds the served node's position after each read's snapshot to the token.
 */
export class TokenRealRouting extends BalancedRealRouting {
  override readonly name = 'token';
  override readonly needsCommitLsn = true;
  private readonly tokens: Float64Array;
  private readonly known: Float64Array;
  private running = true;
  private readonly poller: Promise<void> | null;

  constructor(
    nodes: RealNodesView,
    clock: RealClock,
    private readonly options: TokenOptions,
  ) {
    super(nodes, clock);
    this.tokens = new Float64Array(nodes.sessionCount);
    this.known = new Float64Array(nodes.nodeCount);
    this.poller = options.poll > 0 ? this.pollPositions() : null;
  }

  override onWriteAcked(session: Session, _endUs: number, commitLsn: number | null): void {
    if (commitLsn !== null && commitLsn > this.tokens[session.index]!) this.tokens[session.index] = commitLsn;
  }

  override async read(op: RealRead): Promise<void> {
    const need = this.tokens[op.session.index]!;
    let served: Served | null;
    switch (this.options.mode) {
      case 'route':
        served = await this.covered(op, await this.routeNode(need), need);
        break;
      case 'leader': {
        let node = this.nodes.balancer.pick(0, 0, null);
        if (node !== LEADER && this.options.poll > 0 && this.known[node]! < need) node = LEADER;
        served = await this.covered(op, node, need);
        break;
      }
      case 'wait':
        served = await this.waitFor(op, this.nodes.balancer.pick(0, 0, null), need);
        break;
    }
    if (served !== null && this.options.track !== 'writes') {
      const seen = served.result.lsnAfter ?? 0;
      if (seen > this.tokens[op.session.index]!) this.tokens[op.session.index] = seen;
    }
  }

  override async stop(): Promise<void> {
    this.running = false;
    await this.poller;
  }

  private async routeNode(need: number): Promise<number> {
    if (need === 0) return this.nodes.balancer.pick(0, 0, null);
    const positions = this.options.poll > 0 ? this.known : await this.livePositions();
    return this.nodes.balancer.pick(0, need, { knownPosition: (node) => positions[node]! });
  }

  /** Reads on `node`; a replica found behind the token (or failing) sends the read to the primary. */
  private async covered(op: RealRead, node: number, need: number): Promise<Served | null> {
    const served = await this.readAll(op, node, true);
    if (served === null || served.node === LEADER || (served.result.lsnBefore ?? 0) >= need) return served;
    return this.redirectToLeader(op, allKeys(op), true);
  }

  /** Mode wait: a replica behind the token is polled until it covers it, up to `timeout`, then read again. */
  private async waitFor(op: RealRead, node: number, need: number): Promise<Served | null> {
    const served = await this.readAll(op, node, true);
    if (served === null || served.node === LEADER || (served.result.lsnBefore ?? 0) >= need) return served;
    op.waits++;
    const startUs = this.clock.nowUs();
    const deadlineUs = startUs + this.options.timeout;
    let caughtUp = false;
    while (!caughtUp && this.clock.nowUs() < deadlineUs) {
      await this.clock.pause(WAIT_POLL_US);
      try {
        caughtUp = (await this.nodes.position(node)) >= need;
      } catch {
        break;
      }
    }
    op.waitUs += this.clock.nowUs() - startUs;
    if (caughtUp) {
      // The read the replica held back: the same attempt, not a new one.
      const result = await this.attempt(op, node, allKeys(op), true, false);
      if (result !== null && (result.lsnBefore ?? 0) >= need) return { node, result };
    }
    return this.redirectToLeader(op, allKeys(op), true);
  }

  private async livePositions(): Promise<Float64Array> {
    const positions = new Float64Array(this.nodes.nodeCount);
    await Promise.all(
      this.nodes.replicasOf().map(async (node) => {
        try {
          positions[node] = await this.nodes.position(node);
        } catch {
          positions[node] = 0;
        }
      }),
    );
    return positions;
  }

  private async pollPositions(): Promise<void> {
    while (this.running) {
      const fresh = await this.livePositions();
      for (const node of this.nodes.replicasOf()) if (fresh[node]! > this.known[node]!) this.known[node] = fresh[node]!;
      await this.clock.pause(this.options.poll);
    }
  }
}

export const token = {
  name: 'token',
  summary: 'the session carries the log positions it must see',
  guarantee: 'track writes: read-your-writes; session: + monotonic reads; causal: + consistent prefix',
  cost: 'leader reads (route, leader), waiting (wait), and re-read rounds (causal)',
  options: tokenOptions,
  create: (options: TokenOptions, cluster: ClusterView) => new TokenRouting(cluster, options),
  createReal: (options: TokenOptions, nodes: RealNodesView, clock: RealClock) => new TokenRealRouting(nodes, clock, options),
} satisfies StrategyEntry<'token', typeof tokenOptions>;
