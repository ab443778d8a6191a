// A small sweep made by hand (no simulation), so that chart, CSV and aggregation tests do not move
// when the model changes: 3 lag medians × 3 strategies × 3 seeds, with counts chosen so that each
// figure can be recomputed in a test from the numbers below.
import { anomalySummary, type RunSummary } from '../../src/report/summary.js';
import { AnomalyCount } from '../../src/checks/anomalies.js';
import { wilson } from '../../src/metrics/wilson.js';
import type { LagRecord, RunRecord, SweepSpec } from '../../src/report/sweepData.js';
import { planTasks } from '../../src/report/grid.js';

export const LAG_VALUES = ['100ms', '300ms', '1s'];
export const STRATEGIES = ['none', 'pin', 'token'];
export const SEEDS = [1, 2, 3];

export function syntheticSpec(vary = true): SweepSpec {
  return {
    lagsim: '0.0.0-test',
    scenario: { name: 'synthetic', description: 'A hand-made sweep for report tests.', file: 'synthetic.yaml', text: 'name: synthetic\n' },
    set: ['duration=1m'],
    vary: vary
      ? [
          { path: 'cluster.replicas.0.lag.median', values: LAG_VALUES },
          { path: 'strategy.name', values: STRATEGIES },
        ]
      : [{ path: 'strategy.name', values: STRATEGIES }],
    seeds: SEEDS,
    baseline: 'none',
  };
}

function count(violations: number, keyReads: number, eligible: number): AnomalyCount {
  const c = new AnomalyCount();
  c.violations = violations;
  c.keyReads = keyReads;
  c.eligible = eligible;
  c.violatingReads = violations;
  return c;
}

/** ryw violations of a run: grows with lag, removed by pin and token, varies with the seed. */
export function rywViolations(lagIndex: number, strategy: string, seed: number): number {
  if (strategy !== 'none') return 0;
  return 20 * (lagIndex + 1) + 3 * seed;
}

export const KEY_READS = 10_000;
export const ELIGIBLE = 3_000;

export function leaderShare(strategy: string, seed: number): number {
  return strategy === 'pin' ? 0.9 + seed / 100 : strategy === 'token' ? 0.05 + seed / 1000 : 0;
}

export function readP99(strategy: string, seed: number): number {
  return strategy === 'none' ? 1 + seed / 10 : 70 + seed;
}

const msSummary = (p50: number, p99: number) => ({ count: 1000, mean: (p50 + p99) / 2, p50, p90: (p50 + p99) / 2, p99, p999: p99 + 1, max: p99 + 2 });

/** Synthetic runs carry no time bins: their per-run intervals are absent. */
const NO_INTERVALS = { rate: { interval: null, untrusted: null }, rateEligible: { interval: null, untrusted: null } };

export function syntheticSummary(lagIndex: number, strategy: string, seed: number): RunSummary {
  const ryw = rywViolations(lagIndex, strategy, seed);
  const anomalies = {
    ryw: anomalySummary(count(ryw, KEY_READS, ELIGIBLE), NO_INTERVALS),
    mr: anomalySummary(count(0, KEY_READS, 2_000), NO_INTERVALS),
    cp: anomalySummary(count(0, KEY_READS, 0), NO_INTERVALS),
    stale: anomalySummary(count(ryw + 5 * (strategy === 'none' ? 1 : 0), KEY_READS, KEY_READS), NO_INTERVALS),
  };
  const visibleAt = (k: number) => (strategy === 'none' ? Math.min(100, 10 * (k + 1) + seed + lagIndex) : 100);
  const tVisibility = [0, 10, 100, 1000].map((fromMs, k) => ({
    fromMs,
    toMs: k < 3 ? [10, 100, 1000][k]! : null,
    keyReads: 100,
    visible: visibleAt(k),
    probability: visibleAt(k) / 100,
    interval: wilson(visibleAt(k), 100),
  }));
  const summary = {
    lagsim: '0.0.0-test',
    scenario: 'synthetic',
    seed,
    durationMs: 60_000,
    warmupMs: 5_000,
    strategy: strategy === 'pin' ? { name: 'pin', windowMs: 2_000, scope: 'session' } : { name: strategy },
    balancer: { policy: 'random' },
    anomalies,
    staleness: { versionsBehind: msSummary(1, 2), timeBehindMs: msSummary(100, 900) },
    tVisibility,
    costs: {
      reads: 9_000,
      writes: 1_000,
      failedReads: strategy === 'token' ? seed : 0,
      failedWrites: 0,
      leaderShare: leaderShare(strategy, seed),
      attempts: 9_000,
      redirects: strategy === 'token' ? 90 : 0,
      rounds: 0,
      waits: 0,
      waitMs: msSummary(0, 0),
      readLatencyMs: msSummary(strategy === 'pin' ? 70 : 0.5, readP99(strategy, seed)),
      writeLatencyMs: msSummary(70, 71),
    },
    nodes: [
      { name: 'leader-0', role: 'leader', shard: 0, region: 'east', readsServed: 1, writesServed: 1_000, utilisation: 0.1 },
      { name: 'replica-0-1', role: 'replica', shard: 0, region: 'west', readsServed: 8_999, writesServed: 0, utilisation: 0.2 },
    ],
    replicaLag: [{ node: 'replica-0-1', lagMs: msSummary(100 * (lagIndex + 1), 400 * (lagIndex + 1)) }],
    events: 123_456 + seed,
  };
  return summary as unknown as RunSummary;
}

/** Every run and lag record of the synthetic sweep, in task order. */
export function syntheticRecords(spec: SweepSpec): { runs: RunRecord[]; lags: LagRecord[] } {
  const runs: RunRecord[] = [];
  const lags: LagRecord[] = [];
  const strategies = spec.vary.find((v) => v.path === 'strategy.name')!.values;
  for (const ref of planTasks(spec)) {
    const lagIndex = spec.vary.length === 2 ? Math.floor(ref.point / strategies.length) : 1;
    const strategy = strategies[ref.point % strategies.length]!;
    const summary = syntheticSummary(lagIndex, strategy, ref.seed);
    runs.push({ ...ref, kind: 'run', summary });
    if (ref.kind === 'lag') {
      const lag = (k: number) => ((k * 37) % 11) * 50 * (lagIndex + 1);
      lags.push({
        ...ref,
        kind: 'lag',
        summary,
        series: {
          stepMs: 1000,
          warmupMs: 5000,
          endMs: 20_000,
          nodes: [{ node: 'replica-0-1', lagMs: Array.from({ length: 21 }, (_, k) => lag(k)), peakMs: Array.from({ length: 21 }, (_, k) => lag(k) + 25) }],
        },
      });
    }
  }
  return { runs, lags };
}
