// Parallel apply (replica group `applyWorkers`): entries dealt to the first free worker, visible in
// commit order (MySQL's replica_preserve_commit_order), so the replica stays a prefix of the log.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ReplicaLog } from '../../src/model/replica.js';
import { checkHistory } from '../../src/checks/historyCheck.js';
import { run, tempDir } from '../helpers/sim.js';

const never = (): number => {
  throw new Error('this test draws nothing from the stream');
};
const constant = (us: number) => (): number => us;
const workersLog = (lagUs: number, applyUs: number, workers: number): ReplicaLog =>
  new ReplicaLog(constant(lagUs), 0, constant(applyUs), never, never, null, null, workers);

describe('ReplicaLog with n apply workers', () => {
  it('a burst of m entries at once with apply S: a_i = ceil(i / n) · S', () => {
    for (const workers of [1, 2, 3, 8]) {
      const log = workersLog(0, 10_000, workers);
      const applied = Array.from({ length: 20 }, (_, i) => log.enqueue(i + 1, 0));
      assert.deepEqual(applied, applied.map((_, i) => Math.ceil((i + 1) / workers) * 10_000), `${workers} workers`);
    }
  });

  it('entries every 2 ms, apply 5 ms: stable (a − c = 5 ms) with 3 workers, a growing backlog with 2 (rate 2 per 5 ms < 1 per 2 ms)', () => {
    const three = workersLog(0, 5_000, 3);
    const two = workersLog(0, 5_000, 2);
    for (let i = 1; i <= 1000; i++) {
      assert.equal(three.enqueue(i, i * 2_000) - i * 2_000, 5_000);
      // Two workers finish an entry every 2.5 ms on average: the i-th lands at about 2.5 i ms.
      const lagUs = two.enqueue(i, i * 2_000) - i * 2_000;
      if (i % 2 === 0) assert.equal(lagUs, 5_000 + (i / 2 - 1) * 1_000);
    }
  });

  it('makes a fast entry visible only after the slow one before it (the replica stays a prefix of the log)', () => {
    const apply = [100_000, 1_000, 1_000];
    let k = 0;
    const log = new ReplicaLog(constant(0), 0, () => apply[k++]!, never, never, null, null, 2);
    assert.equal(log.enqueue(1, 0), 100_000);
    assert.equal(log.enqueue(2, 0), 100_000); // finished at 1 ms on the second worker, visible with entry 1
    assert.equal(log.enqueue(3, 0), 100_000); // second worker again: finished at 2 ms
    assert.equal(log.advance(99_999), 0);
    assert.equal(log.advance(100_000), 3);
  });

  it('with as many workers as entries: a_i = max over j ≤ i of (R_j + S_j), R_j the in-order arrival', () => {
    const lags = [50_000, 0, 30_000, 0];
    const applies = [1_000, 40_000, 2_000, 500];
    let l = 0;
    let s = 0;
    const log = new ReplicaLog(() => lags[l++]!, 0, () => applies[s++]!, never, never, null, null, 4);
    const commits = [0, 1_000, 2_000, 3_000];
    const got = commits.map((c, i) => log.enqueue(i + 1, c));
    // r = 50, 1, 32, 3 ms → received in order at 50, 50, 50, 50 ms; finishes 51, 90, 52, 50.5 ms.
    assert.deepEqual(got, [51_000, 90_000, 90_000, 90_000]);
  });

  it('one worker is the classical a_i = max(a_{i−1}, r_i) + S_i', () => {
    const one = workersLog(0, 3_000, 1);
    assert.deepEqual([0, 1_000, 10_000].map((c, i) => one.enqueue(i + 1, c)), [3_000, 6_000, 13_000]);
  });
});

describe('a replica group with applyWorkers in a run', () => {
  const scenario = (workers: number) => ({
    name: 'parallel-apply',
    duration: '20s',
    cluster: { leader: { region: 'r' }, replicas: [{ region: 'r', lag: 0, apply: '5ms', applyWorkers: workers }] },
    clients: [{ name: 'w', region: 'r', rate: 500, arrivals: 'fixed', steps: 1, think: '1s', actions: [{ do: 'write', key: 'popular' }] }],
  });

  it('keeps up where one worker cannot: writes every 2 ms, apply 5 ms, 3 workers → every a − c is 5 ms', () => {
    const lag = run(scenario(3)).summary.replicaLag[0]!.lagMs;
    assert.equal(lag.max, 5);
    assert.equal(lag.mean, 5);
    const single = run(scenario(1)).summary.replicaLag[0]!.lagMs;
    assert.ok(single.max > 10_000, `one worker falls behind without bound: max a − c ${single.max} ms`);
  });

  it('writes a history whose every flag the independent recount confirms', () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = join(dir, 'h.jsonl');
      run(
        {
          ...scenario(4),
          cluster: { leader: { region: 'r' }, replicas: [{ region: 'r', lag: { dist: 'exponential', mean: '20ms' }, lagHold: 0, apply: { dist: 'exponential', mean: '3ms' }, applyWorkers: 4 }] },
          clients: [{ name: 'u', region: 'r', sessions: 50, think: { dist: 'exponential', mean: '5ms' }, actions: [{ do: 'write', key: 'own' }, { do: 'read', key: 'own' }] }],
        },
        [],
        file,
      );
      const result = checkHistory(readFileSync(file, 'utf8'), file);
      assert.ok(result.reads > 1000);
      assert.equal(result.mismatches.length, 0);
      assert.ok(result.counts.ryw.violations > 0, 'the case has read-your-writes violations to check');
    } finally {
      cleanup();
    }
  });
});
