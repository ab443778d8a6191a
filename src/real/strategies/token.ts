import type { TokenOptions } from '../../strategies/token.js';
import { pause } from '../clock.js';
import { LEADER, type RealNodes } from '../nodes.js';
import { allKeys, BalancedRealRouting, type RealRead, type Served } from '../routing.js';
import type { Session } from '../../model/session.js';

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
    nodes: RealNodes,
    clock: { nowUs(): number },
    private readonly options: TokenOptions,
  ) {
    super(nodes, clock);
    this.tokens = new Float64Array(nodes.sessionCount);
    this.known = new Float64Array(nodes.pools.length);
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
      await pause(WAIT_POLL_US);
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
    const positions = new Float64Array(this.nodes.pools.length);
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
      await pause(this.options.poll);
    }
  }
}
