/**
 * The text tables `compare` and `sweep` print: anomaly rates, costs, and paired differences
 * against the baseline strategy, one row per grid point.
 */
import { ANOMALIES } from '../checks/anomalies.js';
import type { PairedDifference } from '../metrics/pairedDiff.js';
import { formatDuration } from '../model/duration.js';
import { STRATEGY_NAME_PATH, strategyVaryIndex } from './grid.js';
import { strategyLabels } from './charts/common.js';
import { count, ms, msWithInterval, noIntervalLine, percent, percentWithInterval } from './format.js';
import { formatSeeds } from './seedsText.js';
import { ANOMALY_TITLES } from './summaryTable.js';
import type { PointResult, SweepResult, Versus } from './sweepResult.js';

/**
 * Why a paired difference with a value has no interval: a t-interval over seeds needs two pairs, and
 * pairedDifference withholds it below that (docs/statistics.md, "Across seeds").
 */
export const PAIRED_ONE_SEED = "one seed (a paired difference's t-interval needs two or more: --seeds 1..N)";

/** `+0.123 pp [-0.010, +0.250]`: a paired difference of rates in percentage points; `[no interval]` from one seed. */
export function signedPoints(d: PairedDifference, digits = 3): string {
  if (d.meanDiff === null) return '—';
  const pp = (x: number): string => `${x >= 0 ? '+' : '-'}${Math.abs(x * 100).toFixed(digits)}`;
  return d.interval === null ? `${pp(d.meanDiff)} pp [no interval]` : `${pp(d.meanDiff)} pp [${pp(d.interval.low)}, ${pp(d.interval.high)}]`;
}

/** `+70.0 ms [69.8, 70.2]`; `[no interval]` from one seed. */
export function signedMs(d: PairedDifference): string {
  if (d.meanDiff === null) return '—';
  const v = (x: number): string => `${x >= 0 ? '+' : '-'}${Math.abs(x).toFixed(1)}`;
  return d.interval === null ? `${v(d.meanDiff)} ms [no interval]` : `${v(d.meanDiff)} ms [${v(d.interval.low)}, ${v(d.interval.high)}]`;
}

/** Whether any paired difference of a point shows `[no interval]`. */
export function pairedWithheld(v: Versus): boolean {
  const withheld = (d: PairedDifference): boolean => d.meanDiff !== null && d.interval === null;
  return ANOMALIES.some((a) => withheld(v.anomalies[a])) || withheld(v.leaderShare) || withheld(v.readP99Ms);
}

/**
 * Why the figures of a table that show `[no interval]` have none: one entry per figure and reason,
 * naming its points in table order (as a run's node table does), for the lines under the table.
 */
export function intervalsWithheld(result: SweepResult, figures: readonly PointFigure[]): { what: string; reason: string }[] {
  const { cells } = pointColumns(result);
  const entries: { what: string; reason: string }[] = [];
  for (const [figure, reasonOf] of figures) {
    const pointsByReason = new Map<string, string[]>();
    for (const p of result.points) {
      const reason = reasonOf(p);
      if (reason !== undefined) pointsByReason.set(reason, [...(pointsByReason.get(reason) ?? []), cells(p).join(' ')]);
    }
    for (const [reason, points] of pointsByReason) entries.push({ what: `${figure} of ${points.join(', ')}`, reason });
  }
  return entries;
}

/** A figure of a point that can show `[no interval]`, and where its reason is. */
export type PointFigure = readonly [name: string, reasonOf: (p: PointResult) => string | undefined];

export const LEADER_SHARE_FIGURE: PointFigure = ['leader share', (p) => p.costs.leaderShareIntervalWithheld];
export const READ_P99_FIGURE: PointFigure = ['read p99', (p) => p.costs.readLatencyMs.p99IntervalWithheld];
export const WRITE_P99_FIGURE: PointFigure = ['write p99', (p) => p.costs.writeLatencyMs.p99IntervalWithheld];
/** Each anomaly's rate (`eligible`: among eligible key-reads). */
export const anomalyFigures = (eligible: boolean): PointFigure[] =>
  ANOMALIES.map((a) => [
    eligible ? `${ANOMALY_TITLES[a]} among eligible` : ANOMALY_TITLES[a],
    (p) => (eligible ? p.anomalies[a].rateEligibleIntervalWithheld : p.anomalies[a].rateIntervalWithheld) ?? undefined,
  ]);

/** The columns that name a point: each swept value, with the strategy (short label) last. */
export function pointColumns(result: SweepResult): { header: string[]; cells: (p: PointResult) => string[] } {
  const s = strategyVaryIndex(result.spec.vary);
  const others = result.spec.vary.filter((_, i) => i !== s);
  const labels = strategyLabels(result);
  return {
    header: [...others.map((v) => v.path), 'strategy'],
    cells: (p) => [...others.map((v) => p.values[v.path]!), labels.get(p.point)!],
  };
}

/**
 * `pin: window 10 s, scope session; token: ...` for the strategy labels that leave out options,
 * when every point with the label runs the same options ('' when none).
 */
export function strategyOptionsNote(result: SweepResult): string {
  const labels = strategyLabels(result);
  const full = new Map<string, string | null>();
  for (const p of result.points) {
    const label = labels.get(p.point)!;
    if (label === p.strategy) continue;
    const seen = full.get(label);
    full.set(label, seen === undefined || seen === p.strategy ? p.strategy : null);
  }
  return [...full.entries()]
    .filter((entry): entry is [string, string] => entry[1] !== null)
    .map(([label, text]) => (text.startsWith(`${label} (`) && text.endsWith(')') ? `${label}: ${text.slice(label.length + 2, -1)}` : text))
    .join('; ');
}

/** Aligned columns: the `lead` naming columns left-aligned, the figures right-aligned. */
function joined(header: string[], rows: string[][], lead: number): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  return all
    .map((row) => `  ${row.map((cell, i) => (i < lead ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')}`.trimEnd())
    .join('\n');
}

/** `600 s after 30 s of warm-up`, or a note that the swept parameters change it. */
export function simulatedTime(result: SweepResult): string {
  const first = result.points[0]!;
  const same = result.points.every((p) => p.durationMs === first.durationMs && p.warmupMs === first.warmupMs);
  if (!same) return 'simulated time varies with the grid';
  return `each ${formatDuration(first.durationMs * 1000)} after ${formatDuration(first.warmupMs * 1000)} of warm-up`;
}

export function headline(result: SweepResult): string {
  const { spec, points } = result;
  const seeds = spec.seeds.length;
  const grid =
    spec.vary.length === 0
      ? '1 configuration'
      : spec.vary
          .map((v) => (v.path === STRATEGY_NAME_PATH ? `${v.values.length} strategies` : `${v.values.length} values of ${v.path}`))
          .join(' × ');
  return (
    `lagsim ${spec.lagsim} · ${spec.scenario.name} · ${grid} × ${seeds} seed${seeds === 1 ? '' : 's'} (${formatSeeds(spec.seeds)}) = ` +
    `${points.length * seeds} runs · ${simulatedTime(result)}`
  );
}

export function sweepTables(result: SweepResult): string {
  const columns = pointColumns(result);
  const lead = columns.header.length;
  const lines: string[] = [headline(result)];
  const options = strategyOptionsNote(result);
  if (options !== '') lines.push(`strategy options: ${options}`);
  lines.push('');
  const pooled = result.spec.seeds.length > 1 ? ', pooled over seeds; 95% intervals with the seeds as replications' : '; 95% intervals by batch means';
  lines.push(`anomalies per key-read${pooled} (docs/statistics.md)`);
  lines.push(
    joined(
      [...columns.header, ...ANOMALIES.map((a) => ANOMALY_TITLES[a])],
      result.points.map((p) => [...columns.cells(p), ...ANOMALIES.map((a) => percentWithInterval(p.anomalies[a].rate, p.anomalies[a].rateInterval))]),
      lead,
    ),
  );
  for (const { what, reason } of intervalsWithheld(result, anomalyFigures(false))) lines.push(noIntervalLine(what, reason));
  lines.push('');
  lines.push(
    result.spec.seeds.length > 1
      ? `costs (counts summed over seeds; latency percentiles: mean over seeds, with a 95% interval over seeds)`
      : `costs (one run: 95% intervals by batch means, the p99's by sections; docs/statistics.md)`,
  );
  lines.push(
    joined(
      [...columns.header, 'leader share', 'read p50 ms', 'read p99 ms', 'waits/read', 'redirects/read', 'failed reads'],
      result.points.map((p) => [
        ...columns.cells(p),
        percentWithInterval(p.costs.leaderShare, p.costs.leaderShareInterval, 2),
        ms(p.costs.readLatencyMs.p50),
        msWithInterval(p.costs.readLatencyMs.p99, p.costs.readLatencyMs.p99Interval, p.costs.readLatencyMs.p99IntervalWithheld),
        percent(p.costs.waitsPerRead, 2),
        percent(p.costs.redirectsPerRead, 2),
        `${count(p.costs.failedReads)} (${percent(p.costs.failedReadShare, 2)})`,
      ]),
      lead,
    ),
  );
  for (const { what, reason } of intervalsWithheld(result, [LEADER_SHARE_FIGURE, READ_P99_FIGURE])) lines.push(noIntervalLine(what, reason));
  const compared = result.points.filter((p) => p.versus !== null);
  if (compared.length > 0) {
    lines.push('');
    lines.push(
      `paired difference vs ${result.spec.baseline} (mean over seeds of strategy − ${result.spec.baseline}, same seeds; 95% t-intervals)`,
    );
    lines.push(
      joined(
        [...columns.header, ...ANOMALIES.map((a) => ANOMALY_TITLES[a]), 'leader share', 'read p99'],
        compared.map((p) => {
          const v = p.versus!;
          return [...columns.cells(p), ...ANOMALIES.map((a) => signedPoints(v.anomalies[a])), signedPoints(v.leaderShare, 2), signedMs(v.readP99Ms)];
        }),
        lead,
      ),
    );
    if (compared.some((p) => pairedWithheld(p.versus!))) lines.push(noIntervalLine('the paired differences', PAIRED_ONE_SEED));
  }
  return `${lines.join('\n')}\n`;
}
