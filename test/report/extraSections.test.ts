import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { extraSections } from '../../src/report/extraSections.js';
import type { RunSummary } from '../../src/report/summary.js';

const msSummary = (mean: number) => ({ count: 10, mean, p50: mean, p90: mean, p99: mean, p999: mean, max: mean });

describe('extraSections', () => {
  it('prints nothing without the optional blocks', () => {
    assert.deepEqual(extraSections({} as RunSummary), []);
  });

  it('prints queueing, reactions, replay conflicts and monitoring', () => {
    const summary = {
      queueing: [{ node: 'leader-0', requests: 1000, waitMs: msSummary(1.5), serviceMs: msSummary(1), meanQueueLength: 0.25, pWait: 0.5, pWaitInterval: { low: 0.47, high: 0.53 } }],
      reactions: {
        sessions: 100,
        duplicates: { count: 5, per1000Sessions: 50, interval: { low: 10, high: 90, method: 'batch-means', batches: 16, df: 15 } },
        refreshes: { count: 0, per1000Sessions: 0, interval: { low: 0, high: 36.89, method: 'no-variance', batches: 1, df: 0 } },
        abandons: { count: 2, per1000Sessions: 20, interval: null, intervalWithheld: 'too few batches' },
      },
      replayConflicts: { cancelledReads: 3 },
      monitor: {
        everyMs: 15000,
        replicas: [{ node: 'replica-0-1', samples: 40, lagMs: msSummary(250), shareAbove: [{ aboveMs: 1000, share: 0.25, interval: null }] }],
        alerts: [{ name: 'lag-1s', aboveMs: 1000, forMs: 30000, fired: 1, flaps: 0, timeInAlertMs: 120000, onsetToAlertMs: { mean: 35000, max: 35000 }, firings: [] }],
      },
    } as unknown as RunSummary;
    assert.deepEqual(extraSections(summary), [
      '',
      'queueing (wait for a service slot, apart from service time)',
      '            requests                  P(wait)  wait mean ms  wait p99 ms  service mean ms  mean queue\n' +
        '  leader-0     1,000  50.00% [47.00%, 53.00%]           1.5          1.5              1.0       0.250',
      '',
      'reactions (100 sessions; 95% intervals by batch means over simulated time)',
      '  duplicates (resubmitted writes)  5, 50.00 per 1,000 sessions [10.00, 90.00]',
      '  refreshes                        0, 0.00 per 1,000 sessions [0.00, 36.89]',
      '  abandons                         2, 20.00 per 1,000 sessions (no interval: too few batches)',
      '',
      'replay conflicts: 3 reads cancelled by replay',
      '',
      'monitor (replica lag scraped every 15 s)',
      '               scrapes  lag mean ms  lag p50 ms  lag p99 ms  > 1 s\n' + '  replica-0-1       40        250.0       250.0       250.0  25.0%',
      '  alert lag-1s (lag > 1 s for 30 s), summed over replicas: fired 1, flaps 0, in alert 120.0 s, onset to alert 35.0 s mean (35.0 s max)',
    ]);
  });
});

describe('extraSections: what is missing says so', () => {
  it('a P(wait) without an interval says why; statistics of no values are —', () => {
    const none = { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
    const summary = {
      queueing: [
        { node: 'leader-0', requests: 10, waitMs: msSummary(1.5), serviceMs: msSummary(1), meanQueueLength: 0.25, pWait: 0.5, pWaitInterval: null, pWaitIntervalWithheld: 'only 4 batches' },
        { node: 'replica-0-1', requests: 0, waitMs: none, serviceMs: none, meanQueueLength: 0, pWait: null, pWaitInterval: null },
      ],
      monitor: { everyMs: 15000, replicas: [{ node: 'replica-0-1', samples: 0, lagMs: none, shareAbove: [] }], alerts: [] },
    } as unknown as RunSummary;
    assert.deepEqual(extraSections(summary), [
      '',
      'queueing (wait for a service slot, apart from service time)',
      '               requests               P(wait)  wait mean ms  wait p99 ms  service mean ms  mean queue\n' +
        '  leader-0           10  50.00% [no interval]           1.5          1.5              1.0       0.250\n' +
        '  replica-0-1         0                     —             —            —                —       0.000',
      '  no interval for P(wait) of leader-0: only 4 batches',
      '',
      'monitor (replica lag scraped every 15 s)',
      '               scrapes  lag mean ms  lag p50 ms  lag p99 ms\n' + '  replica-0-1        0            —           —           —',
    ]);
  });
});
