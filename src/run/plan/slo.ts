import { ANOMALIES, type Anomaly } from '../../checks/anomalies.js';
import { replicationRatePrecision } from '../../metrics/batchMeans.js';
import type { Interval } from '../../metrics/wilson.js';
import { wilson } from '../../metrics/wilson.js';
import { isFailoverEntry, type RunSummary } from '../../report/summary.js';
import { checkDuration } from '../../model/duration.js';
import { InputError } from '../../text/errors.js';
import { messages } from '../../text/messages.js';

/** What an SLO bounds, estimated from every seed's run of one configuration. */
interface SloMetric {
  help: string;
  /** How values and limits are written and shown. */
  unit: 'rate' | 'ms';
  estimate(runs: readonly RunSummary[]): number;
  /** For a rate bounded by its interval's upper end: the rate seen (pooled over the seeds). */
  observed?(runs: readonly RunSummary[]): number;
}

/** The rate seen over every seed's run: violations over trials, pooled. */
function pooledRate(runs: readonly RunSummary[], pick: (run: RunSummary) => [number, number]): number {
  const [y, n] = runs.map(pick).reduce(([ys, ns], [v, m]) => [ys + v, ns + m], [0, 0]);
  return n === 0 ? 0 : y / n;
}

/**
 * The upper end of a rate's 95% interval over the seeds' runs (docs/statistics.md): the seeds as
 * independent replications; with one seed, that run's batch-means interval where it has one
 * (`single`), else Wilson's. A withheld interval bounds nothing: 1, so the SLO is not shown met.
 */
function upperOverSeeds(runs: readonly RunSummary[], pick: (run: RunSummary) => [number, number], single?: (run: RunSummary) => Interval | null): number {
  const counts = runs.map(pick);
  const total = counts.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return 0;
  if (runs.length === 1) {
    if (single !== undefined) return single(runs[0]!)?.high ?? 1;
    return wilson(counts[0]![0], counts[0]![1])!.high;
  }
  return replicationRatePrecision(counts.map(([y]) => y), counts.map(([, n]) => n)).interval?.high ?? 1;
}

function meanOf(runs: readonly RunSummary[], pick: (run: RunSummary) => number): number {
  return runs.reduce((sum, run) => sum + pick(run), 0) / runs.length;
}

function anomalyMetric(name: Anomaly): SloMetric {
  const counts = (run: RunSummary): [number, number] => [run.anomalies[name].violations, run.anomalies[name].eligible];
  return {
    help: `${name}: upper end of the 95% interval of violations among eligible key-reads (seeds as replications)`,
    unit: 'rate',
    estimate: (runs) => upperOverSeeds(runs, counts, (run) => run.anomalies[name].rateEligibleInterval),
    observed: (runs) => pooledRate(runs, counts),
  };
}

type Percentile = 'p50' | 'p90' | 'p99' | 'p999';

function latencyMetric(kind: 'read' | 'write', percentile: Percentile): SloMetric {
  return {
    help: `${kind} latency ${percentile}, ms (mean over seeds of each run's estimate)`,
    unit: 'ms',
    estimate: (runs) => meanOf(runs, (run) => (kind === 'read' ? run.costs.readLatencyMs : run.costs.writeLatencyMs)[percentile]),
  };
}

/** SLO metrics by name (`lagsim plan --slo 'ryw<0.001,readP99<50ms,leaderUtil<0.7'`). */
export const SLO_METRICS: Record<string, SloMetric> = {
  ...Object.fromEntries(ANOMALIES.map((name) => [name, anomalyMetric(name)])),
  lost: {
    help: 'acknowledged writes lost in failovers, as a share of writes: upper end of the 95% interval (seeds as replications); 0 when no run had a failover',
    unit: 'rate',
    // Writes are lost only in a failover: runs without one lost none for certain, not "0 of n, so
    // up to 0.2%" (the bound of a rate never seen, which no run of such a scenario could ever meet).
    estimate: (runs) => (runs.some((run) => run.faults.some(isFailoverEntry)) ? upperOverSeeds(runs, lostOf) : 0),
    observed: (runs) => pooledRate(runs, lostOf),
  },
  failed: {
    help: 'failed reads and writes as a share of operations: upper end of the 95% interval (seeds as replications)',
    unit: 'rate',
    estimate: (runs) => upperOverSeeds(runs, failedOf),
    observed: (runs) => pooledRate(runs, failedOf),
  },
  readP50: latencyMetric('read', 'p50'),
  readP90: latencyMetric('read', 'p90'),
  readP99: latencyMetric('read', 'p99'),
  readP999: latencyMetric('read', 'p999'),
  writeP50: latencyMetric('write', 'p50'),
  writeP99: latencyMetric('write', 'p99'),
  leaderUtil: {
    help: "the busiest leader's utilisation (mean over seeds)",
    unit: 'rate',
    estimate: (runs) => meanOf(runs, leaderUtilisation),
  },
  leaderShare: {
    help: 'share of key-reads answered by a leader (mean over seeds)',
    unit: 'rate',
    estimate: (runs) => meanOf(runs, (run) => run.costs.leaderShare ?? 0),
  },
};

/** Writes lost in failovers and all writes of a run. */
function lostOf(run: RunSummary): [number, number] {
  return [run.lost.writes, run.costs.writes];
}

/** Failed operations and all operations of a run. */
function failedOf(run: RunSummary): [number, number] {
  const failed = run.costs.failedReads + run.costs.failedWrites;
  return [failed, run.costs.reads + run.costs.writes + failed];
}

export function leaderUtilisation(run: RunSummary): number {
  return Math.max(0, ...run.nodes.filter((node) => node.role === 'leader').map((node) => node.utilisation));
}

export interface Slo {
  metric: string;
  inclusive: boolean;
  limit: number;
  /** As the user wrote it, for output. */
  text: string;
}

/** Parses `ryw<0.001,mr<=0.5%,readP99<=50ms,...`; rates as fractions or percentages, latency limits as durations (a number means ms). */
export function parseSlos(text: string): Slo[] {
  const parts = text.split(',').map((part) => part.trim()).filter((part) => part !== '');
  if (parts.length === 0) throw new InputError('--slo', undefined, messages.sloEmpty);
  return parts.map((part) => {
    const match = /^([A-Za-z0-9]+)\s*(<=|<)\s*(.+)$/.exec(part);
    if (!match) throw new InputError('--slo', undefined, messages.sloSyntax(part));
    const [, metric, op, value] = match as unknown as [string, string, string, string];
    const known = SLO_METRICS[metric];
    if (known === undefined) throw new InputError('--slo', undefined, messages.sloUnknownMetric(metric, Object.keys(SLO_METRICS)));
    let limit: number;
    if (known.unit === 'ms') {
      const duration = checkDuration(/^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value.trim());
      if (!duration.ok) throw new InputError('--slo', metric, duration.message);
      limit = duration.micros / 1000;
    } else {
      // A fraction (0.001) or a percentage (0.1%), as the tables show it.
      const text = value.trim();
      limit = text.endsWith('%') && text.length > 1 ? Number(text.slice(0, -1)) / 100 : Number(text);
      if (!Number.isFinite(limit) || limit < 0 || text === '') throw new InputError('--slo', metric, messages.sloExpectedRate(value));
    }
    return { metric, inclusive: op === '<=', limit, text: part };
  });
}

export interface SloCheck {
  slo: Slo;
  value: number;
  /** limit − value: how much room is left (negative: violated). */
  margin: number;
  met: boolean;
  /**
   * Not met by the interval's upper end, though the rate seen meets the limit: more operations
   * (a longer run, more seeds) narrow the interval and may meet it. False otherwise.
   */
  metOnlyAsSeen: boolean;
}

export function checkSlos(slos: readonly Slo[], runs: readonly RunSummary[]): SloCheck[] {
  return slos.map((slo) => {
    const metric = SLO_METRICS[slo.metric]!;
    const value = metric.estimate(runs);
    const meets = (x: number): boolean => (slo.inclusive ? x <= slo.limit : x < slo.limit);
    const met = meets(value);
    return { slo, value, margin: slo.limit - value, met, metOnlyAsSeen: !met && metric.observed !== undefined && meets(metric.observed(runs)) };
  });
}

/** An SLO value as the tables show it: ms with one decimal; a rate in percent with its significant digits (0.1%, 0.0031%, 46.5%). */
export function formatSloValue(metric: string, value: number): string {
  if (SLO_METRICS[metric]!.unit === 'ms') return `${value.toFixed(1)} ms`;
  const percent = value * 100;
  const abs = Math.abs(percent);
  const text = abs === 0 ? '0' : abs >= 10 ? percent.toFixed(1) : abs >= 1 ? percent.toFixed(2) : String(Number(percent.toPrecision(2)));
  return `${text}%`;
}
