// Aggregation of a sweep's runs, checked against figures recomputed here from the synthetic counts:
// pooled rates and their Wilson intervals, per-seed means, costs, and the paired differences
// against the baseline with a t-interval from the closed form of Student's t at 2 degrees of freedom.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rateInterval } from '../../src/metrics/batchMeans.js';
import { aggregateSweep } from '../../src/report/sweepResult.js';
import { lagPoints, planTasks } from '../../src/report/grid.js';
import { KEY_READS, leaderShare, readP99, rywViolations, SEEDS, syntheticRecords, syntheticSpec } from './syntheticSweep.js';

/** t_{0.975, 2} in closed form: (2p − 1) / √(2p(1 − p)) with p = 0.975. */
const T_975_DF2 = (2 * 0.975 - 1) / Math.sqrt(2 * 0.975 * 0.025);

function meanAndHalf(values: number[]): { mean: number; half: number } {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  return { mean, half: (T_975_DF2 * sd) / Math.sqrt(n) };
}

const close = (a: number | null | undefined, b: number, what: string): void => {
  assert.ok(a !== null && a !== undefined && Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);
};

describe('aggregateSweep', () => {
  const spec = syntheticSpec(true);
  const { runs, lags } = syntheticRecords(spec);
  const result = aggregateSweep(spec, runs, lags);
  const strategies = spec.vary[1]!.values;

  it('has one point per grid point, in grid order (first --vary outermost)', () => {
    assert.equal(result.points.length, 9);
    assert.deepEqual(
      result.points.map((p) => `${p.values['cluster.replicas.0.lag.median']}/${p.strategyName}`),
      ['100ms/none', '100ms/pin', '100ms/token', '300ms/none', '300ms/pin', '300ms/token', '1s/none', '1s/pin', '1s/token'],
    );
    assert.equal(result.points[4]!.config, 'cluster.replicas.0.lag.median=300ms');
  });

  it('pools anomaly counts over seeds, with the seeds as replications for the interval', () => {
    for (const p of result.points) {
      const lagIndex = Math.floor(p.point / 3);
      const violations = SEEDS.reduce((sum, seed) => sum + rywViolations(lagIndex, p.strategyName, seed), 0);
      const ryw = p.anomalies.ryw;
      assert.equal(ryw.violations, violations);
      assert.equal(ryw.keyReads, KEY_READS * SEEDS.length);
      assert.equal(ryw.rate, violations / (KEY_READS * SEEDS.length));
      // Equal key-reads per seed: the ratio estimator's variance is the per-seed rates' variance / n.
      const rates = SEEDS.map((seed) => rywViolations(lagIndex, p.strategyName, seed) / KEY_READS);
      const pooled = violations / (KEY_READS * SEEDS.length);
      const variance = rates.reduce((sum, r) => sum + (r - pooled) ** 2, 0) / (SEEDS.length * (SEEDS.length - 1));
      if (pooled > 0 && variance > 0) {
        const expected = rateInterval(pooled, variance, KEY_READS * SEEDS.length, SEEDS.length, 'replications');
        close(ryw.rateInterval!.low, expected.low, 'replication interval low');
        close(ryw.rateInterval!.high, expected.high, 'replication interval high');
        assert.equal(ryw.rateInterval!.method, 'replications');
      }
      const perSeed = SEEDS.map((seed) => rywViolations(lagIndex, p.strategyName, seed) / KEY_READS);
      const { mean, half } = meanAndHalf(perSeed);
      close(ryw.seedMean, mean, 'per-seed mean');
      close(ryw.seedInterval!.high - ryw.seedInterval!.low, 2 * half, 'per-seed t-interval width');
      assert.equal(p.anomalies.cp.rate, 0);
      assert.equal(p.anomalies.cp.rateEligible, null, 'no eligible reads: no eligible rate');
    }
  });

  it('pools the leader share like a rate and averages latency percentiles over seeds', () => {
    for (const p of result.points) {
      close(p.costs.leaderShare, SEEDS.reduce((s, seed) => s + leaderShare(p.strategyName, seed), 0) / SEEDS.length, 'leader share');
      close(p.costs.readLatencyMs.p99, SEEDS.reduce((s, seed) => s + readP99(p.strategyName, seed), 0) / SEEDS.length, 'read p99');
      assert.equal(p.costs.reads, 9_000 * SEEDS.length);
    }
    const token = result.points.find((p) => p.strategyName === 'token')!;
    assert.equal(token.costs.failedReads, 1 + 2 + 3);
    close(token.costs.failedReadShare, 6 / (9_000 * 3 + 6), 'failed share');
  });

  it('pairs every strategy with the baseline at the same configuration, seed by seed', () => {
    for (const p of result.points) {
      if (p.strategyName === 'none') {
        assert.equal(p.versus, null, 'the baseline is not compared with itself');
        continue;
      }
      const lagIndex = Math.floor(p.point / 3);
      assert.equal(p.versus!.baselinePoint, lagIndex * 3, 'the baseline point of the same lag value');
      const diffs = SEEDS.map((seed) => (rywViolations(lagIndex, p.strategyName, seed) - rywViolations(lagIndex, 'none', seed)) / KEY_READS);
      const { mean, half } = meanAndHalf(diffs);
      close(p.versus!.anomalies.ryw.meanDiff, mean, 'mean difference');
      close(p.versus!.anomalies.ryw.interval!.low, mean - half, 'low');
      close(p.versus!.anomalies.ryw.interval!.high, mean + half, 'high');
      const share = SEEDS.map((seed) => leaderShare(p.strategyName, seed) - leaderShare('none', seed));
      close(p.versus!.leaderShare.meanDiff, meanAndHalf(share).mean, 'leader share difference');
    }
  });

  it('keeps a difference of rates within ±100 pp, and leaves a latency difference unclipped', () => {
    // pin sends (nearly) every read to the leader under seeds 1–3, none never: the t-interval of the
    // leader-share difference, 0.9963 ± 0.0145, would reach past +100 pp.
    const shares = [0.99, 1, 0.999];
    const nearlyAll = runs.map((record) => {
      const strategy = spec.vary[1]!.values[record.point % 3];
      if (strategy !== 'pin') return record;
      const summary = { ...record.summary, costs: { ...record.summary.costs, leaderShare: shares[SEEDS.indexOf(record.seed)]! } };
      return { ...record, summary };
    });
    const clippedResult = aggregateSweep(spec, nearlyAll, lags);
    const pin = clippedResult.points.find((p) => p.strategyName === 'pin')!;
    const { mean, half } = meanAndHalf(shares);
    assert.ok(mean + half > 1);
    close(pin.versus!.leaderShare.interval!.low, mean - half, 'low, inside the range');
    assert.equal(pin.versus!.leaderShare.interval!.high, 1);
    const p99 = meanAndHalf(SEEDS.map((seed) => readP99('pin', seed) - readP99('none', seed)));
    close(pin.versus!.readP99Ms.interval!.high, p99.mean + p99.half, 'a latency difference is not clipped');
  });

  it('does not depend on the order the records come in', () => {
    const shuffled = [...runs].reverse();
    assert.deepEqual(aggregateSweep(spec, shuffled, [...lags].reverse()), result);
  });

  it('refuses an incomplete sweep', () => {
    assert.throws(() => aggregateSweep(spec, runs.slice(1), lags), /incomplete/);
  });

  it('plans every run point-major; the first seed of the baseline strategy records lag, once per configuration', () => {
    const refs = planTasks(spec);
    assert.equal(refs.length, 9 * SEEDS.length, 'no run twice');
    assert.deepEqual(refs.map((r) => r.task), refs.map((_, i) => i));
    assert.deepEqual(refs.slice(0, 4).map((r) => [r.point, r.seed]), [[0, 1], [0, 2], [0, 3], [1, 1]]);
    assert.deepEqual(lagPoints(spec), [0, 3, 6]);
    assert.deepEqual(refs.filter((r) => r.kind === 'lag').map((r) => [r.point, r.seed]), [[0, 1], [3, 1], [6, 1]]);
    assert.deepEqual(strategies, ['none', 'pin', 'token']);
  });
});
