// The run's text table (src/report/summaryTable.ts) says why an interval is missing, not only that it is.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { summaryTable } from '../../src/report/summaryTable.js';
import { run } from '../helpers/sim.js';

/** One replica that crashes for good half-way: every read after it goes to the leader. */
function crashHalfWay(crash: boolean) {
  return {
    name: 'half',
    duration: '20s',
    cluster: { leader: { region: 'r' }, replicas: [{ region: 'r', lag: '10ms' }] },
    clients: [{ name: 'u', region: 'r', sessions: 20, think: '100ms', actions: [{ do: 'read', key: 'popular' }] }],
    ...(crash ? { faults: { events: [{ at: '10s', crash: 'replica-0-1' }] } } : {}),
  };
}

const leaderShareLine = (text: string): string => text.split('\n').find((line) => line.includes('leader share of key-reads'))!;

describe('summaryTable: the leader share', () => {
  it('says why it has no interval when the batch means withhold one (a share that jumps from 0 to 1 half-way)', () => {
    const { summary } = run(crashHalfWay(true));
    assert.equal(summary.costs.leaderShareInterval, null);
    assert.equal(summary.costs.leaderShareIntervalWithheld, 'batch means still correlated at 32 batches: run longer');
    assert.equal(
      leaderShareLine(summaryTable(summary, '')),
      `  leader share of key-reads  ${(summary.costs.leaderShare! * 100).toFixed(2)}% (no interval: batch means still correlated at 32 batches: run longer)`,
    );
  });

  it('gives the interval, and no reason, when there is one', () => {
    const { summary } = run(crashHalfWay(false));
    assert.notEqual(summary.costs.leaderShareInterval, null);
    assert.equal('leaderShareIntervalWithheld' in summary.costs, false);
    assert.match(leaderShareLine(summaryTable(summary, '')), /^ {2}leader share of key-reads {2}0\.00% \[0\.00%, 0\.\d\d%\]$/);
  });
});
