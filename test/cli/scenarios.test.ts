// Every file in scenarios/ validates and runs (shortened), whoever added it: the folder is listed,
// not named file by file. Each run's summary must hang together (counts, rates, intervals, nodes).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { basename } from 'node:path';
import { ANOMALIES } from '../../src/checks/anomalies.js';
import { simulate } from '../../src/run/pipeline.js';
import { wilson } from '../../src/metrics/wilson.js';
import type { RunSummary } from '../../src/report/summary.js';
import { loadScenario } from '../../src/run/load.js';
import type { Scenario } from '../../src/scenario/schema.js';
import { shippedScenarios } from '../helpers/sim.js';

/** An interval holds its rate, lies in [0, 1], names its method; a missing one says why (or there is no rate). */
function assertIntervalCoherent(
  rate: number | null,
  interval: RunSummary['anomalies']['ryw']['rateInterval'],
  withheld: string | null,
  what: string,
): void {
  if (rate === null) {
    assert.equal(interval, null, `${what}: no interval without key-reads`);
    return;
  }
  if (interval === null) {
    assert.ok(withheld !== null && withheld.length > 0, `${what}: a missing interval says why`);
    return;
  }
  assert.equal(withheld, null, `${what}: an interval is not also withheld`);
  assert.ok(interval.low >= 0 && interval.low <= rate && rate <= interval.high && interval.high <= 1, `${what}: ${JSON.stringify(interval)} holds ${rate}`);
  assert.ok(interval.method === 'batch-means' || interval.method === 'no-variance', `${what}: method ${interval.method}`);
  if (rate === 0) assert.ok(Math.abs(interval.high - wilson(0, interval.effectiveSampleSize!)!.high) < 1e-12, `${what}: 0 violations: Wilson's bound`);
}

/** A figure with values and no interval says why in `<interval>Withheld`; one with an interval, or without values, does not. */
function assertWithheldCoherent(interval: unknown, withheld: string | undefined, count: number, what: string): void {
  if (interval === undefined) return assert.equal(withheld, undefined, `${what}: no reason without an interval field`);
  if (interval === null && count > 0) assert.ok(withheld !== undefined && withheld.length > 0, `${what}: a missing interval says why`);
  else assert.equal(withheld, undefined, `${what}: ${interval === null ? 'no values' : 'an interval'}, no reason`);
}

function assertCoherent(summary: RunSummary, scenario: Scenario): void {
  const keyReads = summary.anomalies.stale.keyReads;
  for (const name of ANOMALIES) {
    const a = summary.anomalies[name];
    assert.equal(a.keyReads, keyReads, `${name}: every counted key-read counts for every anomaly`);
    assert.ok(a.violations >= 0 && a.violations <= a.eligible && a.eligible <= a.keyReads, `${name}: 0 ≤ violations ≤ eligible ≤ key-reads`);
    assert.ok(a.violatingReads <= a.violations && (a.violations === 0) === (a.violatingReads === 0), `${name}: violating reads`);
    assert.equal(a.rate, a.keyReads === 0 ? null : a.violations / a.keyReads, `${name}: rate`);
    assert.equal(a.rateEligible, a.eligible === 0 ? null : a.violations / a.eligible, `${name}: rateEligible`);
    assertIntervalCoherent(a.rate, a.rateInterval, a.rateIntervalWithheld, `${name}: rate`);
    assertIntervalCoherent(a.rateEligible, a.rateEligibleInterval, a.rateEligibleIntervalWithheld, `${name}: rateEligible`);
  }
  assert.equal(summary.anomalies.stale.eligible, keyReads, 'every key-read is stale-eligible');
  const latencies = [
    ['read latency', summary.costs.readLatencyMs],
    ['write latency', summary.costs.writeLatencyMs],
    ...summary.replicaLag.map((r) => [`${r.node} lag`, r.lagMs] as const),
  ] as const;
  for (const [what, l] of latencies) {
    assertWithheldCoherent(l.meanInterval, l.meanIntervalWithheld, l.count, `${what} mean`);
    assertWithheldCoherent(l.p99Interval, l.p99IntervalWithheld, l.count, `${what} p99`);
  }
  for (const node of summary.nodes) assertWithheldCoherent(node.utilisationInterval, node.utilisationIntervalWithheld, 1, `${node.name} utilisation`);
  assert.ok(summary.costs.reads + summary.costs.writes > 0, 'the run did something');
  if (summary.costs.leaderShare !== null) assert.ok(summary.costs.leaderShare >= 0 && summary.costs.leaderShare <= 1);
  // One leader per shard and `count` copies of each replica group per shard, named as the spec says.
  const expectedNodes: string[] = [];
  for (let shard = 0; shard < scenario.cluster.shards; shard++) {
    expectedNodes.push(`leader-${shard}`);
    for (const group of scenario.cluster.replicas) for (let copy = 1; copy <= group.count; copy++) expectedNodes.push(`${group.name}-${shard}-${copy}`);
  }
  assert.deepEqual(summary.nodes.map((n) => n.name).sort(), expectedNodes.sort());
  assert.equal(summary.scenario, scenario.name);
  assert.equal(summary.seed, scenario.seed);
  assert.equal(summary.strategy['name'], scenario.strategy.name);
}

describe('scenarios/: every file validates and runs', () => {
  const files = shippedScenarios();

  it('the folder holds the default scenario and one per strategy family', () => {
    assert.ok(files.some((f) => basename(f) === 'ghost-post.yaml'));
    const names = new Set(files.flatMap((f) => [loadScenario(f).strategy.name, ...Object.keys(loadScenario(f).strategyOptions)]));
    for (const family of ['none', 'pin', 'fallback', 'token', 'sticky']) assert.ok(names.has(family), `no scenario uses ${family}`);
  });

  for (const file of files) {
    it(`${basename(file)} validates as shipped and runs for 2 s after a 1 s warm-up`, () => {
      const asShipped = loadScenario(file);
      assert.ok(asShipped.duration > 0 && asShipped.name.length > 0);
      assert.ok((asShipped.description ?? '').trim().length > 0, 'a description says what the scenario teaches');
      const scenario = loadScenario(file, ['duration=2s', 'warmup=1s']);
      assert.equal(scenario.duration, 2_000_000);
      const { summary } = simulate(scenario);
      assertCoherent(summary, scenario);
      assert.ok(summary.anomalies.stale.keyReads > 0, 'it reads');
    });
  }
});
