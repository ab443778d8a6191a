// `lagsim run --timeseries`: each row covers [previous row's end, its own end); the last ends at the
// run's end (warm-up + duration), shorter when the interval does not divide the run, and its rates
// are per second of its own length; figures the summary counts only after warm-up are blank in rows
// wholly in warm-up. Hand-timed: one read every 10 ms, each taking 3 ms.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simulate } from '../../src/run/pipeline.js';
import { scenarioFromDocument } from '../../src/scenario/parse.js';
import { dataFilesIn } from '../../src/run/load.js';
import { ExitCode } from '../../src/text/exitCodes.js';
import type { TimeSeriesRow } from '../../src/metrics/timeSeries.js';
import { BIN, REPO_ROOT, tempDir } from '../helpers/sim.js';

/**
 * A read arrives every 10 ms (fixed arrivals: 10 ms, 20 ms, …, 9,990 ms; none at or after the end,
 * 10 s), goes 1 ms to the replica, is served in 1 ms (service starts at 10k + 1 ms) and is back at
 * 10k + 3 ms: read k completes at 10k + 3 ms, never on a row boundary of the intervals used here.
 * So a row [a, b) completes the reads with a ≤ 10k + 3 < b, and the replica is busy 1 ms per read.
 */
function constantReads(warmup: string, duration: string) {
  return {
    name: 'constant-reads',
    warmup,
    duration,
    cluster: {
      leader: { region: 'r' },
      replicas: [{ region: 'r', lag: 0, service: { dist: 'constant', value: '1ms' }, concurrency: 1 }],
    },
    network: { latency: { 'r/r': '1ms' } },
    clients: [{ name: 'u', region: 'r', rate: 100, arrivals: 'fixed', steps: 1, think: '1s', actions: [{ do: 'read', key: 'popular' }] }],
  };
}

function rowsOf(raw: unknown, intervalUs: number): TimeSeriesRow[] {
  return simulate(scenarioFromDocument(raw, 'test', dataFilesIn(REPO_ROOT)), { timeSeriesIntervalUs: intervalUs }).timeSeries!.rows;
}

const close = (actual: number | null, expected: number, what: string): void =>
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-9, `${what}: ${actual} vs ${expected}`);

describe('time series rows', () => {
  it('an interval that does not divide the run: the last row is shorter, ends at the run’s end, and has the same reads/s', () => {
    // 10 s in rows of 3 s: [0, 3), [3, 6), [6, 9), [9, 10). The first completes reads 1..299 (the
    // first arrives at 10 ms), the others 300 per 3 s and 100 in the last second: 100/s.
    const rows = rowsOf(constantReads('0s', '10s'), 3_000_000);
    assert.deepEqual(rows.map((row) => row.tS), [3, 6, 9, 10]);
    close(rows[0]!.readsPerS, 299 / 3, 'reads/s in [0, 3)');
    for (const row of rows.slice(1)) close(row.readsPerS, 100, `reads/s in the row ending at ${row.tS} s`);
    // The rows add up to the run: 999 reads.
    const reads = rows.reduce((sum, row, i) => sum + row.readsPerS * (row.tS - (i === 0 ? 0 : rows[i - 1]!.tS)), 0);
    close(reads, 999, 'reads over the rows');
    // The replica serves 1 ms per read: 10% busy in every row, the short one too.
    for (const row of rows.slice(1)) close(row.nodes[1]!.utilisation, 0.1, `replica utilisation in the row ending at ${row.tS} s`);
  });

  it('an interval longer than the run: one row, ending at the run’s end, over the run’s length', () => {
    const rows = rowsOf(constantReads('0s', '10s'), 3_600_000_000);
    assert.deepEqual(rows.map((row) => row.tS), [10]);
    close(rows[0]!.readsPerS, 99.9, 'reads/s');
    close(rows[0]!.nodes[1]!.utilisation, 0.0999, 'replica utilisation');
  });

  it('warm-up: a row wholly in it has no leader share or utilisation (as no anomaly rate); a row across its end counts its time after it', () => {
    // Warm-up 2 s, duration 8 s, rows of 1.5 s: [0, 1.5) wholly in warm-up, [1.5, 3) across its end
    // (1 s counted), …, [9, 10) the short last one.
    const rows = rowsOf(constantReads('2s', '8s'), 1_500_000);
    assert.deepEqual(rows.map((row) => row.tS), [1.5, 3, 4.5, 6, 7.5, 9, 10]);
    const [warm, ...counted] = rows;
    close(warm!.readsPerS, 149 / 1.5, 'reads/s in warm-up: operations flow and are shown');
    assert.equal(warm!.leaderShare, null, 'no leader share in warm-up');
    for (const node of warm!.nodes) assert.equal(node.utilisation, null, `${node.name}: no utilisation in warm-up`);
    for (const rate of Object.values(warm!.rates)) assert.equal(rate, null, 'no anomaly rate in warm-up');
    for (const row of counted) {
      close(row.readsPerS, 100, `reads/s in the row ending at ${row.tS} s`);
      assert.equal(row.leaderShare, 0, `every counted read on the replica, in the row ending at ${row.tS} s`);
      close(row.nodes[0]!.utilisation, 0, `leader utilisation in the row ending at ${row.tS} s`);
      // Service started at 2,001 ms … 2,991 ms in [1.5, 3): 100 ms over its 1 s after warm-up.
      close(row.nodes[1]!.utilisation, 0.1, `replica utilisation in the row ending at ${row.tS} s`);
    }
  });

  it('the leader share counts the reads the summary counts: none of warm-up', () => {
    // The replica is down for the whole run, so the balancer sends every read to the leader: the
    // share is 1 after warm-up and blank before (it was 1 there too, from warm-up reads).
    const leaderOnly = { ...constantReads('2s', '8s'), faults: { events: [{ at: '0s', crash: 'replica-0-1', for: '20s' }] } };
    const rows = rowsOf(leaderOnly, 1_500_000);
    assert.equal(rows[0]!.leaderShare, null);
    for (const row of rows.slice(1)) assert.equal(row.leaderShare, 1, `the row ending at ${row.tS} s`);
  });
});

const BUILT = existsSync(join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js'));

describe('lagsim run --timeseries CSV', { skip: !BUILT && 'dist/ not built (npm test builds it)' }, () => {
  /** The CSV of ghost-post over 30 s of warm-up + 25 s, at the interval given. */
  function csv(dir: string, name: string, interval: string): { header: string[]; rows: string[][] } {
    const args = ['run', 'scenarios/ghost-post.yaml', '--duration', '25s', '--timeseries', join(dir, name), '--interval', interval];
    const r = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(r.status, ExitCode.ok, r.stderr);
    const [header, ...rows] = readFileSync(join(dir, name), 'utf8').trimEnd().split('\n').map((line) => line.split(','));
    return { header: header!, rows };
  }

  it('the review’s case: the last row ends at the run’s end (55 s) and is not inflated; warm-up rows blank; the same bytes twice', () => {
    const { dir, cleanup } = tempDir();
    try {
      const { header, rows } = csv(dir, 'a.csv', '10s');
      const column = (name: string): string[] => rows.map((row) => row[header.indexOf(name)]!);
      assert.deepEqual(column('tMs'), ['10000', '20000', '30000', '40000', '50000', '55000'], 'tMs: each row’s end, the last the run’s');
      // About 130 reads/s throughout (200 sessions, one action a second, two of three reads): the
      // last row (5 s) too, not its reads over 10 s plus the previous row's (199/s before).
      const reads = column('readsPerS').map(Number);
      const mean = reads.slice(0, -1).reduce((a, b) => a + b) / (reads.length - 1);
      for (const [i, r] of reads.entries()) assert.ok(Math.abs(r - mean) < 0.15 * mean, `row ${column('tMs')[i]}: ${r} reads/s vs ${mean.toFixed(1)}`);
      // Warm-up (the first three rows): no anomaly rate, leader share or utilisation; after it, all.
      const counted = ['leaderShare', 'leader-0.utilisation', 'us-west-0-1.utilisation', 'stale.rateEligible'];
      for (const name of counted) {
        assert.deepEqual(column(name).slice(0, 3), ['', '', ''], `${name} is blank in warm-up`);
        for (const cell of column(name).slice(3)) assert.ok(cell !== '' && Number(cell) >= 0, `${name} after warm-up: ${cell}`);
      }
      for (const name of ['readsPerS', 'us-west-0-1.queued', 'us-west-0-1.lagMs']) {
        for (const cell of column(name)) assert.ok(cell !== '', `${name} is shown in every row, warm-up included`);
      }

      // 7 s: the last row is [49 s, 55 s), 6 s long (245.6 reads/s before).
      const seven = csv(dir, 'b.csv', '7s');
      assert.deepEqual(seven.rows.map((row) => row[0]), ['7000', '14000', '21000', '28000', '35000', '42000', '49000', '55000']);
      const lastReads = Number(seven.rows.at(-1)![seven.header.indexOf('readsPerS')]);
      assert.ok(Math.abs(lastReads - mean) < 0.15 * mean, `the last 6 s: ${lastReads} reads/s`);

      // 1 h, longer than the run: one row, [0, 55 s), not one at 3,600 s over 3,600 s (1.98 reads/s before).
      const hour = csv(dir, 'c.csv', '1h');
      assert.equal(hour.rows.length, 1);
      assert.equal(hour.rows[0]![0], '55000');
      const hourReads = Number(hour.rows[0]![hour.header.indexOf('readsPerS')]);
      assert.ok(Math.abs(hourReads - mean) < 0.15 * mean, `over the whole run: ${hourReads} reads/s`);

      csv(dir, 'a2.csv', '10s');
      assert.ok(readFileSync(join(dir, 'a.csv')).equals(readFileSync(join(dir, 'a2.csv'))), 'the same command writes the same bytes');
    } finally {
      cleanup();
    }
  });

  it('a run with nothing for a panel to draw (only writes: no key-read, no anomaly rate) writes its chart without that panel, not an internal error', () => {
    const { dir, cleanup } = tempDir();
    try {
      const scenario = join(dir, 'only-writes.yaml');
      writeFileSync(scenario, 'name: only-writes\nduration: 5s\ncluster:\n  leader: { region: a }\n  replicas: [{ region: a, lag: 50ms }]\nclients:\n  - { name: u, region: a, sessions: 5, think: 100ms, actions: [{ do: write, key: own }] }\n');
      const r = spawnSync(process.execPath, [BIN, 'run', scenario, '--timeseries', join(dir, 'ts.csv')], { cwd: REPO_ROOT, encoding: 'utf8' });
      assert.equal(r.status, ExitCode.ok, r.stderr);
      const spec = readFileSync(join(dir, 'ts.vl.json'), 'utf8');
      assert.ok(existsSync(join(dir, 'ts.svg')));
      assert.match(spec, /Throughput/);
      assert.doesNotMatch(spec, /Anomalies among eligible key-reads/);
    } finally {
      cleanup();
    }
  });
});
