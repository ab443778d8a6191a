// `lagsim real --compare-sim`: the scenario rebuilt around the probed replicas, and the side-by-side
// of measured and simulated rates. The summaries here come from simulations (no server needed).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { simulate } from '../../src/run/pipeline.js';
import { PROJECT_ROOT } from '../../src/text/version.js';
import { ANOMALIES } from '../../src/checks/anomalies.js';
import { compareSummaries, comparisonTable, simulationScenario } from '../../src/real/compare.js';
import type { RunSummary } from '../../src/report/summary.js';
import { ANOMALY_TITLES } from '../../src/report/summaryTable.js';
import { loadScenario } from '../../src/run/load.js';

const FILE = join(PROJECT_ROOT, 'scenarios', 'pg-ryw.yaml');

function summaryOf(strategy: string): RunSummary {
  return simulate(loadScenario(FILE, ['duration=10s', `strategy.name=${strategy}`])).summary;
}

describe('simulationScenario', () => {
  const scenario = loadScenario(FILE);
  const replicas = [
    { node: 'fast-0-1', weight: 1, samplesUs: [100_000, 101_000] },
    { node: 'slow-0-1', weight: 2, samplesUs: [300_000] },
  ];

  it('models each real replica as its own group lagging by its probed samples, in one region without delays', () => {
    const simulated = simulationScenario(scenario, replicas);
    assert.equal(simulated.cluster.shards, 1);
    assert.deepEqual(
      simulated.cluster.replicas.map((r) => [r.name, r.count, r.weight, r.lag, r.lagHold, r.region]),
      [
        ['fast', 1, 1, { dist: 'empirical', samples: [100_000, 101_000] }, 0, 'local'],
        ['slow', 1, 2, { dist: 'empirical', samples: [300_000] }, 0, 'local'],
      ],
    );
    assert.deepEqual(simulated.network, { latency: {} });
    assert.ok(simulated.clients.every((group) => group.region === 'local'));
    // Everything else is the scenario's own.
    assert.equal(simulated.seed, scenario.seed);
    assert.deepEqual(simulated.strategy, scenario.strategy);
    assert.deepEqual(simulated.clients.map((g) => g.sessions), scenario.clients.map((g) => g.sessions));
  });

  it('keeps node names where stripping the copy number would make two groups one', () => {
    const twins = simulationScenario(scenario, [
      { node: 'db-0-1', weight: 1, samplesUs: [1] },
      { node: 'db', weight: 1, samplesUs: [2] },
    ]);
    assert.deepEqual(twins.cluster.replicas.map((r) => r.name), ['db-0-1', 'db']);
  });
});

describe('compareSummaries and comparisonTable', () => {
  const none = summaryOf('none');
  const token = summaryOf('token');

  it('calls two runs of one model agreeing, anomaly by anomaly', () => {
    const comparison = compareSummaries(none, none);
    assert.deepEqual(comparison.rows.map((row) => row.anomaly), [...ANOMALIES]);
    for (const row of comparison.rows) {
      const a = none.anomalies[row.anomaly];
      assert.equal(row.real.rate, a.rateEligible);
      assert.equal(row.simulated.eligible, a.eligible);
      assert.equal(row.overlap, a.rateEligibleInterval === null ? null : true);
    }
    assert.equal(comparison.agree, true);
    assert.deepEqual(comparison.leaderShare, { real: none.costs.leaderShare, simulated: none.costs.leaderShare });
    const lines = comparisonTable(comparison).split('\n');
    assert.equal(lines[0], 'real vs simulated (rates among eligible key-reads; 95% intervals as each run reports them, by batch means: docs/statistics.md)');
    assert.equal(lines.at(-1), 'the simulation agrees with the real cluster');
  });

  it('does not call an anomaly agreeing when one side withheld its interval: it says which, and why', () => {
    const reason = 'data in only 3 of 16 batches: run longer';
    const withheld = structuredClone(none);
    const withData = ANOMALIES.filter((a) => none.anomalies[a].rateEligible !== null && none.anomalies[a].rateEligibleInterval !== null);
    assert.ok(withData.length >= 2, 'the test needs two anomalies with intervals');
    const [cut, ...kept] = withData;
    withheld.anomalies[cut!] = { ...withheld.anomalies[cut!], rateEligibleInterval: null, rateEligibleIntervalWithheld: reason };
    const comparison = compareSummaries(withheld, none);
    assert.deepEqual(comparison.uncompared, [cut]);
    assert.equal(comparison.rows.find((row) => row.anomaly === cut)!.overlap, null);
    assert.equal(comparison.agree, true);
    const lines = comparisonTable(comparison).split('\n');
    assert.ok(lines.includes(`  no interval for ${ANOMALY_TITLES[cut!]} (real): ${reason}`), lines.join('\n'));
    assert.equal(
      lines.at(-1),
      `the simulation agrees with the real cluster on the ${kept.length} anomal${kept.length === 1 ? 'y' : 'ies'} with intervals on both sides; 1 could not be compared (no interval on one side)`,
    );
    // Nothing to compare at all: said so, not called agreeing.
    const bare = structuredClone(none);
    for (const a of ANOMALIES) bare.anomalies[a] = { ...bare.anomalies[a], rateEligibleInterval: null, rateEligibleIntervalWithheld: bare.anomalies[a].rateEligible === null ? null : reason };
    assert.equal(
      comparisonTable(compareSummaries(bare, none)).split('\n').at(-1),
      'no anomaly could be compared: every rate with data lacks an interval on one side (a longer --duration gives one)',
    );
  });

  it('calls a strategy that removes the misses disagreeing with one that does not, on ryw', () => {
    assert.ok(none.anomalies.ryw.violations > 0 && token.anomalies.ryw.violations === 0);
    const comparison = compareSummaries(none, token);
    const ryw = comparison.rows.find((row) => row.anomaly === 'ryw')!;
    const [r, s] = [ryw.real.interval!, ryw.simulated.interval!];
    assert.equal(ryw.overlap, r.low <= s.high && s.low <= r.high);
    assert.equal(ryw.overlap, false);
    assert.equal(comparison.agree, false);
    // Overlap is symmetric: the same with the sides swapped.
    assert.equal(compareSummaries(token, none).rows.find((row) => row.anomaly === 'ryw')!.overlap, false);
    const table = comparisonTable(comparison);
    assert.match(table, /^ {2}read-your-writes .* NO$/m);
    assert.equal(table.split('\n').at(-1), 'the simulation DISAGREES with the real cluster on at least one anomaly');
  });
});
