import { ANOMALIES, ANOMALY_TITLES } from '../checks/anomalies.js';
import { formatDuration } from '../model/duration.js';
import { count, ms, msOf, msWithInterval, noIntervalLine, percent, percentWithInterval, table } from './format.js';
import { extraSections } from './extraSections.js';
import type { MsSummary } from '../metrics/collector.js';
import type { NodeSummary, RunSummary } from './summary.js';

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

function anomalyLines(summary: RunSummary, clock: string): string[] {
  const lines = [`anomalies (per key-read; 95% intervals by batch means over ${clock}: docs/statistics.md)`];
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
    if (a.rateIntervalWithheld !== null) lines.push(noIntervalLine(ANOMALY_TITLES[name], a.rateIntervalWithheld));
    else if (a.rateEligibleIntervalWithheld !== null) lines.push(noIntervalLine(`${ANOMALY_TITLES[name]} among eligible`, a.rateEligibleIntervalWithheld));
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
  const waitMs = (value: number): string => (c.waitMs.count === 0 ? '—' : `${ms(value)} ms`);
  const costRows: [string, string][] = [
    // Failed operations are counted apart, not among the others: `reads 135, failed 353` is 488 reads in all.
    ['reads', `${count(c.reads)}, failed ${count(c.failedReads)}`],
    ['writes', `${count(c.writes)}, failed ${count(c.failedWrites)}`],
    [
      'leader share of key-reads',
      c.leaderShareInterval
        ? percentWithInterval(c.leaderShare, c.leaderShareInterval, 2)
        : percent(c.leaderShare, 2) + (c.leaderShareIntervalWithheld !== undefined ? ` (no interval: ${c.leaderShareIntervalWithheld})` : ''),
    ],
    ['read attempts', `${count(c.attempts)} (${count(c.redirects)} redirects, ${count(c.retries)} retries, ${count(c.rounds)} re-read rounds)`],
    ['reads that waited', `${count(c.waits)} (mean wait ${waitMs(c.waitMs.mean)}, p99 ${waitMs(c.waitMs.p99)})`],
  ];
  const labelWidth = Math.max(...costRows.map(([label]) => label.length));
  for (const [label, value] of costRows) lines.push(`  ${label.padEnd(labelWidth)}  ${value}`);
  const kinds = [
    ['read', c.readLatencyMs],
    ['write', c.writeLatencyMs],
  ] as const;
  lines.push(
    table([
      ['latency, ms', 'mean [95% interval]', 'p50', 'p90', 'p99 [95% interval]', 'p99.9', 'max'],
      ...kinds.map(([kind, l]) =>
        l.count === 0
          ? [kind, '—', '—', '—', '—', '—', '—']
          : [kind, msWithInterval(l.mean, l.meanInterval, l.meanIntervalWithheld), ms(l.p50), ms(l.p90), msWithInterval(l.p99, l.p99Interval, l.p99IntervalWithheld), ms(l.p999), ms(l.max)],
      ),
    ]),
  );
  for (const [kind, l] of kinds) {
    if (l.meanIntervalWithheld !== undefined) lines.push(noIntervalLine(`mean ${kind} latency`, l.meanIntervalWithheld));
    if (l.p99IntervalWithheld !== undefined) lines.push(noIntervalLine(`p99 ${kind} latency`, l.p99IntervalWithheld));
  }
  return lines;
}

function nodeLines(summary: RunSummary): string[] {
  const lagOf = (node: NodeSummary): MsSummary | undefined => summary.replicaLag.find((r) => r.node === node.name)?.lagMs;
  const nodeRows = [['', 'region', 'reads', 'writes', 'utilisation', 'lag mean ms', 'lag p50 ms', 'lag p99 ms']];
  for (const node of summary.nodes) {
    const lag = lagOf(node);
    nodeRows.push([
      node.name,
      node.region,
      count(node.readsServed),
      count(node.writesServed),
      node.utilisationIntervalWithheld !== undefined
        ? percentWithInterval(node.utilisation, null, 1)
        : node.utilisationInterval && node.utilisation > 0
          ? percentWithInterval(node.utilisation, node.utilisationInterval, 1)
          : percent(node.utilisation, 1),
      lag ? (lag.count === 0 ? '—' : msWithInterval(lag.mean, lag.meanInterval, lag.meanIntervalWithheld)) : '',
      lag ? msOf(lag.p50, lag.count) : '',
      lag ? (lag.count === 0 ? '—' : msWithInterval(lag.p99, lag.p99Interval, lag.p99IntervalWithheld)) : '',
    ]);
  }
  // Why a figure has no interval: one line per figure (in column order) and reason, naming its nodes
  // in table order, since a run too short for one node's interval is often too short for its neighbours'.
  const figures: [string, (node: NodeSummary) => string | undefined][] = [
    ['utilisation', (node) => node.utilisationIntervalWithheld],
    ['mean lag', (node) => lagOf(node)?.meanIntervalWithheld],
    ['p99 lag', (node) => lagOf(node)?.p99IntervalWithheld],
  ];
  const lines = ['nodes', table(nodeRows)];
  for (const [figure, reasonOf] of figures) {
    const nodesByReason = new Map<string, string[]>();
    for (const node of summary.nodes) {
      const reason = reasonOf(node);
      if (reason !== undefined) nodesByReason.set(reason, [...(nodesByReason.get(reason) ?? []), node.name]);
    }
    for (const [reason, nodes] of nodesByReason) lines.push(noIntervalLine(`${figure} of ${nodes.join(', ')}`, reason));
  }
  return lines;
}

/**
 * The readable summary `lagsim run` prints: anomalies with intervals, then costs, nodes and lag.
 * `clock` is what the batches divide (a real cluster's run is batched over its own time, not a simulated one).
 */
export function summaryTable(summary: RunSummary, reproduce: string, clock = 'simulated time'): string {
  const lines: string[] = [];
  lines.push(
    `lagsim ${summary.lagsim} · ${summary.scenario} · strategy ${describeStrategy(summary.strategy)} · seed ${summary.seed}`,
  );
  lines.push(`simulated ${summary.durationMs / 1000} s after ${summary.warmupMs / 1000} s of warm-up`);
  lines.push('');
  lines.push(...anomalyLines(summary, clock));
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
