import type { ReplicaLog } from './replica.js';

/** What a synchronous replica confirms (PostgreSQL synchronous_commit): receipt or apply of the entry. */
export type SyncMode = 'remote_write' | 'remote_apply';

/**
 * Synchronous replication (PostgreSQL `synchronous_standby_names = ANY k (...)`, MySQL semi-sync):
 * a write is acknowledged to its client when `quorum` of its shard's synchronous replicas have
 * received (remote_write) or applied (remote_apply) it. The leader commits, and serves the new
 * version, at the end of its service as before; only the reply waits. When fewer synchronous
 * replicas remain in the shard than the quorum (after a failover promoted one), the quorum is all
 * that remain, as an operator would reconfigure it; with none left, writes are acknowledged at commit.
 */
export class SyncReplication {
  private readonly times: number[] = [];

  constructor(
    /** Per node: its sync mode, or null for an asynchronous replica or a leader. */
    private readonly modeOf: readonly (SyncMode | null)[],
    private readonly quorum: number,
  ) {}

  /** Whether writes to a shard with these replicas wait for synchronous replicas. */
  waits(replicas: readonly number[]): boolean {
    return this.quorum > 0 && replicas.some((node) => this.modeOf[node] !== null);
  }

  /**
   * The earliest time at which `position` is confirmed by the quorum, as the replicas' schedules
   * stand at nowUs (pauses may move it later: the simulator checks again then); Infinity if never.
   */
  ackTimeUs(replicas: readonly number[], logs: readonly (ReplicaLog | null)[], position: number, nowUs: number): number {
    const times = this.times;
    times.length = 0;
    for (const node of replicas) {
      const mode = this.modeOf[node];
      const log = logs[node];
      if (mode === null || mode === undefined || log === null || log === undefined) continue;
      times.push(mode === 'remote_apply' ? log.applyTimeUs(position, nowUs) : log.receiveTimeUs(position, nowUs));
    }
    if (times.length === 0) return nowUs;
    times.sort((x, y) => x - y);
    return Math.max(nowUs, times[Math.min(this.quorum, times.length) - 1]!);
  }
}
