// The run's text table (src/report/summaryTable.ts) says why an interval is missing, not only that it is;
// a statistic of no values is `—`, not 0.0; counts that do not add up say so.
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

/**
 * A leader in another region and a replica that crashes for good half-way, both with a service time:
 * reads move to the leader and get slower, so the read latency's mean, each node's utilisation and
 * (for want of values in a section) the read p99 have no interval. No writes.
 */
function slowerHalfWay(crash: boolean) {
  return {
    name: 'half',
    duration: '20s',
    cluster: { leader: { region: 'a', service: '1ms' }, replicas: [{ region: 'r', lag: '10ms', service: '1ms' }] },
    network: { latency: { 'a/r': '20ms' } },
    clients: [{ name: 'u', region: 'r', sessions: 20, think: '100ms', actions: [{ do: 'read', key: 'popular' }] }],
    ...(crash ? { faults: { events: [{ at: '10s', crash: 'replica-0-1' }] } } : {}),
  };
}

/** The lines of `text` from the one starting `first` up to the one before the next blank line. */
const section = (text: string, first: string): string[] => {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.startsWith(first));
  const end = lines.indexOf('', start);
  return lines.slice(start, end);
};

describe('summaryTable: latency, utilisation and lag without an interval', () => {
  it('print [no interval] and a line saying why, and --json has the reason beside the null interval', () => {
    const { summary } = run(slowerHalfWay(true));
    const correlated = 'batch means still correlated at 32 batches: run longer';
    const read = summary.costs.readLatencyMs;
    assert.equal(read.meanInterval, null);
    assert.equal(read.meanIntervalWithheld, correlated);
    assert.equal(read.p99Interval, null);
    assert.equal(read.p99IntervalWithheld, 'a section of the run has only 160 values (p99 needs 200): run longer');
    for (const node of summary.nodes) {
      assert.equal(node.utilisationInterval, null, node.name);
      assert.equal(node.utilisationIntervalWithheld, correlated, node.name);
    }
    const text = summaryTable(summary, '');
    // The batches divide simulated time; a real cluster's run (lagsim real) says its own time.
    assert.match(text, /^anomalies \(per key-read; 95% intervals by batch means over simulated time: docs\/statistics\.md\)$/m);
    assert.match(summaryTable(summary, '', "the run's time"), /^anomalies \(per key-read; 95% intervals by batch means over the run's time: docs\/statistics\.md\)$/m);
    assert.deepEqual(section(text, '  latency, ms'), [
      '  latency, ms  mean [95% interval]  p50   p90  p99 [95% interval]  p99.9   max',
      '  read          17.7 [no interval]  1.0  41.0  41.0 [no interval]   41.0  41.0',
      '  write                          —    —     —                   —      —     —',
      `  no interval for mean read latency: ${correlated}`,
      '  no interval for p99 read latency: a section of the run has only 160 values (p99 needs 200): run longer',
    ]);
    assert.deepEqual(section(text, 'nodes'), [
      'nodes',
      '               region  reads  writes         utilisation  lag mean ms  lag p50 ms  lag p99 ms',
      '  leader-0          a  1,420       0  7.1% [no interval]                                     ',
      '  replica-0-1       r  1,980       0  9.9% [no interval]            —           —           —',
      `  no interval for utilisation of leader-0, replica-0-1: ${correlated}`,
    ]);
  });

  it('give the intervals, and no reason, when there are some', () => {
    const { summary } = run(slowerHalfWay(false));
    const read = summary.costs.readLatencyMs;
    assert.notEqual(read.meanInterval, null);
    assert.equal('meanIntervalWithheld' in read, false);
    for (const node of summary.nodes) {
      assert.notEqual(node.utilisationInterval, null, node.name);
      assert.equal('utilisationIntervalWithheld' in node, false, node.name);
    }
    const text = summaryTable(summary, '');
    assert.doesNotMatch(text, /no interval/);
    assert.match(section(text, '  latency, ms')[1]!, /^ {2}read +\d+\.\d \[\d+\.\d, \d+\.\d\] /);
  });

  it('a replica lag with no interval names its node (and nodes that share a reason share a line)', () => {
    const { summary } = run(slowerHalfWay(false));
    const withLag = {
      ...summary,
      replicaLag: [
        {
          node: 'replica-0-1',
          lagMs: { count: 50, mean: 12, p50: 10, p90: 20, p99: 30, p999: 31, max: 32, meanInterval: null, meanIntervalWithheld: 'only 4 batches', p99Interval: null, p99IntervalWithheld: 'too few values' },
        },
      ],
    };
    const lines = section(summaryTable(withLag, ''), 'nodes');
    assert.match(lines[3]!, /^ {2}replica-0-1 .* 12\.0 \[no interval\] +10\.0 +30\.0 \[no interval\]$/);
    assert.deepEqual(lines.slice(4), ['  no interval for mean lag of replica-0-1: only 4 batches', '  no interval for p99 lag of replica-0-1: too few values']);
  });
});

describe('summaryTable: statistics of no values', () => {
  it('are — (no writes: the write latency and the replica lag; no wait), not 0.0', () => {
    const { summary } = run(slowerHalfWay(false));
    assert.equal(summary.costs.writeLatencyMs.count, 0);
    assert.equal(summary.costs.writeLatencyMs.mean, 0, '--json keeps count 0 and its numbers');
    const text = summaryTable(summary, '');
    assert.match(text, /\n {2}write +— +— +— +— +— +—\n/);
    assert.match(text, /\n {2}replica-0-1 .* +— +— +—\n/);
    assert.match(text, /\n {2}reads that waited {10}0 \(mean wait —, p99 —\)\n/);
  });
});

describe('summaryTable: counts that do not add up', () => {
  it('shows failed reads and writes beside the others, not as a part of them', () => {
    const { summary } = run(slowerHalfWay(false));
    const text = summaryTable({ ...summary, costs: { ...summary.costs, reads: 135, failedReads: 353, writes: 1_200, failedWrites: 7 } }, '');
    assert.deepEqual(section(text, 'costs').slice(1, 3), ['  reads                      135, failed 353', '  writes                     1,200, failed 7']);
  });
});
