/**
 * A sweep's results per grid point, computed from its run records (and only from them, so a merged
 * sweep and an unsharded one give the same numbers):
 *
 * - anomaly rates pool the counts of every seed (Σ violations / Σ key-reads) with a 95% Wilson
 *   interval, as `run` reports one run; the per-seed mean with a Student-t interval shows the
 *   spread between seeds, which the Wilson interval (reads counted as independent) leaves out;
 * - costs: counts are summed, the leader share is pooled like a rate, and latency percentiles
 *   are the mean over seeds of each run's percentile (percentiles of runs cannot be pooled);
 * - paired differences: each strategy minus the baseline strategy at the same configuration, per
 *   seed (the same seed is the same workload and lag draws: semantics.md section 5), with a t-interval.
 */
import { ANOMALIES, type Anomaly } from '../checks/anomalies.js';
import { pairedDifference, type PairedDifference } from '../metrics/pairedDiff.js';
import type { TVisibilityPoint } from '../metrics/tVisibility.js';
import {
  ANY_VALUE,
  clipped,
  NON_NEGATIVE,
  RATE_DIFFERENCE_RANGE,
  RATE_RANGE,
  replicationMeanPrecision,
  replicationRatePrecision,
  withheldReason,
  type EstimateInterval,
  type Precision,
  type Range,
} from '../metrics/batchMeans.js';
import type { Interval } from '../metrics/wilson.js';
import { baselinePartner, configOf, gridSize, pointValues, strategyVaryIndex } from './grid.js';
import { describeStrategy } from './summaryTable.js';
import type { LagRecord, LagSeries, RunRecord, SweepSpec } from './sweepData.js';
import type { RunSummary } from './summary.js';

export interface AnomalyAggregate {
  violations: number;
  keyReads: number;
  eligible: number;
  rate: number | null;
  /**
   * 95% interval of the pooled rate: the seeds as independent replications (2 seeds or more), or the
   * one run's batch-means interval (docs/statistics.md).
   */
  rateInterval: EstimateInterval | null;
  rateIntervalWithheld: string | null;
  rateEligible: number | null;
  rateEligibleInterval: EstimateInterval | null;
  rateEligibleIntervalWithheld: string | null;
  /** Mean of the seeds' rates and its 95% t-interval (null below 2 seeds). */
  seedMean: number | null;
  seedInterval: Interval | null;
}

export interface LatencyMeans {
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
  /** 95% intervals of the mean over seeds of each run's mean and p99 (replications; the run's own batch-means interval of the mean for one seed). */
  meanInterval: EstimateInterval | null;
  p99Interval: EstimateInterval | null;
  /** Why a figure with values has no interval (present only then), as in a run's summary (docs/statistics.md). */
  meanIntervalWithheld?: string;
  p99IntervalWithheld?: string;
}

export interface CostAggregate {
  reads: number;
  writes: number;
  failedReads: number;
  failedWrites: number;
  attempts: number;
  redirects: number;
  rounds: number;
  waits: number;
  leaderShare: number | null;
  leaderShareInterval: EstimateInterval | null;
  /** Why a leader share has no interval (present only then). */
  leaderShareIntervalWithheld?: string;
  /** Per counted read (failed reads included in the denominator). */
  redirectsPerRead: number | null;
  waitsPerRead: number | null;
  failedReadShare: number | null;
  readLatencyMs: LatencyMeans;
  writeLatencyMs: LatencyMeans;
}

export interface Versus {
  /** The baseline strategy's point at the same configuration. */
  baselinePoint: number;
  /** Differences of the anomaly rates (this − baseline), per key-read. */
  anomalies: Record<Anomaly, PairedDifference>;
  leaderShare: PairedDifference;
  readP99Ms: PairedDifference;
}

export interface PointResult {
  point: number;
  /** Vary path → value as written. */
  values: Record<string, string>;
  /** The values of every vary except the strategy, as `path=value` joined by ', ' ('' when none). */
  config: string;
  /** Configuration number (points differing only in strategy share it). */
  configIndex: number;
  strategy: string;
  strategyName: string;
  seeds: number;
  /** Simulated time measured per run, and the warm-up before it. */
  durationMs: number;
  warmupMs: number;
  anomalies: Record<Anomaly, AnomalyAggregate>;
  costs: CostAggregate;
  replicaLag: { node: string; p50Ms: number; p99Ms: number; maxMs: number }[];
  tVisibility: TVisibilityPoint[];
  versus: Versus | null;
}

export interface LagPanel {
  point: number;
  config: string;
  strategy: string;
  seed: number;
  series: LagSeries;
}

export interface SweepResult {
  spec: SweepSpec;
  points: PointResult[];
  lag: LagPanel[];
}

const mean = (values: readonly number[]): number => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length);
const share = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

function anomalyAggregate(runs: readonly RunSummary[], name: Anomaly): AnomalyAggregate {
  let violations = 0;
  let keyReads = 0;
  let eligible = 0;
  const rates: number[] = [];
  const perSeed = { violations: [] as number[], keyReads: [] as number[], eligible: [] as number[] };
  for (const run of runs) {
    const a = run.anomalies[name];
    if (a === undefined) continue;
    violations += a.violations;
    keyReads += a.keyReads;
    eligible += a.eligible;
    perSeed.violations.push(a.violations);
    perSeed.keyReads.push(a.keyReads);
    perSeed.eligible.push(a.eligible);
    if (a.rate !== null) rates.push(a.rate);
  }
  const spread = pairedDifference(rates, rates.map(() => 0));
  // A rate lies in [0, 1]: its interval over the seeds is clipped to that (paired differences are not).
  const seedInterval = spread.interval === null ? null : clipped(spread.interval, RATE_RANGE);
  const only = runs.length === 1 ? runs[0]!.anomalies[name] : undefined;
  const rate: Precision = only
    ? { interval: only.rateInterval, untrusted: only.rateIntervalWithheld === null ? null : { reason: only.rateIntervalWithheld } }
    : replicationRatePrecision(perSeed.violations, perSeed.keyReads);
  const rateEligible: Precision = only
    ? { interval: only.rateEligibleInterval, untrusted: only.rateEligibleIntervalWithheld === null ? null : { reason: only.rateEligibleIntervalWithheld } }
    : replicationRatePrecision(perSeed.violations, perSeed.eligible);
  return {
    violations,
    keyReads,
    eligible,
    rate: share(violations, keyReads),
    rateInterval: rate.interval,
    rateIntervalWithheld: rate.untrusted?.reason ?? null,
    rateEligible: share(violations, eligible),
    rateEligibleInterval: rateEligible.interval,
    rateEligibleIntervalWithheld: rateEligible.untrusted?.reason ?? null,
    seedMean: spread.meanDiff,
    seedInterval,
  };
}

type LatencyFigures = Pick<LatencyMeans, 'p50' | 'p90' | 'p99' | 'p999' | 'max' | 'mean' | 'meanIntervalWithheld' | 'p99IntervalWithheld'> & {
  count: number;
  meanInterval?: EstimateInterval | null;
  p99Interval?: EstimateInterval | null;
};

/**
 * A latency mean or p99 over the seeds and its interval: with one seed, the run's own interval or
 * the reason it withheld one; with more, the seeds as replications (docs/statistics.md).
 */
function latencyInterval(runs: readonly RunSummary[], pick: (run: RunSummary) => LatencyFigures, figure: 'mean' | 'p99'): { interval: EstimateInterval | null; withheld?: string } {
  if (runs.length === 1) {
    const only = pick(runs[0]!);
    const withheld = figure === 'mean' ? only.meanIntervalWithheld : only.p99IntervalWithheld;
    return { interval: (figure === 'mean' ? only.meanInterval : only.p99Interval) ?? null, ...(withheld !== undefined ? { withheld } : {}) };
  }
  const precision = replicationMeanPrecision(runs.map((run) => pick(run)[figure]), NON_NEGATIVE);
  const counted = runs.some((run) => pick(run).count > 0);
  return { interval: precision.interval, ...(precision.interval === null && counted ? { withheld: withheldReason(precision) } : {}) };
}

function latencyMeans(runs: readonly RunSummary[], pick: (run: RunSummary) => LatencyFigures): LatencyMeans {
  const of = (key: 'p50' | 'p90' | 'p99' | 'p999' | 'max' | 'mean'): number => mean(runs.map((run) => pick(run)[key]));
  const meanFigure = latencyInterval(runs, pick, 'mean');
  const p99Figure = latencyInterval(runs, pick, 'p99');
  return {
    p50: of('p50'),
    p90: of('p90'),
    p99: of('p99'),
    p999: of('p999'),
    max: of('max'),
    mean: of('mean'),
    meanInterval: meanFigure.interval,
    p99Interval: p99Figure.interval,
    ...(meanFigure.withheld !== undefined ? { meanIntervalWithheld: meanFigure.withheld } : {}),
    ...(p99Figure.withheld !== undefined ? { p99IntervalWithheld: p99Figure.withheld } : {}),
  };
}

function costAggregate(runs: readonly RunSummary[]): CostAggregate {
  const sum = (pick: (run: RunSummary) => number): number => runs.reduce((total, run) => total + pick(run), 0);
  const keyReads = sum((run) => run.anomalies.stale.keyReads);
  // leaderShare is a share of the run's counted key-reads; undo it to pool the seeds.
  const leaderKeyReads = sum((run) => Math.round((run.costs.leaderShare ?? 0) * run.anomalies.stale.keyReads));
  const reads = sum((run) => run.costs.reads);
  const failedReads = sum((run) => run.costs.failedReads);
  const redirects = sum((run) => run.costs.redirects);
  const waits = sum((run) => run.costs.waits);
  return {
    reads,
    writes: sum((run) => run.costs.writes),
    failedReads,
    failedWrites: sum((run) => run.costs.failedWrites),
    attempts: sum((run) => run.costs.attempts),
    redirects,
    rounds: sum((run) => run.costs.rounds),
    waits,
    leaderShare: share(leaderKeyReads, keyReads),
    ...leaderShareFigure(runs, keyReads),
    redirectsPerRead: share(redirects, reads + failedReads),
    waitsPerRead: share(waits, reads + failedReads),
    failedReadShare: share(failedReads, reads + failedReads),
    readLatencyMs: latencyMeans(runs, (run) => run.costs.readLatencyMs),
    writeLatencyMs: latencyMeans(runs, (run) => run.costs.writeLatencyMs),
  };
}

/** The pooled leader share's interval, or why it has none: as latencyInterval, for a share of key-reads. */
function leaderShareFigure(runs: readonly RunSummary[], keyReads: number): Pick<CostAggregate, 'leaderShareInterval' | 'leaderShareIntervalWithheld'> {
  if (runs.length === 1) {
    const { leaderShareInterval, leaderShareIntervalWithheld } = runs[0]!.costs;
    return { leaderShareInterval: leaderShareInterval ?? null, ...(leaderShareIntervalWithheld !== undefined ? { leaderShareIntervalWithheld } : {}) };
  }
  const precision = replicationRatePrecision(
    runs.map((run) => Math.round((run.costs.leaderShare ?? 0) * run.anomalies.stale.keyReads)),
    runs.map((run) => run.anomalies.stale.keyReads),
  );
  return { leaderShareInterval: precision.interval, ...(precision.interval === null && keyReads > 0 ? { leaderShareIntervalWithheld: withheldReason(precision) } : {}) };
}

function pooledTVisibility(runs: readonly RunSummary[]): TVisibilityPoint[] {
  const byFrom = new Map<number, { toMs: number | null; keyReads: number[]; visible: number[] }>();
  runs.forEach((run, seed) => {
    for (const p of run.tVisibility) {
      const bucket = byFrom.get(p.fromMs) ?? { toMs: p.toMs, keyReads: new Array<number>(runs.length).fill(0), visible: new Array<number>(runs.length).fill(0) };
      bucket.keyReads[seed] = p.keyReads;
      bucket.visible[seed] = p.visible;
      byFrom.set(p.fromMs, bucket);
    }
  });
  const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);
  return [...byFrom.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([fromMs, b]) => ({
      fromMs,
      toMs: b.toMs,
      keyReads: sum(b.keyReads),
      visible: sum(b.visible),
      probability: share(sum(b.visible), sum(b.keyReads)),
      interval: runs.length === 1 ? (runs[0]!.tVisibility.find((p) => p.fromMs === fromMs)?.interval ?? null) : replicationRatePrecision(b.visible, b.keyReads).interval,
    }));
}

function replicaLagMeans(runs: readonly RunSummary[]): PointResult['replicaLag'] {
  const nodes: string[] = [];
  const byNode = new Map<string, RunSummary['replicaLag'][number]['lagMs'][]>();
  for (const run of runs) {
    for (const r of run.replicaLag) {
      if (!byNode.has(r.node)) {
        nodes.push(r.node);
        byNode.set(r.node, []);
      }
      byNode.get(r.node)!.push(r.lagMs);
    }
  }
  return nodes.map((node) => {
    const lags = byNode.get(node)!;
    return {
      node,
      p50Ms: mean(lags.map((l) => l.p50)),
      p99Ms: mean(lags.map((l) => l.p99)),
      maxMs: mean(lags.map((l) => l.max)),
    };
  });
}

/** `path=value, path=value` for every vary except the strategy. */
export function configLabel(spec: SweepSpec, point: number): string {
  const s = strategyVaryIndex(spec.vary);
  const values = pointValues(spec.vary, point);
  return spec.vary
    .map((v, i) => (i === s ? '' : `${v.path}=${values[i]}`))
    .filter((part) => part !== '')
    .join(', ');
}

/** Paired differences of a figure whose differences lie in `range` (a rate's within ±1: see clipped()). */
function paired(runs: readonly RunSummary[], base: readonly RunSummary[], pick: (run: RunSummary) => number | null, range: Range): PairedDifference {
  const a: number[] = [];
  const b: number[] = [];
  runs.forEach((run, i) => {
    const x = pick(run);
    const y = base[i] === undefined ? null : pick(base[i]!);
    if (x !== null && y !== null) {
      a.push(x);
      b.push(y);
    }
  });
  const difference = pairedDifference(a, b);
  return difference.interval === null ? difference : { ...difference, interval: clipped(difference.interval, range) };
}

/**
 * Aggregates a sweep. `runs` must hold every (point, seed) run of the spec; they may come in any
 * order (they are placed by point and seed).
 */
export function aggregateSweep(spec: SweepSpec, runs: readonly RunRecord[], lags: readonly LagRecord[]): SweepResult {
  const pointCount = gridSize(spec.vary);
  const seedIndex = new Map(spec.seeds.map((seed, i) => [seed, i]));
  const byPoint: RunSummary[][] = Array.from({ length: pointCount }, () => new Array<RunSummary>(spec.seeds.length));
  for (const record of runs) {
    const i = seedIndex.get(record.seed);
    if (i === undefined || record.point >= pointCount) throw new Error(`run record outside the sweep: point ${record.point}, seed ${record.seed}`);
    byPoint[record.point]![i] = record.summary;
  }
  byPoint.forEach((list, point) => {
    // Index by index: array methods skip the holes that missing runs leave.
    for (let i = 0; i < spec.seeds.length; i++) {
      if (list[i] === undefined) throw new Error(`sweep incomplete: grid point ${point} lacks the run of seed ${spec.seeds[i]}`);
    }
  });

  const points: PointResult[] = byPoint.map((list, point) => {
    const values = pointValues(spec.vary, point);
    const first = list[0]!;
    const anomalies = {} as Record<Anomaly, AnomalyAggregate>;
    for (const name of ANOMALIES) anomalies[name] = anomalyAggregate(list, name);
    return {
      point,
      values: Object.fromEntries(spec.vary.map((v, i) => [v.path, values[i]!])),
      config: configLabel(spec, point),
      configIndex: configOf(spec.vary, point),
      strategy: describeStrategy(first.strategy),
      strategyName: String(first.strategy['name']),
      seeds: list.length,
      durationMs: first.durationMs,
      warmupMs: first.warmupMs,
      anomalies,
      costs: costAggregate(list),
      replicaLag: replicaLagMeans(list),
      tVisibility: pooledTVisibility(list),
      versus: null,
    };
  });

  for (const result of points) {
    const partner = baselinePartner(spec, result.point);
    if (partner === null || partner === result.point) continue;
    const runsHere = byPoint[result.point]!;
    const base = byPoint[partner]!;
    const anomalies = {} as Record<Anomaly, PairedDifference>;
    for (const name of ANOMALIES) anomalies[name] = paired(runsHere, base, (run) => run.anomalies[name]?.rate ?? null, RATE_DIFFERENCE_RANGE);
    result.versus = {
      baselinePoint: partner,
      anomalies,
      leaderShare: paired(runsHere, base, (run) => run.costs.leaderShare, RATE_DIFFERENCE_RANGE),
      readP99Ms: paired(runsHere, base, (run) => run.costs.readLatencyMs.p99, ANY_VALUE),
    };
  }

  const lag: LagPanel[] = [...lags]
    .sort((a, b) => a.task - b.task)
    .map((record) => ({
      point: record.point,
      config: configLabel(spec, record.point),
      strategy: points[record.point]!.strategy,
      seed: record.seed,
      series: record.series,
    }));
  return { spec, points, lag };
}
