import { ANOMALIES, type Anomaly } from '../checks/anomalies.js';
import { formatDuration } from '../scenario/duration.js';
import { count, ms, percent, percentWithInterval, table } from './format.js';
import { extraSections } from './extraSections.js';
import type { RunSummary } from './summary.js';

export const ANOMALY_TITLES: Record<Anomaly, string> = {
  ryw: 'read-your-writes',
  mr: 'monotonic reads',
  cp: 'consistent prefix',
  stale: 'stale read',
};

const DURATION_OPTIONS = new Set(['window', 'poll', 'timeout', 'pinAfterWrite']);

export function describeStrategy(strategy: Record<string, unknown>): string {
  const { name, ...options } = strategy;
  const parts = Object.entries(options).map(([key, value]) => {
    if (value === null) return `${key} off`;
    return `${key} ${DURATION_OPTIONS.has(key) && typeof value === 'number' ? formatDuration(value) : String(value)}`;
  });
  return parts.length === 0 ? String(name) : `${String(name)} (${parts.join(', ')})`;
}

/** The readable summary `lagsim run` prints: anomalies with intervals, then costs, nodes and lag. */
export function summaryTable(summary: RunSummary, reproduce: string): string {
  const lines: string[] = [];
  lines.push(
    `lagsim ${summary.lagsim} · ${summary.scenario} · strategy ${describeStrategy(summary.strategy)} · seed ${summary.seed}`,
  );
  lines.push(`simulated ${summary.durationMs / 1000} s after ${summary.warmupMs / 1000} s of warm-up`);
  lines.push('');
  lines.push('anomalies (per key-read; 95% Wilson intervals)');
  const rows = [['', 'violations', 'key-reads', 'eligible', 'rate', 'rate among eligible']];
  for (const name of ANOMALIES) {
    const a = summary.anomalies[name];
    rows.push([
      ANOMALY_TITLES[name],
      count(a.violations),
      count(a.keyReads),
      count(a.eligible),
      percentWithInterval(a.rate, a.rateInterval),
      percentWithInterval(a.rateEligible, a.rateEligibleInterval),
    ]);
  }
  lines.push(table(rows));
  const stale = summary.staleness;
  if (stale.versionsBehind.count > 0) {
    lines.push(
      `  stale reads were ${stale.versionsBehind.p50} version(s) behind at p50 (${stale.versionsBehind.p99} at p99), ` +
        `missing a version committed ${ms(stale.timeBehindMs.p50)} ms earlier at p50 (${ms(stale.timeBehindMs.p99)} ms at p99)`,
    );
  }
  lines.push('');
  const c = summary.costs;
  lines.push('costs');
  const costRows: [string, string][] = [
    ['reads', `${count(c.reads)} (${count(c.failedReads)} failed)`],
    ['writes', `${count(c.writes)} (${count(c.failedWrites)} failed)`],
    ['leader share of key-reads', percent(c.leaderShare, 2)],
    ['read attempts', `${count(c.attempts)} (${count(c.redirects)} redirects, ${count(c.retries)} retries, ${count(c.rounds)} re-read rounds)`],
    ['reads that waited', `${count(c.waits)} (mean wait ${ms(c.waitMs.mean)} ms, p99 ${ms(c.waitMs.p99)} ms)`],
  ];
  const labelWidth = Math.max(...costRows.map(([label]) => label.length));
  for (const [label, value] of costRows) lines.push(`  ${label.padEnd(labelWidth)}  ${value}`);
  lines.push(
    table([
      ['latency, ms', 'p50', 'p90', 'p99', 'p99.9', 'max'],
      ['read', ms(c.readLatencyMs.p50), ms(c.readLatencyMs.p90), ms(c.readLatencyMs.p99), ms(c.readLatencyMs.p999), ms(c.readLatencyMs.max)],
      ['write', ms(c.writeLatencyMs.p50), ms(c.writeLatencyMs.p90), ms(c.writeLatencyMs.p99), ms(c.writeLatencyMs.p999), ms(c.writeLatencyMs.max)],
    ]),
  );
  lines.push('');
  lines.push('nodes');
  const nodeRows = [['', 'region', 'reads', 'writes', 'utilisation', 'lag p50 ms', 'lag p99 ms']];
  for (const node of summary.nodes) {
    const lag = summary.replicaLag.find((r) => r.node === node.name);
    nodeRows.push([
      node.name,
      node.region,
      count(node.readsServed),
      count(node.writesServed),
      percent(node.utilisation, 1),
      lag ? ms(lag.lagMs.p50) : '',
      lag ? ms(lag.lagMs.p99) : '',
    ]);
  }
  lines.push(table(nodeRows));
  if (summary.faults.length > 0 || summary.lost.writes > 0) {
    lines.push('');
    lines.push('faults');
    for (const fault of summary.faults) lines.push(`  ${(fault.atMs / 1000).toFixed(3).padStart(10)} s  ${fault.event}`);
    lines.push(`  lost writes (acknowledged, never received by the promoted replica): ${count(summary.lost.writes)}`);
  }
  lines.push(...extraSections(summary));
  lines.push('');
  lines.push(`reproduce: ${reproduce}`);
  return lines.join('\n') + '\n';
}
