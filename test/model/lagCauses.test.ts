// Lag causes as mechanisms (issue 18): a migration's apply time, long work holding the leader, and
// replica queries that block replay until replay cancels them — each against a count by hand.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkHistory } from '../../src/checks/historyCheck.js';
import { REPO_ROOT, run, tempDir } from '../helpers/sim.js';

const writers = { name: 'w', region: 'r', rate: 100, arrivals: 'fixed', steps: 1, think: '1s', actions: [{ do: 'write', key: 'popular' }] };

describe('a migration (one big transaction)', () => {
  it('holds up every entry committed during its apply: a − c = end of its apply − c', () => {
    const { summary } = run({
      name: 'migration',
      duration: '20s',
      cluster: { leader: { region: 'r' }, replicas: [{ region: 'r', lag: 0 }] },
      clients: [writers],
      migrations: [{ at: '5s', apply: '3s' }],
    });
    // Writes every 10 ms from 10 ms to 19,990 ms (1,999); those at 5,000 to 7,990 ms apply at 8,000 ms.
    let sumMs = 3000; // the migration's own entry: applied 3 s after its commit
    for (let c = 5000; c < 8000; c += 10) sumMs += 8000 - c;
    const lag = summary.replicaLag[0]!.lagMs;
    assert.equal(lag.count, 2000);
    assert.equal(lag.max, 3000);
    assert.ok(Math.abs(lag.mean - sumMs / 2000) < 0.001, `mean a − c ${lag.mean} ms vs ${sumMs / 2000} ms`);
  });
});

describe('long-running work (action hold)', () => {
  it('on a leader with one slot, a write waits for the running analytics query: on average half its length', () => {
    const { summary } = run({
      name: 'analytics-on-leader',
      duration: '20s',
      cluster: { leader: { region: 'r', concurrency: 1 }, replicas: [{ region: 'r', lag: 0 }] },
      clients: [
        { ...writers, rate: 50 },
        { name: 'bi', region: 'r', sessions: 1, think: '1ms', actions: [{ do: 'read', key: 'popular', hold: '1s', target: 'leader' }] },
      ],
    });
    // Back-to-back 1 s holds (1 ms apart); writes every 20 ms find a uniformly distributed residual.
    const mean = summary.costs.writeLatencyMs.mean;
    assert.ok(Math.abs(mean - 500) < 15, `mean write latency ${mean} ms vs 500 ms`);
    assert.ok(summary.costs.writeLatencyMs.max <= 1000);
  });

  it('on a replica with replayConflicts: replay waits up to maxDelay, then cancels the query (a failed read)', () => {
    const scenario = (maxDelay: string | null) => ({
      name: 'conflicts',
      duration: '20s',
      cluster: {
        leader: { region: 'r' },
        replicas: [
          { name: 'reporting', region: 'r', lag: 0, ...(maxDelay === null ? {} : { replayConflicts: { maxDelay } }) },
          { name: 'app', region: 'r', lag: 0 },
        ],
      },
      clients: [
        writers,
        { name: 'bi', region: 'r', sessions: 1, think: '1ms', actions: [{ do: 'read', key: 'popular', hold: '2s', target: 'reporting' }] },
      ],
    });
    const { dir, cleanup } = tempDir();
    try {
      const file = join(dir, 'h.jsonl');
      const { summary } = run(scenario('500ms'), [], file);
      // Queries start at 1 + 501k ms (each cancelled 500 ms in, the next 1 ms later): k = 0..39.
      assert.equal(summary.replayConflicts!.cancelledReads, 40);
      assert.equal(summary.costs.failedReads, 40);
      // Replay runs only in the 1 ms gaps: the reporting replica falls behind, the app replica does not.
      assert.ok(summary.replicaLag[0]!.lagMs.p50 > 200, `reporting lag ${JSON.stringify(summary.replicaLag[0]!.lagMs)}`);
      assert.equal(summary.replicaLag[1]!.lagMs.max, 0);
      const text = readFileSync(file, 'utf8');
      assert.equal(text.split('\n').filter((line) => line.includes('"cancelled":true')).length, 40);
      assert.equal(checkHistory(text, file).mismatches.length, 0);
      if (spawnSync('python3', ['--version']).status === 0) {
        const py = spawnSync('python3', [join(REPO_ROOT, 'tools', 'check_history.py'), file, '--json'], { encoding: 'utf8' });
        assert.ok(py.status === 0, py.stderr);
      }
    } finally {
      cleanup();
    }
    // maxDelay longer than the query: nothing cancelled, replay waits the whole 2 s each time.
    const patient = run(scenario('5s')).summary;
    assert.equal(patient.replayConflicts!.cancelledReads, 0);
    assert.ok(patient.replicaLag[0]!.lagMs.p50 > 500);
    // Without replayConflicts, queries do not touch replay.
    const none = run(scenario(null)).summary;
    assert.equal(none.replicaLag[0]!.lagMs.max, 0);
    assert.equal(none.replayConflicts, undefined);
  });
});

describe('untracked reads (outside the session strategy)', () => {
  const shop = (untracked: number | undefined, strategy: string) => ({
    name: 'untracked',
    duration: '20s',
    cluster: { leader: { region: 'r' }, replicas: [{ region: 'r', lag: '2s' }] },
    clients: [
      {
        name: 'u',
        region: 'r',
        sessions: 50,
        think: '100ms',
        order: 'cycle',
        actions: [{ do: 'write', key: 'own' }, { do: 'read', key: 'own', ...(untracked === undefined ? {} : { untracked }) }],
      },
    ],
    strategy: { name: strategy },
  });

  it('untracked 1 under pin reads like strategy none; untracked 0 like pin; u in between gives u × none', () => {
    const none = run(shop(undefined, 'none')).summary.anomalies.ryw;
    assert.ok(none.rateEligible! > 0.9, `none ${none.rateEligible}`);
    assert.equal(run(shop(0, 'pin')).summary.anomalies.ryw.violations, 0);
    assert.equal(run(shop(1, 'pin')).summary.anomalies.ryw.rateEligible, none.rateEligible);
    const some = run(shop(0.1, 'pin')).summary.anomalies.ryw;
    const expected = 0.1 * none.rateEligible!;
    assert.ok(some.rateEligibleInterval!.low <= expected && expected <= some.rateEligibleInterval!.high, `${JSON.stringify(some)} vs ${expected}`);
  });
});
