import type pg from 'pg';
import type { Uniform } from '../engine/random.js';
import { balancers } from '../model/balancers/index.js';
import type { KeyTable } from '../model/keys.js';
import type { Balancer, ClusterView } from '../model/routing.js';
import type { BalancerPolicy } from '../model/spec.js';
import { reasonOf, type PgCluster } from './connection.js';
import { parseLsn } from './lsn.js';
import type { TestTables } from './tables.js';
import { LEADER, type NodeRead, type RealNodesView } from '../strategies/real.js';

export { LEADER, type NodeRead };

export interface BalancerSettings {
  policy: BalancerPolicy;
  maxLagUs: number | null;
  weights: readonly number[];
}

/**
 * The real cluster as lagsim's routing sees it: node names and pools, one read primitive, the
 * scenario's balancer (the simulator's own balancer classes, through the ClusterView they expect),
 * and per-node counters. Replica lag for `maxLag` comes from outside (LagMonitor) into polledLagUs.
 */
export class RealNodes implements ClusterView, RealNodesView {
  readonly shardCount = 1;
  readonly pools: pg.Pool[];
  readonly polledLagUs: Float64Array;
  readonly balancer: Balancer;
  /** Read statements served, per node (attempts that returned rows). */
  readonly readsServed: number[];
  writesServed = 0;
  queries = 0;
  /** Failed statements by node and reason (replica conflicts, lost connections). */
  readonly errors = new Map<string, number>();
  private readonly replicaNodes: number[];

  constructor(
    cluster: PgCluster,
    readonly names: readonly string[],
    readonly tables: TestTables,
    readonly keys: KeyTable,
    readonly sessionCount: number,
    readonly routingStream: Uniform,
    settings: BalancerSettings,
  ) {
    this.pools = [cluster.primary, ...cluster.replicas];
    this.replicaNodes = cluster.replicas.map((_, i) => i + 1);
    this.polledLagUs = new Float64Array(this.pools.length);
    this.readsServed = this.pools.map(() => 0);
    this.balancer = balancers[settings.policy].create({
      cluster: this,
      maxLagUs: settings.maxLagUs,
      polledLagUs: this.polledLagUs,
      weights: Float64Array.from([0, ...settings.weights]),
      nodeCount: this.pools.length,
    });
  }

  get nodeCount(): number {
    return this.pools.length;
  }

  get replicaCount(): number {
    return this.replicaNodes.length;
  }

  /**
   * Reads `keys` on `node` in one round trip. With `withLsn`, one simple query of three statements:
   * the node's position, the rows, the position again. Under READ COMMITTED every statement takes its
   * own snapshot, in order, so the first position is covered by the rows' snapshot (a replica
   * advances pg_last_wal_replay_lsn() only after a commit record is applied and visible) and the
   * last covers everything the rows show. Throws on a failed statement (after counting it).
   */
  async read(node: number, keys: readonly string[], withLsn: boolean): Promise<NodeRead> {
    const pool = this.pools[node]!;
    this.queries++;
    try {
      const versions = new Map<string, number>();
      if (!withLsn) {
        const result = await pool.query<{ key: string; version: string }>(this.tables.readSql, [keys]);
        for (const row of result.rows) versions.set(row.key, Number(row.version));
        this.readsServed[node]!++;
        return { versions, lsnBefore: null, lsnAfter: null };
      }
      const position = node === LEADER ? 'SELECT pg_current_wal_insert_lsn()::text AS lsn' : 'SELECT pg_last_wal_replay_lsn()::text AS lsn';
      const results = (await pool.query(`${position}; ${this.tables.readStatement(keys)}; ${position}`)) as unknown as pg.QueryResult[];
      const [before, rows, after] = results as [pg.QueryResult<{ lsn: string | null }>, pg.QueryResult<{ key: string; version: string }>, pg.QueryResult<{ lsn: string | null }>];
      for (const row of rows.rows) versions.set(row.key, Number(row.version));
      this.readsServed[node]!++;
      return { versions, lsnBefore: parseLsn(before.rows[0]!.lsn) ?? 0, lsnAfter: parseLsn(after.rows[0]!.lsn) ?? 0 };
    } catch (error) {
      this.countError(node, error);
      throw error;
    }
  }

  /** A replica's replay position now (live), or the primary's insert position. */
  async position(node: number): Promise<number> {
    this.queries++;
    try {
      const sql = node === LEADER ? 'SELECT pg_current_wal_insert_lsn()::text AS lsn' : 'SELECT pg_last_wal_replay_lsn()::text AS lsn';
      const row = (await this.pools[node]!.query<{ lsn: string | null }>(sql)).rows[0]!;
      return parseLsn(row.lsn) ?? 0;
    } catch (error) {
      this.countError(node, error);
      throw error;
    }
  }

  countError(node: number, error: unknown): void {
    const key = `${this.names[node]}: ${reasonOf(error)}`;
    this.errors.set(key, (this.errors.get(key) ?? 0) + 1);
  }

  // ---- ClusterView (what the balancers use) ------------------------------------------------------

  nowUs(): number {
    return 0;
  }
  leaderOf(): number {
    return LEADER;
  }
  replicasOf(): readonly number[] {
    return this.replicaNodes;
  }
  nodeName(node: number): string {
    return this.names[node]!;
  }
  isLeader(node: number): boolean {
    return node === LEADER;
  }
  isUp(): boolean {
    return true;
  }
  appliedPosition(): number {
    return 0;
  }
  applyTimeUs(): number {
    return Infinity;
  }
  committedPosition(): number {
    return 0;
  }
  polledPosition(): number {
    return 0;
  }
  balancerFor(): Balancer {
    return this.balancer;
  }
}
