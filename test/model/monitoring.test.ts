// Monitoring (issue 18): scraped lag of a constant-lag replica under Poisson writes against its
// closed form, and an alert's onset, firing, time in alert and flaps on a migration's lag ramp.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pairedDifference } from '../../src/metrics/pairedDiff.js';
import { simulate } from '../../src/run/pipeline.js';
import { scenarioFromDocument } from '../../src/scenario/parse.js';
import { dataFilesIn } from '../../src/run/load.js';
import { REPO_ROOT, run } from '../helpers/sim.js';

function meanInterval(values: number[]): { mean: number; low: number; high: number } {
  const diff = pairedDifference(values, values.map(() => 0));
  const interval = diff.interval ?? { low: -Infinity, high: Infinity };
  return { mean: diff.meanDiff ?? NaN, low: interval.low, high: interval.high };
}

describe('time-sampled lag', () => {
  it('a replica L behind under Poisson writes at λ: mean lag L − (1 − e^{−λL})/λ, P(lag > x) = 1 − e^{−λ(L − x)}', () => {
    const lambda = 2;
    const L = 1;
    const x = 0.5;
    const expectedMeanMs = (L - (1 - Math.exp(-lambda * L)) / lambda) * 1000; // 567.7 ms
    const expectedShare = 1 - Math.exp(-lambda * (L - x)); // 0.632
    const means: number[] = [];
    const shares: number[] = [];
    const p99s: number[] = [];
    for (let seed = 1; seed <= 8; seed++) {
      const { summary } = run({
        name: 'scrape',
        seed,
        duration: '200s',
        cluster: { leader: { region: 'r' }, replicas: [{ region: 'r', lag: '1s' }] },
        clients: [{ name: 'w', region: 'r', rate: lambda, steps: 1, think: '1s', actions: [{ do: 'write', key: 'popular' }] }],
        monitor: { every: '100ms', lagAbove: ['500ms'] },
      });
      const replica = summary.monitor!.replicas[0]!;
      assert.equal(replica.samples, 2000);
      means.push(replica.lagMs.mean);
      p99s.push(replica.lagMs.p99);
      shares.push(replica.shareAbove[0]!.share!);
    }
    const m = meanInterval(means);
    assert.ok(m.low <= expectedMeanMs && expectedMeanMs <= m.high, `mean lag ${JSON.stringify(m)} vs ${expectedMeanMs}`);
    // P(lag > x) = 0.01 at x = L + ln(0.99)/λ = 994.97 ms. One run's p99 rests on ~20 scrapes (sd ≈ 1.1 ms);
    // across seeds the mean's interval, widened by the histogram's 0.1% (1 ms) resolution.
    const p99Ms = (L + Math.log(0.99) / lambda) * 1000;
    const p = meanInterval(p99s);
    assert.ok(p.low - 1 <= p99Ms && p99Ms <= p.high + 1, `p99 ${JSON.stringify(p)} vs ${p99Ms}`);
    const s = meanInterval(shares);
    assert.ok(s.low <= expectedShare && expectedShare <= s.high, `share above 500 ms ${JSON.stringify(s)} vs ${expectedShare}`);
  });
});

describe('alerts', () => {
  const scenario = (migrations: unknown[]) => ({
    name: 'alerts',
    duration: '40s',
    cluster: { leader: { region: 'r' }, replicas: [{ region: 'r', lag: 0 }] },
    clients: [{ name: 'w', region: 'r', rate: 10, steps: 1, think: '1s', actions: [{ do: 'write', key: 'popular' }] }],
    migrations,
    monitor: { every: '1s', alerts: [{ name: 'lag-1s', above: '1s', for: '2s' }] },
  });

  it('a migration at 10 s taking 8 s: lag t − 10 s; pending at 12 s, fires at 14 s (3 s after the 11 s onset), resolves at 18 s', () => {
    const { summary, timeSeries } = simulate(scenarioFromDocument(scenario([{ at: '10s', apply: '8s' }]), 'test', dataFilesIn(REPO_ROOT)), {
      timeSeriesIntervalUs: 1_000_000,
    });
    const alert = summary.monitor!.alerts[0]!;
    assert.deepEqual(alert.firings, [{ node: 'replica-0-1', onsetMs: 11_000, firedMs: 14_000, resolvedMs: 18_000 }]);
    assert.equal(alert.fired, 1);
    assert.equal(alert.flaps, 0);
    assert.equal(alert.timeInAlertMs, 4000);
    assert.deepEqual(alert.onsetToAlertMs, { mean: 3000, max: 3000 });
    // The time series marks it.
    assert.deepEqual(
      timeSeries!.faultLog.filter((f) => f.fault.includes('alert')),
      [
        { tS: 14, fault: '+alert lag-1s replica-0-1' },
        { tS: 18, fault: '-alert lag-1s replica-0-1' },
      ],
    );
  });

  it('two ramps: fires twice, one flap; a ramp shorter than the for-window never fires', () => {
    const twice = run(scenario([{ at: '5s', apply: '6s' }, { at: '20s', apply: '6s' }])).summary.monitor!.alerts[0]!;
    assert.equal(twice.fired, 2);
    assert.equal(twice.flaps, 1);
    const short = run(scenario([{ at: '5s', apply: '3500ms' }])).summary.monitor!.alerts[0]!;
    // Lag above 1 s from 6 s to 8.5 s: samples at 7 and 8 s only, 1 s apart < for 2 s.
    assert.equal(short.fired, 0);
    assert.equal(short.onsetToAlertMs, null);
  });
});
