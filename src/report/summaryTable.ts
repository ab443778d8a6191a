import { ANOMALIES, ANOMALY_TITLES } from '../checks/anomalies.js';
import { formatDuration } from '../model/duration.js';
import { count, ms, msWithInterval, percent, percentWithInterval, table } from './format.js';
import { extraSections } from './extraSections.js';
import type { RunSummary } from './summary.js';

export { ANOMALY_TITLES };


export function describeStrategy(strategy: Record<string, unknown>): string {
  const { name, ...options } = strategy;
  // A summary gives durations as `<name>Ms` in milliseconds (summary.ts optionsInMs).
  const parts = Object.entries(options).map(([key, value]) => {
    const isDuration = key.endsWith('Ms');
    const label = isDuration ? key.slice(0, -2) : key;
    if (value === null) return `${label} off`;
    return `${label} ${isDuration && typeof value === 'number' ? formatDuration(value * 1000) : String(value)}`;
  });
  return parts.length === 0 ? String(name) : `${String(name)} (${parts.join(', ')})`;
}

function anomalyLines(summary: RunSummary): string[] {
  const lines = ['anomalies (per key-read; 95% intervals by batch means over simulated time: docs/statistics.md)'];
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
  for (const name of ANOMALIES) {
    const a = summary.anomalies[name];
    if (a.rateIntervalWithheld !== null) lines.push(`  no interval for ${ANOMALY_TITLES[name]}: ${a.rateIntervalWithheld}`);
    else if (a.rateEligibleIntervalWithheld !== null) lines.push(`  no interval for ${ANOMALY_TITLES[name]} among eligible: ${a.rateEligibleIntervalWithheld}`);
  }
  const stale = summary.staleness;
  if (stale.versionsBehind.count > 0) {
    lines.push(
      `  stale reads were ${stale.versionsBehind.p50} version(s) behind at p50 (${stale.versionsBehind.p99} at p99), ` +
        `missing a version committed ${ms(stale.timeBehindMs.p50)} ms earlier at p50 (${ms(stale.timeBehindMs.p99)} ms at p99)`,
    );
  }
  return lines;
}

function costLines(c: RunSummary['costs']): string[] {
  const lines = ['costs'];
  const costRows: [string, string][] = [
    ['reads', `${count(c.reads)} (${count(c.failedReads)} failed)`],
    ['writes', `${count(c.writes)} (${count(c.failedWrites)} failed)`],
    [
      'leader share of key-reads',
      c.leaderShareInterval
        ? percentWithInterval(c.leaderShare, c.leaderShareInterval, 2)
        : percent(c.leaderShare, 2) + (c.leaderShareIntervalWithheld !== undefined ? ` (no interval: ${c.leaderShareIntervalWithheld})` : ''),
    ],
    ['read attempts', `${count(c.attempts)} (${count(c.redirects)} redirects, ${count(c.retries)} retries, ${count(c.rounds)} re-read rounds)`],
    ['reads that waited', `${count(c.waits)} (mean wait ${ms(c.waitMs.mean)} ms, p99 ${ms(c.waitMs.p99)} ms)`],
  ];
  const labelWidth = Math.max(...costRows.map(([label]) => label.length));
  for (const [label, value] of costRows) lines.push(`  ${label.padEnd(labelWidth)}  ${value}`);
  lines.push(
    table([
      ['latency, ms', 'mean [95% interval]', 'p50', 'p90', 'p99 [95% interval]', 'p99.9', 'max'],
      ...(['read', 'write'] as const).map((kind) => {
        const l = kind === 'read' ? c.readLatencyMs : c.writeLatencyMs;
        return [kind, msWithInterval(l.mean, l.meanInterval), ms(l.p50), ms(l.p90), msWithInterval(l.p99, l.p99Interval), ms(l.p999), ms(l.max)];
      }),
    ]),
  );
  return lines;
}

function nodeLines(summary: RunSummary): string[] {
  const nodeRows = [['', 'region', 'reads', 'writes', 'utilisation', 'lag mean ms', 'lag p50 ms', 'lag p99 ms']];
  for (const node of summary.nodes) {
    const lag = summary.replicaLag.find((r) => r.node === node.name);
    nodeRows.push([
      node.name,
      node.region,
      count(node.readsServed),
      count(node.writesServed),
      node.utilisationInterval && node.utilisation > 0 ? percentWithInterval(node.utilisation, node.utilisationInterval, 1) : percent(node.utilisation, 1),
      lag ? msWithInterval(lag.lagMs.mean, lag.lagMs.meanInterval) : '',
      lag ? ms(lag.lagMs.p50) : '',
      lag ? msWithInterval(lag.lagMs.p99, lag.lagMs.p99Interval) : '',
    ]);
  }
  return ['nodes', table(nodeRows)];
}

/** The readable summary `lagsim run` prints: anomalies with intervals, then costs, nodes and lag. */
export function summaryTable(summary: RunSummary, reproduce: string): string {
  const lines: string[] = [];
  lines.push(
    `lagsim ${summary.lagsim} · ${summary.scenario} · strategy ${describeStrategy(summary.strategy)} · seed ${summary.seed}`,
  );
  lines.push(`simulated ${summary.durationMs / 1000} s after ${summary.warmupMs / 1000} s of warm-up`);
  lines.push('');
  lines.push(...anomalyLines(summary));
  lines.push('');
  lines.push(...costLines(summary.costs));
  lines.push('');
  lines.push(...nodeLines(summary));
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
