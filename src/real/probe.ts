import type pg from 'pg';
import { percentileSorted } from '../metrics/percentile.js';
import { writeFileAtomic } from '../report/atomicWrite.js';
import { pause, RunClock, sleepUntil } from './clock.js';
import { reasonOf, type PgCluster } from './connection.js';
import { parseLsn } from './lsn.js';
import { waitForReplicas, type TestTables } from './tables.js';

export interface ProbeOptions {
  /** How long to write (or sample) for, µs. */
  durationUs: number;
  /** Probe writes (or primary LSN samples) per second. */
  ratePerS: number;
  /** Pause between two polls of one replica while it has something to show, µs. */
  pollUs: number;
  /**
   * No writes: sample the primary's flushed WAL position instead of inserting a row, and time how
   * long each replica takes to replay up to it (pg_last_wal_replay_lsn()). Safe on production, but
   * it measures lag only while the primary has writes of its own.
   */
  readOnly: boolean;
  tables: TestTables;
  /** Node names of the replicas, in cluster order. */
  names: readonly string[];
  /** Longest wait after the last probe write for the replicas to show it, µs. */
  drainUs?: number;
}

export interface ReplicaProbe {
  name: string;
  display: string;
  /** Lag as a reader sees it, µs: from the commit's acknowledgement to the row becoming visible. */
  samplesUs: number[];
  /** Probe writes this replica never showed within the drain time. */
  unseen: number;
  /** Polls of this replica that failed (and were repeated). */
  pollErrors: string[];
  /** pg_stat_replication.replay_lag samples (ms) of this replica; null when they could not be matched or read. */
  replayLagMs: number[] | null;
  /** The application_name the replica's WAL receiver reports (how replay_lag rows are matched). */
  walReceiverName: string | null;
}

export interface ProbeResult {
  readOnly: boolean;
  writes: number;
  durationUs: number;
  ratePerS: number;
  replicas: ReplicaProbe[];
}

interface Pending {
  /** A probe row id (write mode) or a primary LSN (read-only mode): visible once the replica's mark reaches it. */
  target: number;
  ackUs: number;
  /** The latest poll (midpoint of its round trip, µs) that did not show it yet, after the acknowledgement. */
  lastMissUs: number;
}

const REPLAY_LAG_SAMPLE_US = 100_000;

/**
 * Measures each replica's lag as a reader sees it: write a row on the primary (autocommit), and from
 * the moment its commit is acknowledged poll the replica until the row is visible. The visibility
 * instant lies between the last poll that did not show it and the first that did (each taken at the
 * midpoint of its round trip); a sample is the middle of that interval minus the acknowledgement.
 * Meanwhile pg_stat_replication.replay_lag is sampled on the primary every 100 ms.
 */
export async function probeLag(cluster: PgCluster, options: ProbeOptions): Promise<ProbeResult> {
  if (!options.readOnly) {
    await options.tables.setupProbe(cluster.primary);
    // The replicas must have the (new, emptied) table before they are polled for its rows.
    await waitForReplicas(cluster);
  }
  const state: ProbeState = {
    clock: new RunClock(),
    pending: cluster.replicas.map(() => []),
    samples: cluster.replicas.map(() => []),
    unseen: cluster.replicas.map(() => 0),
    pollErrors: cluster.replicas.map(() => []),
    replayLag: new Map(),
    replayLagReadable: true,
    writing: true,
    writes: 0,
  };
  await Promise.all([
    probeWriter(cluster, options, state),
    replayLagSampler(cluster, state),
    ...cluster.replicas.map((replica, i) => probePoller(replica, i, options, state)),
  ]);

  const receiverNames = cluster.replicaFacts.map((facts) => facts.walReceiverName);
  return {
    readOnly: options.readOnly,
    writes: state.writes,
    durationUs: options.durationUs,
    ratePerS: options.ratePerS,
    replicas: cluster.replicaTargets.map((target, i) => {
      const name = receiverNames[i] ?? null;
      // A replay_lag row belongs to this replica only when no other replica reports the same name.
      const unique = name !== null && receiverNames.filter((other) => other === name).length === 1;
      return {
        name: options.names[i]!,
        display: target.display,
        samplesUs: state.samples[i]!,
        unseen: state.unseen[i]!,
        pollErrors: state.pollErrors[i]!,
        replayLagMs: state.replayLagReadable && unique ? (state.replayLag.get(name) ?? []) : null,
        walReceiverName: name,
      };
    }),
  };
}

/** What the writer, the pollers and the replay_lag sampler of one probe share. */
interface ProbeState {
  readonly clock: RunClock;
  /** Per replica: the writes it has not shown yet, oldest first. */
  readonly pending: Pending[][];
  readonly samples: number[][];
  readonly unseen: number[];
  readonly pollErrors: string[][];
  readonly replayLag: Map<string, number[]>;
  replayLagReadable: boolean;
  writing: boolean;
  writes: number;
}

/** Probe writes at the given rate (or, read-only, the primary's WAL position at that rate). */
async function probeWriter(cluster: PgCluster, options: ProbeOptions, state: ProbeState): Promise<void> {
  const { clock } = state;
  const intervalUs = 1e6 / options.ratePerS;
  for (let n = 0; n * intervalUs < options.durationUs; n++) {
    await sleepUntil(clock, n * intervalUs);
    let target: number;
    if (options.readOnly) {
      const row = (await cluster.primary.query<{ lsn: string }>('SELECT pg_current_wal_flush_lsn()::text AS lsn')).rows[0]!;
      target = parseLsn(row.lsn)!;
    } else {
      await cluster.primary.query(`INSERT INTO ${options.tables.probe} (id) VALUES ($1)`, [n + 1]);
      target = n + 1;
    }
    const ackUs = clock.nowUs();
    state.writes++;
    for (const queue of state.pending) queue.push({ target, ackUs, lastMissUs: ackUs });
  }
  state.writing = false;
}

/** Polls one replica until each pending write is visible (or the drain deadline passes); one sample per write. */
async function probePoller(replica: pg.Pool, index: number, options: ProbeOptions, state: ProbeState): Promise<void> {
  const { clock } = state;
  const markSql = options.readOnly
    ? 'SELECT pg_last_wal_replay_lsn()::text AS mark'
    : `SELECT coalesce(max(id), 0)::text AS mark FROM ${options.tables.probe}`;
  const queue = state.pending[index]!;
  let drainDeadlineUs = Infinity;
  for (;;) {
    if (queue.length === 0) {
      if (!state.writing) return;
      await pause(options.pollUs);
      continue;
    }
    if (!state.writing && drainDeadlineUs === Infinity) drainDeadlineUs = clock.nowUs() + (options.drainUs ?? 30_000_000);
    const sentUs = clock.nowUs();
    let row: { mark: string | null };
    try {
      row = (await replica.query<{ mark: string | null }>(markSql)).rows[0]!;
    } catch (error) {
      // A failed poll (a recovery conflict, a dropped connection) tells nothing: poll again.
      state.pollErrors[index]!.push(reasonOf(error));
      await pause(options.pollUs);
      continue;
    }
    const receivedUs = clock.nowUs();
    const mark = options.readOnly ? (parseLsn(row.mark) ?? 0) : Number(row.mark);
    const pollUs = (sentUs + receivedUs) / 2;
    while (queue.length > 0 && queue[0]!.target <= mark) {
      const entry = queue.shift()!;
      const low = Math.max(entry.ackUs, entry.lastMissUs);
      state.samples[index]!.push(Math.max(0, Math.round((low + Math.max(low, pollUs)) / 2 - entry.ackUs)));
    }
    for (const entry of queue) if (pollUs > entry.lastMissUs) entry.lastMissUs = pollUs;
    if (receivedUs > drainDeadlineUs) {
      state.unseen[index]! += queue.length;
      queue.length = 0;
      return;
    }
    await pause(options.pollUs);
  }
}

/** pg_stat_replication.replay_lag every 100 ms while the writer runs (unreadable without the privilege). */
async function replayLagSampler(cluster: PgCluster, state: ProbeState): Promise<void> {
  for (let n = 1; state.writing; n++) {
    try {
      const rows = (
        await cluster.primary.query<{ name: string; ms: number }>(
          `SELECT application_name AS name, (extract(epoch FROM replay_lag) * 1000)::float8 AS ms
           FROM pg_stat_replication WHERE replay_lag IS NOT NULL`,
        )
      ).rows;
      for (const row of rows) {
        let list = state.replayLag.get(row.name);
        if (list === undefined) state.replayLag.set(row.name, (list = []));
        list.push(row.ms);
      }
    } catch {
      state.replayLagReadable = false;
      return;
    }
    await sleepUntil(state.clock, n * REPLAY_LAG_SAMPLE_US);
  }
}

export interface LagPercentiles {
  count: number;
  p50Ms: number | null;
  p90Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  meanMs: number | null;
}

/** Nearest-rank percentiles of samples in µs, reported in ms. */
export function lagPercentiles(samplesUs: readonly number[]): LagPercentiles {
  const sorted = Float64Array.from(samplesUs).sort();
  const ms = (us: number | null): number | null => (us === null ? null : Math.round(us) / 1000);
  let sum = 0;
  for (const x of sorted) sum += x;
  return {
    count: sorted.length,
    p50Ms: ms(percentileSorted(sorted, 50)),
    p90Ms: ms(percentileSorted(sorted, 90)),
    p99Ms: ms(percentileSorted(sorted, 99)),
    maxMs: ms(sorted.length === 0 ? null : sorted[sorted.length - 1]!),
    meanMs: sorted.length === 0 ? null : Math.round(sum / sorted.length) / 1000,
  };
}

/**
 * The samples as a CSV of milliseconds, one column per replica headed by its node name: a scenario
 * reads a column with `lag: {dist: empirical, file: FILE, column: NAME}`. Shorter columns end in
 * empty cells, which the scenario loader skips.
 */
export function lagCsv(probe: ProbeResult): string {
  const columns = probe.replicas.map((r) => r.samplesUs);
  const rows = [probe.replicas.map((r) => r.name).join(',')];
  const length = Math.max(0, ...columns.map((c) => c.length));
  for (let i = 0; i < length; i++) rows.push(columns.map((c) => (i < c.length ? (c[i]! / 1000).toFixed(3) : '')).join(','));
  return `${rows.join('\n')}\n`;
}

export function writeLagCsv(path: string, probe: ProbeResult): void {
  writeFileAtomic(path, lagCsv(probe));
}
