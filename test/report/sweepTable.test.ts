// A figure printed without its interval says so, in compare's and sweep's tables and page as in a
// run's (docs/statistics.md, "When there is no interval"): `[no interval]` in the cell and, under the
// table, one line per figure and reason naming its points. One seed gives paired differences no
// interval (a t-interval needs two), and a run too short for a p99's sections gives none either.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { aggregateSweep } from '../../src/report/sweepResult.js';
import { sweepTables } from '../../src/report/sweepTable.js';
import { sweepHtml } from '../../src/report/html.js';
import type { RunSummary } from '../../src/report/summary.js';
import type { SweepSpec } from '../../src/report/sweepData.js';
import { syntheticRecords, syntheticSpec } from './syntheticSweep.js';

const SHORT = 'a section of the run has only 63 values (p99 needs 200): run longer';
const SHORTER = 'a section of the run has only 12 values (p99 needs 200): run longer';

/** The synthetic compare (3 strategies, no other vary) on `seeds`, its p99s withheld as `withheld` says. */
function compareOf(seeds: number[], withheld: (strategy: string) => string | undefined) {
  const spec: SweepSpec = { ...syntheticSpec(false), seeds };
  const { runs, lags } = syntheticRecords(spec);
  for (const run of runs) {
    const summary = run.summary as RunSummary;
    const reason = withheld(String(summary.strategy['name']));
    if (reason !== undefined) summary.costs.readLatencyMs = { ...summary.costs.readLatencyMs, p99Interval: null, p99IntervalWithheld: reason };
  }
  return aggregateSweep(spec, runs, lags);
}

const linesOf = (text: string): string[] => text.split('\n');

describe('sweep and compare tables: figures without an interval', () => {
  it('one seed: every paired difference shows [no interval], and one line under the table says why', () => {
    const lines = linesOf(sweepTables(compareOf([1], () => undefined)));
    const paired = lines.findIndex((line) => line.startsWith('paired difference vs none'));
    assert.ok(paired > 0);
    const rows = lines.slice(paired + 2, paired + 4);
    assert.equal(rows.length, 2);
    for (const row of rows) assert.equal(row.match(/\[no interval\]/g)?.length, 6, row);
    assert.equal(lines[paired + 4], "  no interval for the paired differences: one seed (a paired difference's t-interval needs two or more: --seeds 1..N)");
  });

  it('three seeds: paired differences have their t-intervals and no such line', () => {
    const text = sweepTables(compareOf([1, 2, 3], () => undefined));
    assert.doesNotMatch(text, /\[no interval\]/);
    assert.doesNotMatch(text, /no interval for/);
  });

  it('a p99 withheld in a one-seed run is marked, with its reason under the costs table, points sharing a reason on one line', () => {
    const result = compareOf([1], (strategy) => (strategy === 'token' ? SHORTER : SHORT));
    const lines = linesOf(sweepTables(result));
    const costs = lines.findIndex((line) => line.startsWith('costs ('));
    assert.equal(lines[costs], "costs (one run: 95% intervals by batch means, the p99's by sections; docs/statistics.md)");
    for (const row of lines.slice(costs + 2, costs + 5)) assert.match(row, / \d+\.\d \[no interval\] /, row);
    assert.deepEqual(lines.slice(costs + 5, costs + 7), [`  no interval for read p99 of none, pin: ${SHORT}`, `  no interval for read p99 of token: ${SHORTER}`]);
    assert.equal(result.points[0]!.costs.readLatencyMs.p99IntervalWithheld, SHORT);
  });

  it('the page says the same under its tables', () => {
    const html = sweepHtml(compareOf([1], (strategy) => (strategy === 'none' ? SHORT : undefined)), []);
    assert.ok(html.includes(`<p class="note">No interval for read p99 of none: ${SHORT}.</p>`));
    assert.ok(html.includes('<p class="note">No interval for the paired differences: one seed (a paired difference&#39;s t-interval needs two or more: --seeds 1..N).</p>'));
    const withSeeds = sweepHtml(compareOf([1, 2, 3], () => undefined), []);
    assert.ok(!withSeeds.includes('No interval for'));
  });

  it('over seeds, a figure keeps its interval from the seeds even when a run withheld its own', () => {
    const result = compareOf([1, 2, 3], () => SHORT);
    for (const point of result.points) {
      assert.notEqual(point.costs.readLatencyMs.p99Interval, null);
      assert.equal(point.costs.readLatencyMs.p99IntervalWithheld, undefined);
    }
  });
});
