import { checkOutputFile } from '../../run/outputPaths.js';
import { count, table } from '../../report/format.js';
import { formatDuration } from '../../model/duration.js';
import { PgCluster, primaryTarget, replicaTargets } from '../../real/connection.js';
import { durationFlag, positiveFlag } from '../../real/flags.js';
import { probeNames } from '../../real/nodeNames.js';
import { lagPercentiles, probeLag, writeLagCsv, type ProbeResult } from '../../real/probe.js';
import { checkTablePrefix, TestTables } from '../../real/tables.js';
import { ExitCode } from '../../text/exitCodes.js';
import { LAGSIM_VERSION } from '../../text/version.js';

export interface ProbeCommandOptions {
  primary?: string;
  replica: string[];
  duration: string;
  rate: string;
  poll: string;
  readOnly?: boolean;
  table: string;
  out: string;
  json?: boolean;
}

const msText = (value: number | null): string => (value === null ? '—' : value.toFixed(1));

export function probeReport(probe: ProbeResult): Record<string, unknown> {
  return {
    readOnly: probe.readOnly,
    writes: probe.writes,
    durationMs: probe.durationUs / 1000,
    ratePerS: probe.ratePerS,
    replicas: probe.replicas.map((r) => ({
      name: r.name,
      server: r.display,
      lagMs: lagPercentiles(r.samplesUs),
      unseen: r.unseen,
      replayLag: r.replayLagMs === null ? null : lagPercentiles(r.replayLagMs.map((ms) => ms * 1000)),
      walReceiverName: r.walReceiverName,
    })),
  };
}

/** The probe's table: visibility lag per replica, and pg_stat_replication.replay_lag beside it. */
export function probeTable(probe: ProbeResult): string {
  const what = probe.readOnly
    ? `${count(probe.writes)} samples of the primary's flushed WAL position at ${probe.ratePerS}/s (read-only); lag = replica replayed up to it − sampled`
    : `${count(probe.writes)} probe writes at ${probe.ratePerS}/s; lag = row first visible on the replica − commit acknowledged`;
  const rows = [['', 'server', 'samples', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'replay_lag p50', 'p99 ms']];
  for (const replica of probe.replicas) {
    const lag = lagPercentiles(replica.samplesUs);
    const replay = replica.replayLagMs === null ? null : lagPercentiles(replica.replayLagMs.map((ms) => ms * 1000));
    rows.push([
      replica.name,
      replica.display,
      count(lag.count) + (replica.unseen > 0 ? ` (+${replica.unseen} unseen)` : ''),
      msText(lag.p50Ms),
      msText(lag.p90Ms),
      msText(lag.p99Ms),
      msText(lag.maxMs),
      replay === null ? 'n/a' : msText(replay.p50Ms),
      replay === null ? 'n/a' : msText(replay.p99Ms),
    ]);
  }
  return [`probed ${probe.replicas.length} replica(s) for ${formatDuration(probe.durationUs)}: ${what}`, table(rows)].join('\n');
}

/** `lagsim probe`: measures each replica's lag as a reader sees it and writes a CSV a scenario can use. */
export async function probeCommand(options: ProbeCommandOptions): Promise<ExitCode> {
  const durationUs = durationFlag('--duration', options.duration);
  const ratePerS = positiveFlag('--rate', options.rate);
  const pollUs = durationFlag('--poll', options.poll, true);
  const tables = new TestTables(checkTablePrefix(options.table));
  // Checked before any server is touched (the rule of src/run/outputPaths.ts).
  const out = checkOutputFile('--out', options.out);
  const primary = primaryTarget(options.primary);
  const replicas = replicaTargets(options.replica, primary);
  const cluster = await PgCluster.open(primary, replicas, { connections: 2 });
  let probe: ProbeResult;
  try {
    probe = await probeLag(cluster, {
      durationUs,
      ratePerS,
      pollUs,
      readOnly: options.readOnly === true,
      tables,
      names: probeNames(replicas.length),
    });
  } finally {
    await cluster.close();
  }
  const empty = probe.replicas.filter((r) => r.samplesUs.length === 0).map((r) => r.name);
  if (empty.length < probe.replicas.length) writeLagCsv(out, probe);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ lagsim: LAGSIM_VERSION, ...probeReport(probe), csv: out }, null, 2)}\n`);
  } else {
    process.stdout.write(`${probeTable(probe)}\n`);
    const example = probe.replicas.find((r) => r.samplesUs.length > 0);
    if (example !== undefined) {
      process.stdout.write(`wrote ${options.out} (ms, one column per replica); in a scenario: lag: {dist: empirical, file: ${options.out}, column: ${example.name}}\n`);
    }
  }
  for (const name of empty) process.stderr.write(`lagsim probe: ${name} showed none of the probe writes; no lag samples for it\n`);
  return ExitCode.ok;
}
