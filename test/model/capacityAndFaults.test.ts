// Capacity and faults (issue 6): queueing closed forms, apply capacity, crashes, failover and the
// lag-threshold cascade, each against what can be computed by hand.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simulate } from '../../src/run/pipeline.js';
import { checkHistory } from '../../src/checks/historyCheck.js';
import { pairedDifference } from '../../src/metrics/pairedDiff.js';
import { scenarioFromDocument } from '../../src/scenario/parse.js';
import { dataFilesIn } from '../../src/run/load.js';
import { REPO_ROOT, run, tempDir } from '../helpers/sim.js';

/** A mean across independent replications (seeds) with its 95% t-interval. */
/** A run of `doc` with its history exported, and the history's records as parsed JSON. */
function runWithHistory<R>(doc: unknown): { summary: ReturnType<typeof run>['summary']; records: R[] } {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, 'h.jsonl');
    const { summary } = run(doc, [], path);
    const records = readFileSync(path, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as R);
    return { summary, records };
  } finally {
    cleanup();
  }
}

function meanInterval(values: number[]): { mean: number; low: number; high: number } {
  const diff = pairedDifference(values, values.map(() => 0));
  const interval = diff.interval ?? { low: -Infinity, high: Infinity };
  return { mean: diff.meanDiff ?? NaN, low: interval.low, high: interval.high };
}

function mm1(lambda: number, mu: number, seed: number) {
  return {
    name: 'mm1',
    seed,
    duration: '20s',
    warmup: '2s',
    cluster: {
      leader: { region: 'r' },
      replicas: [{ region: 'r', lag: 0, service: { dist: 'exponential', mean: `${1000 / mu}ms` }, concurrency: 1 }],
    },
    clients: [{ name: 'u', region: 'r', rate: lambda, steps: 1, think: '1s', actions: [{ do: 'read', key: 'popular' }] }],
  };
}

describe('queueing closed forms', () => {
  it('an M/M/1 replica has mean time in system 1/(μ−λ) and utilisation λ/μ', () => {
    const lambda = 600;
    const mu = 1000;
    const sojournMs: number[] = [];
    const utilisation: number[] = [];
    for (let seed = 1; seed <= 8; seed++) {
      const { summary } = run(mm1(lambda, mu, seed));
      sojournMs.push(summary.costs.readLatencyMs.mean);
      utilisation.push(summary.nodes.find((n) => n.role === 'replica')!.utilisation);
    }
    const sojourn = meanInterval(sojournMs);
    const expectedMs = 1000 / (mu - lambda); // 2.5 ms
    assert.ok(sojourn.low <= expectedMs && expectedMs <= sojourn.high, `mean sojourn ${JSON.stringify(sojourn)} ms vs ${expectedMs} ms`);
    const rho = meanInterval(utilisation);
    assert.ok(rho.low <= lambda / mu && lambda / mu <= rho.high, `utilisation ${JSON.stringify(rho)} vs ${lambda / mu}`);
  });
});

function writers(lambda: number, applyMeanMs: number, duration: string) {
  return {
    name: 'apply-capacity',
    duration,
    cluster: {
      leader: { region: 'r' },
      replicas: [{ region: 'r', lag: 0, apply: { dist: 'exponential', mean: `${applyMeanMs}ms` } }],
    },
    clients: [{ name: 'w', region: 'r', rate: lambda, steps: 1, think: '1s', actions: [{ do: 'write', key: 'popular' }] }],
  };
}

describe('apply capacity', () => {
  it('writes faster than applies: lag grows linearly, a_i − c_i ≈ (λ/μ − 1)·c_i', () => {
    const lambda = 1500;
    const mu = 1000;
    const { summary, timeSeries } = simulate(scenarioFromDocument(writers(lambda, 1000 / mu, '20s'), 'test', dataFilesIn(REPO_ROOT)), {
      timeSeriesIntervalUs: 1_000_000,
    });
    // The last entries commit near t = 20 s and wait (λ/μ − 1)·20 s = 10 s.
    const maxLagMs = summary.replicaLag[0]!.lagMs.max;
    const expectedMs = (lambda / mu - 1) * 20_000;
    assert.ok(Math.abs(maxLagMs - expectedMs) < 0.05 * expectedMs, `max a−c ${maxLagMs} ms vs ${expectedMs} ms`);
    // The replica lag of section 1 (t − c of the oldest unapplied entry) grows at 1 − μ/λ per second.
    const rows = timeSeries!.rows;
    const xs = rows.map((row) => row.tS);
    const ys = rows.map((row) => row.nodes[1]!.lagMs! / 1000);
    const mx = xs.reduce((a, b) => a + b) / xs.length;
    const my = ys.reduce((a, b) => a + b) / ys.length;
    const slope = xs.reduce((sum, x, i) => sum + (x - mx) * (ys[i]! - my), 0) / xs.reduce((sum, x) => sum + (x - mx) ** 2, 0);
    assert.ok(Math.abs(slope - (1 - mu / lambda)) < 0.03, `lag slope ${slope} vs ${1 - mu / lambda}`);
  });

  it('writes slower than applies: lag stays bounded (the queue of an M/M/1 apply server)', () => {
    const short = run(writers(500, 1, '10s')).summary.replicaLag[0]!.lagMs;
    const long = run(writers(500, 1, '40s')).summary.replicaLag[0]!.lagMs;
    // Mean a_i − c_i is the M/M/1 sojourn 1/(μ − λ) = 2 ms, whatever the run length.
    assert.ok(Math.abs(short.mean - 2) < 0.3 && Math.abs(long.mean - 2) < 0.3, `means ${short.mean} and ${long.mean} ms vs 2 ms`);
    // FCFS M/M/1 time in system is exponential with rate μ − λ, so its p99 is ln(100)/(μ − λ) =
    // 9.21 ms. The histogram is not what limits the band: at 9 ms HdrHistogram (3 significant
    // digits) has 8 µs buckets and reports a bucket's upper edge, under 0.1% high. Sampling is:
    // successive sojourn times are correlated, so the p99 of one 40 s run (~20,000 entries) varies
    // with sd ≈ 0.5 ms across seeds (30 seeds: 8.47–10.22 ms, mean 9.27), hence a band of ±17%
    // (≈ 3 sd). It still fails if applies did not queue (p99 ln(100)·1 ms = 4.6 ms) or ran 20% slower.
    const p99Ms = (Math.log(100) / (1000 - 500)) * 1000;
    assert.ok(Math.abs(long.p99 - p99Ms) < 0.17 * p99Ms, `p99 ${long.p99} ms vs ln(100)/(μ − λ) = ${p99Ms.toFixed(2)} ms`);
  });
});

function onlyReplica(extra: Record<string, unknown>) {
  return {
    name: 'crash',
    duration: '30s',
    cluster: {
      leader: { region: 'r' },
      replicas: [{ region: 'r', lag: { dist: 'lognormal', median: '50ms', p99: '400ms' } }],
    },
    network: { latency: { 'r/r': '1ms' } },
    clients: [
      {
        name: 'u',
        region: 'r',
        sessions: 50,
        think: { dist: 'exponential', mean: '100ms' },
        actions: [
          { weight: 1, do: 'write', key: 'own' },
          { weight: 4, do: 'read', key: 'popular' },
        ],
      },
    ],
    ...extra,
  };
}

describe('faults', () => {
  it('a crash of the only replica sends reads to the leader through the balancer, then back', () => {
    const scenario = scenarioFromDocument(
      onlyReplica({ faults: { events: [{ at: '10s', crash: 'replica-0-1', for: '10s' }] } }),
      'test',
      dataFilesIn(REPO_ROOT),
    );
    const { summary, timeSeries } = simulate(scenario, { timeSeriesIntervalUs: 1_000_000 });
    const rows = timeSeries!.rows;
    const during = rows.filter((row) => row.tS > 11 && row.tS <= 20);
    const before = rows.filter((row) => row.tS <= 10);
    const after = rows.filter((row) => row.tS > 21);
    for (const row of during) assert.equal(row.leaderShare, 1, `leader share at ${row.tS} s`);
    for (const row of [...before, ...after]) assert.equal(row.leaderShare, 0, `leader share at ${row.tS} s`);
    // Attempts in flight to the replica when it crashed were retried, and no read failed.
    assert.ok(summary.costs.retries > 0, 'some attempts were retried');
    assert.equal(summary.costs.failedReads, 0);
  });

  it('reads fail when no node can be reached (a partition cuts the clients off the whole cluster)', () => {
    const doc = onlyReplica({ faults: { events: [{ at: '10s', partition: ['c', 'r'], for: '5s' }] } });
    (doc.clients[0] as { region: string }).region = 'c';
    (doc as { network: unknown }).network = { latency: { 'c/r': '1ms' } };
    const { summary } = run(doc);
    assert.ok(summary.costs.failedReads > 0 && summary.costs.failedWrites > 0, `failed ${summary.costs.failedReads} reads, ${summary.costs.failedWrites} writes`);
  });

  it('a failover loses exactly the acknowledged writes the promoted replica had not received', () => {
    const { dir, cleanup } = tempDir();
    try {
      const doc = onlyReplica({ faults: { failoverTime: '2s', events: [{ at: '10s', crash: 'leader-0' }] } });
      (doc.cluster.replicas[0] as { count?: number }).count = 3;
      const historyPath = join(dir, 'h.jsonl');
      const { summary } = run(doc, [], historyPath);
      const records = readFileSync(historyPath, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      const failovers = records.filter((r) => r['type'] === 'failover');
      assert.equal(failovers.length, 1);
      const failover = failovers[0] as { crash: number; received: number; lost: [string, number][] };
      // Every committed write with a position above what the promoted replica received, and only those.
      const committedBeforeCrash = records.filter(
        (r) => r['type'] === 'write' && r['failed'] !== true && (r['tc'] as number) <= failover.crash,
      ) as { key: string; version: number }[];
      const expected = committedBeforeCrash
        .filter((w) => w.version > failover.received)
        .map((w) => [w.key, w.version])
        .sort((x, y) => (x[1] as number) - (y[1] as number));
      assert.ok(expected.length > 0, 'the scenario must lose something to test this');
      assert.deepEqual(failover.lost, expected);
      assert.equal(summary.lost.writes, expected.length);
      // Nothing else is lost: no read after the failover returns a lost version, and writes at or
      // below `received` stay visible on the new leader.
      const lostVersions = new Set(failover.lost.map(([, version]) => version));
      for (const r of records) {
        if (r['type'] !== 'read' || r['failed'] === true) continue;
        for (const kr of r['reads'] as { version: number | null }[]) {
          if ((r['t0'] as number) > failover.crash + 2_000_000) assert.ok(!lostVersions.has(kr.version ?? -1), 'a lost version was read');
        }
      }
      // New writes continue numbering after the highest position ever committed.
      const highestBefore = Math.max(...committedBeforeCrash.map((w) => w.version));
      const after = records.filter((r) => r['type'] === 'write' && r['failed'] !== true && (r['tc'] as number) > failover.crash);
      assert.ok(after.length > 0 && after.every((w) => (w['version'] as number) > highestBefore));
    } finally {
      cleanup();
    }
  });

  /**
   * One key k0; a writer writes it at 10 s and 20 s (think 10 s), a reader reads it every second from
   * the replicas. `replicas`: [group name, constant lag] per replica group of one copy.
   */
  function inFlightAtCrash(replicas: [string, string][], faults: Record<string, unknown>, applyWorkers = 1) {
    return {
      name: 'in-flight',
      duration: '25s',
      keyspace: { count: 1 },
      cluster: { leader: { region: 'r' }, replicas: replicas.map(([name, lag]) => ({ name, region: 'r', lag, applyWorkers })) },
      clients: [
        { name: 'w', region: 'r', sessions: 1, think: { dist: 'constant', value: '10s' }, actions: [{ do: 'write', key: 'popular' }] },
        { name: 'r', region: 'r', sessions: 1, think: { dist: 'constant', value: '1s' }, actions: [{ do: 'read', key: 'popular' }] },
      ],
      faults,
    };
  }

  /** [t0 in s, version] of every read of session number `session` in the history at `path`. */
  function readsOf(path: string, session: number): [number, number | null][] {
    return readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((r) => r['type'] === 'read' && r['session'] === session)
      .map((r) => [(r['t0'] as number) / 1e6, (r['reads'] as { version: number | null }[])[0]!.version]);
  }

  it('a leader back before its failover sends its replicas what was in flight when it crashed', () => {
    const { dir, cleanup } = tempDir();
    try {
      // The write of 10 s would arrive at 11 s; the leader is down from 10.5 s to 11.5 s, so the
      // replica receives it when the leader is back (semantics-readings.md), not at the next write's.
      const doc = inFlightAtCrash([['replica', '1s']], { failoverTime: '5s', events: [{ at: '10500ms', crash: 'leader-0', for: '1s' }] });
      const path = join(dir, 'h.jsonl');
      run(doc, [], path);
      const reads = readsOf(path, 2);
      assert.deepEqual(
        reads.filter(([t]) => t >= 9 && t <= 20),
        [[9, 0], [10, 0], [11, 0], [12, 1], [13, 1], [14, 1], [15, 1], [16, 1], [17, 1], [18, 1], [19, 1], [20, 1]],
      );
    } finally {
      cleanup();
    }
  });

  for (const applyWorkers of [1, 2])
  it(`after a failover the other replicas receive from the new leader what it had and they had not (${applyWorkers} apply worker${applyWorkers > 1 ? 's' : ''})`, () => {
    const { dir, cleanup } = tempDir();
    try {
      // near-0-1 (lag 100 ms) has received the write of 10 s by the crash at 10.5 s and is
      // promoted at 11.5 s; far-0-1 (lag 2 s) had not: the new leader sends it, from 11.5 s on,
      // and it arrives at 12 s as it would have (a resent entry arrives no earlier than first sent).
      const doc = inFlightAtCrash([['near', '100ms'], ['far', '2s']], { failoverTime: '1s', events: [{ at: '10500ms', crash: 'leader-0' }] }, applyWorkers);
      const path = join(dir, 'h.jsonl');
      run(doc, [], path);
      const records = readFileSync(path, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
      const failover = records.find((r) => r['type'] === 'failover')!;
      assert.equal(failover['to'], 'near-0-1');
      assert.deepEqual(failover['lost'], []);
      const reads = readsOf(path, 2);
      assert.deepEqual(
        reads.filter(([t]) => t >= 13 && t <= 19),
        [[13, 1], [14, 1], [15, 1], [16, 1], [17, 1], [18, 1], [19, 1]],
      );
      // And it goes on applying: the write of 20 s (arriving at 22 s) is read from 22 s on.
      assert.deepEqual(
        reads.filter(([t]) => t >= 21 && t <= 23),
        [[21, 1], [22, 2], [23, 2]],
      );
    } finally {
      cleanup();
    }
  });

  it('a lag threshold with every replica over it sends every read to the leader (the cascade)', () => {
    const base = {
      name: 'cascade',
      duration: '20s',
      cluster: {
        leader: { region: 'r', service: { dist: 'constant', value: '1ms' } },
        replicas: [{ region: 'r', count: 2, lag: '3s' }],
      },
      clients: [
        {
          name: 'u',
          region: 'r',
          sessions: 100,
          think: { dist: 'exponential', mean: '200ms' },
          actions: [
            { weight: 1, do: 'write', key: 'popular' },
            { weight: 4, do: 'read', key: 'popular' },
          ],
        },
      ],
    };
    const without = run(base).summary;
    const withThreshold = run({ ...base, balancer: { maxLag: '1s', poll: '500ms' } }).summary;
    assert.equal(without.costs.leaderShare, 0);
    assert.ok(withThreshold.costs.leaderShare! > 0.9, `leader share ${withThreshold.costs.leaderShare}`);
    const leaderUtilisation = (s: typeof without) => s.nodes.find((n) => n.name === 'leader-0')!.utilisation;
    // Utilisation = (writes + the reads it now serves) × 1 ms per second.
    const expected = (withThreshold.nodes[0]!.writesServed + withThreshold.nodes[0]!.readsServed) * 0.001 / 20;
    assert.ok(Math.abs(leaderUtilisation(withThreshold) - expected) < 1e-6);
    assert.ok(leaderUtilisation(withThreshold) > 3 * leaderUtilisation(without), 'the leader carries the reads');
  });

  it('a replica that crashes serves none of the reads queued at it or in its service: they fail there and are retried', () => {
    const { dir, cleanup } = tempDir();
    try {
      // One service slot of 5 ms for 10 sessions reading every 20 ms or so: a queue forms. A read
      // the replica serves completes 5 ms (service) + 1 ms (the way back) after its service starts.
      const doc = {
        name: 'queued-at-crash',
        duration: '6s',
        keyspace: { count: 100 },
        cluster: { leader: { region: 'r' }, replicas: [{ region: 'r', lag: '10ms', service: '5ms', concurrency: 1 }] },
        network: { latency: { 'r/r': '1ms' } },
        clients: [{ name: 'u', region: 'r', sessions: 10, think: { dist: 'exponential', mean: '20ms' }, actions: [{ do: 'read', key: 'popular' }] }],
        faults: { events: [{ at: '2s', crash: 'replica-0-1', for: '1s' }] },
      };
      const path = join(dir, 'h.jsonl');
      const { summary } = run(doc, [], path);
      const servedWhileDown = readFileSync(path, 'utf8')
        .split('\n')
        .filter((line) => line.startsWith('{"type":"read"'))
        .map((line) => JSON.parse(line) as { t1: number; reads: { node: string }[] })
        .filter((read) => read.reads.some((r) => r.node === 'replica-0-1') && read.t1 - 6000 >= 2_000_000 && read.t1 - 6000 < 3_000_000);
      assert.deepEqual(servedWhileDown, []);
      assert.ok(summary.costs.retries > 0, 'no read was cut off by the crash: the case is not exercised');
      assert.equal(summary.costs.failedReads, 0);
    } finally {
      cleanup();
    }
  });

  it('a read on two shards whose first part finds no node completes once (its other part still counts)', () => {
    const { dir, cleanup } = tempDir();
    try {
      // Reads of 6 keys on both shards, targeted at group `an`; its shard-0 copy is down for 500 ms,
      // so the read's part 0 fails at once, before part 1 is sent.
      const doc = {
        name: 'first-part-fails',
        duration: '3s',
        keyspace: { count: 40 },
        cluster: { leader: { region: 'r' }, shards: 2, replicas: [{ name: 'an', region: 'r', lag: '5ms' }] },
        network: { latency: { 'r/r': '1ms' } },
        clients: [{ name: 'u', region: 'r', sessions: 20, think: { dist: 'exponential', mean: '20ms' }, actions: [{ weight: 1, do: 'write', key: 'popular' }, { weight: 2, do: 'read', key: 'popular', count: 6, target: 'an' }] }],
        faults: { events: [{ at: '500ms', crash: 'an-0-1', for: '500ms' }] },
      };
      const path = join(dir, 'h.jsonl');
      const { summary, simulator } = run(doc, [], path);
      assert.equal(simulator.operationsInFlight(), 0);
      const recount = checkHistory(readFileSync(path, 'utf8'), path);
      assert.deepEqual(recount.mismatches, []);
      assert.ok(summary.costs.failedReads > 0, 'no read lost a part: the case is not exercised');
      assert.equal(recount.reads, summary.costs.reads);
      assert.equal(recount.writes, summary.costs.writes);
    } finally {
      cleanup();
    }
  });

  describe('a crash the node is back from before the request\'s next step cuts the request all the same', () => {
    /**
     * Sessions 1 and 2 read k0 from the replica, 3 and 4 write it on the leader; each operation
     * starts at 1 s (the think time), arrives 1 ms later and takes 100 ms of service on one slot: at
     * each node, session 1 (or 3) is in service from 1.001 s to 1.101 s while 2 (or 4) waits in the
     * queue, then in service until 1.201 s. `crash` goes down at 1.05 s for 10 ms.
     */
    const shortCrash = (crash: string) => ({
      name: 'short-crash',
      duration: '3s',
      keyspace: { count: 1 },
      cluster: {
        leader: { region: 'r', service: '100ms', concurrency: 1 },
        replicas: [{ region: 'r', lag: 0, service: '100ms', concurrency: 1 }],
      },
      network: { latency: { 'r/r': '1ms' } },
      clients: [
        { name: 'u', region: 'r', sessions: 2, think: { dist: 'constant', value: '1s' }, actions: [{ do: 'read', key: 'popular' }] },
        { name: 'w', region: 'r', sessions: 2, think: { dist: 'constant', value: '1s' }, actions: [{ do: 'write', key: 'popular' }] },
      ],
      faults: { failoverTime: '5s', events: [{ at: '1050ms', crash, for: '10ms' }] },
    });
    type Completion = { type: string; session: number; t1: number; failed?: boolean; version?: number; reads?: { node: string }[] };
    const runShortCrash = (doc: unknown) => {
      const { summary, records } = runWithHistory<Completion>(doc);
      /** [t1 in ms, version or 'failed'] of each operation of session `session` that started at 1 s. */
      const first = (session: number) => {
        const r = records.find((record) => record.session === session)!;
        return [r.t1 / 1000, r.failed === true ? 'failed' : (r.version ?? r.reads![0]!.node)];
      };
      return { summary, records, first };
    };

    it('a read in service: it fails at the end of its service and is retried', () => {
      // Session 1's service ends at 1.101 s: the reply says it failed (1.102 s), the retry is served
      // from 1.103 s to 1.203 s. Before, the crash went unnoticed: the read completed at 1.102 s.
      const { summary, first } = runShortCrash(shortCrash('replica-0-1'));
      assert.deepEqual(first(1), [1204, 'replica-0-1']);
      assert.equal(summary.costs.retries, 2);
      assert.equal(summary.costs.failedReads, 0);
    });

    it('a read waiting in the queue: it fails when it leaves the queue, never served', () => {
      // Session 2 leaves the queue at 1.101 s and fails there; its retry waits behind session 1's
      // and is served from 1.203 s. Before, it was served from 1.101 s and completed at 1.202 s.
      const { summary, records, first } = runShortCrash(shortCrash('replica-0-1'));
      assert.deepEqual(first(2), [1304, 'replica-0-1']);
      // Every read the replica started serving returned from it, but for the one the crash cut in
      // service (session 1's): session 2's cut connection took no service.
      const returned = records.filter((r) => r.type === 'read' && r.reads?.[0]?.node === 'replica-0-1').length;
      assert.equal(summary.nodes.find((n) => n.name === 'replica-0-1')!.readsServed, returned + 1);
    });

    /**
     * Session 1 writes k0 at 1 s (committed at 1.001 s, applied 3 s later, at 4.001 s), then reads it
     * at 2.002 s; the replica holds the read from 2.003 s until it has applied the write or `timeout`
     * has passed, and crashes at 2.5 s for 10 ms.
     */
    const waitingForToken = (timeout: string) => ({
      name: 'short-crash-wait',
      duration: '5s',
      keyspace: { count: 1 },
      cluster: { leader: { region: 'r' }, replicas: [{ region: 'r', lag: '3s' }] },
      network: { latency: { 'r/r': '1ms' } },
      clients: [
        {
          name: 'u',
          region: 'r',
          sessions: 1,
          order: 'cycle',
          think: { dist: 'constant', value: '1s' },
          actions: [{ do: 'write', key: 'popular' }, { do: 'read', key: 'lastWritten' }],
        },
      ],
      strategy: { name: 'token', mode: 'wait', timeout },
      faults: { events: [{ at: '2500ms', crash: 'replica-0-1', for: '10ms' }] },
    });

    it('a read holding for its token (mode wait): it fails at its recheck and is retried', () => {
      // The recheck at 4.001 s fails the read; its retry is served at 4.003 s. Before, the read was
      // served at the recheck and completed at 4.002 s.
      const { summary, records } = runShortCrash(waitingForToken('5s'));
      const read = records.find((r) => r.type === 'read')!;
      assert.deepEqual([read.t1, read.reads![0]!.node], [4_004_000, 'replica-0-1']);
      assert.deepEqual([summary.costs.retries, summary.costs.waits], [1, 1]);
    });

    it('a read holding for its token past its timeout: it fails at its recheck, not as behind', () => {
      // The recheck at the timeout (3.503 s) fails the read: the client retries where the strategy
      // sends it, the replica, which holds it again (3.505 s) until the write is applied (4.001 s).
      // Before, the replica answered "behind" and the client re-sent the read to the leader (3.506 s).
      const { summary, records } = runShortCrash(waitingForToken('1500ms'));
      const read = records.find((r) => r.type === 'read')!;
      assert.deepEqual([read.t1, read.reads![0]!.node], [4_002_000, 'replica-0-1']);
      assert.deepEqual([summary.costs.retries, summary.costs.redirects, summary.costs.waits], [1, 0, 2]);
    });

    it('a write in service at the leader: it never commits', () => {
      // Session 3's service ends at 1.101 s: the write fails, and the next committed write (session
      // 3's of 2.102 s) takes position 1. Before, it committed as version 1 at 1.101 s.
      const { records, first } = runShortCrash(shortCrash('leader-0'));
      assert.deepEqual(first(3), [1102, 'failed']);
      const committed = records.filter((r) => r.type === 'write' && r.failed !== true);
      assert.deepEqual(committed.map((w) => [w.session, w.version]), [[3, 1], [4, 2]]);
    });

    it('a write waiting in the leader\'s queue: it fails when it leaves the queue, never served', () => {
      // Session 3's service ends at 1.101 s (it fails: the test above); session 4's write leaves the
      // queue then and fails at once, as a queued read does (reply at 1.102 s). Before, it committed
      // as version 2 at 1.201 s; then, for a while, it was served for 100 ms and failed at 1.201 s.
      const { summary, first } = runShortCrash(shortCrash('leader-0'));
      assert.deepEqual(first(4), [1102, 'failed']);
      // Neither write of 1 s was served: the leader served the two that started after it (2.1 s and 2.2 s), no more.
      const leader = summary.nodes.find((node) => node.name === 'leader-0')!;
      assert.equal(leader.writesServed, summary.costs.writes);
      assert.equal(summary.costs.failedWrites, 2);
    });
  });

  describe('a fault does not move an apply that was due before it', () => {
    // One replica 10 ms behind; one session writes its own row at 25 ms (due on the replica at 35 ms)
    // and reads it at 50 ms, every 25 ms. Nothing looks at the replica between 35 ms and the fault
    // at 40 ms, so the apply is still in its queue then (applies are taken when someone looks).
    const faulted = (fault: Record<string, string>): Record<string, unknown> => ({
      name: 'due-before-fault',
      duration: '100ms',
      cluster: { leader: { region: 'r' }, replicas: [{ region: 'r', lag: { dist: 'constant', value: '10ms' } }] },
      clients: [{ name: 'u', region: 'r', sessions: 1, order: 'cycle', think: { dist: 'constant', value: '25ms' }, actions: [{ do: 'write', key: 'own' }, { do: 'read', key: 'own' }] }],
      faults: { events: [{ at: '40ms', for: '50ms', ...fault }] },
    });
    const readAt50 = (doc: unknown): unknown => {
      type Read = { type: string; t0: number; failed?: boolean; reads?: { version: number | null; node: string }[] };
      const read = runWithHistory<Read>(doc).records.find((record) => record.type === 'read' && record.t0 === 50_000)!;
      return read.failed === true ? 'failed' : read.reads!.map((r) => [r.node, r.version]);
    };

    it('a pause at 40 ms: the read at 50 ms sees the version applied at 35 ms', () => {
      // Before, the pause moved the apply to its end (90 ms) and the read saw version 0.
      assert.deepEqual(readAt50(faulted({ pause: 'replica-0-1' })), [['replica-0-1', 1]]);
    });
  });

  /** 20 sessions writing and reading through 1 ms of network; `events` crash what they name. */
  const waiting = (failoverTime: string, events: unknown[]) => ({
    name: 'waiting',
    duration: '10s',
    keyspace: { count: 100 },
    cluster: { leader: { region: 'r' }, replicas: [{ region: 'r', count: 2, lag: '10ms' }] },
    network: { latency: { 'r/r': '1ms' } },
    clients: [{ name: 'u', region: 'r', sessions: 20, think: { dist: 'exponential', mean: '50ms' }, actions: [{ weight: 1, do: 'write', key: 'popular' }, { weight: 1, do: 'read', key: 'popular' }] }],
    faults: { failoverTime, duringFailover: 'wait', events },
  });

  describe('crashes of one leader that follow or overlap each other', () => {
    const records = (doc: unknown) => {
      const { dir, cleanup } = tempDir();
      try {
        const path = join(dir, 'h.jsonl');
        run(doc, [], path);
        const lines = readFileSync(path, 'utf8').split('\n').filter((line) => line !== '');
        return {
          failovers: lines.filter((line) => line.startsWith('{"type":"failover"')).map((line) => (JSON.parse(line) as { t: number }).t),
          commitsUs: lines.filter((line) => line.startsWith('{"type":"write"') && line.includes('"tc"')).map((line) => (JSON.parse(line) as { tc: number }).tc),
        };
      } finally {
        cleanup();
      }
    };

    it('a failover comes failoverTime after the crash it is for, not after an earlier crash the leader came back from', () => {
      const { failovers } = records(waiting('50ms', [{ at: '100ms', crash: 'leader-0', for: '10ms' }, { at: '120ms', crash: 'leader-0', for: '1s' }]));
      assert.deepEqual(failovers, [170_000]);
    });

    it('a leader under two overlapping crash faults is down until the last ends: nothing commits meanwhile', () => {
      const { failovers, commitsUs } = records(waiting('5s', [{ at: '100ms', crash: 'leader-0', for: '20ms' }, { at: '110ms', crash: 'leader-0', for: '500ms' }]));
      assert.deepEqual(failovers, []);
      assert.deepEqual(commitsUs.filter((t) => t >= 100_000 && t < 610_000), []);
      assert.ok(commitsUs.some((t) => t >= 610_000), 'the leader never came back');
    });
  });

  describe('writes waiting for a leader (duringFailover: wait)', () => {
    /** Per session, the completion time of its last operation (µs), and the failed writes. */
    const lastCompletions = (path: string) => {
      const last = new Map<number, number>();
      let failedWrites = 0;
      for (const line of readFileSync(path, 'utf8').split('\n')) {
        if (!line.startsWith('{"type":"read"') && !line.startsWith('{"type":"write"')) continue;
        const record = JSON.parse(line) as { session: number; t1: number; type: string; failed?: boolean };
        last.set(record.session, Math.max(last.get(record.session) ?? 0, record.t1));
        if (record.type === 'write' && record.failed === true) failedWrites++;
      }
      return { last: [...last.values()], failedWrites };
    };
    const runWaiting = (doc: unknown) => {
      const { dir, cleanup } = tempDir();
      try {
        const path = join(dir, 'h.jsonl');
        const { summary, simulator } = run(doc, [], path);
        assert.equal(simulator.operationsInFlight(), 0, 'operations never completed');
        return { summary, ...lastCompletions(path) };
      } finally {
        cleanup();
      }
    };

    it('go to the leader when it is back before its failover, and every session goes on', () => {
      const { last, failedWrites } = runWaiting(waiting('2s', [{ at: '3s', crash: 'leader-0', for: '500ms' }]));
      assert.equal(last.length, 20);
      assert.deepEqual(last.filter((t1) => t1 < 9_000_000), [], 'sessions that stopped');
      assert.equal(failedWrites, 0);
    });

    it('wait past the failover time while no replica is up, and go to the one promoted when a replica is back', () => {
      const { dir, cleanup } = tempDir();
      try {
        const path = join(dir, 'h.jsonl');
        const events = [{ at: '3s', crash: 'leader-0' }, { at: '2500ms', crash: 'replica-0-1', for: '2s' }, { at: '2500ms', crash: 'replica-0-2', for: '2s' }];
        run(waiting('1s', events), [], path);
        const failovers = readFileSync(path, 'utf8').split('\n').filter((line) => line.startsWith('{"type":"failover"'));
        assert.equal(failovers.length, 1);
        assert.equal((JSON.parse(failovers[0]!) as { t: number }).t, 4_500_000, 'the failover happens when the first replica is back');
        const { last, failedWrites } = lastCompletions(path);
        assert.deepEqual(last.filter((t1) => t1 < 9_000_000), [], 'sessions that stopped');
        assert.equal(failedWrites, 0);
      } finally {
        cleanup();
      }
    });

    it('fail at the end of the run when no leader ever comes, so that every write started is counted', () => {
      const events = [{ at: '3s', crash: 'leader-0' }, { at: '2500ms', crash: 'replica-0-1' }, { at: '2500ms', crash: 'replica-0-2' }];
      const { summary, failedWrites, last } = runWaiting(waiting('1s', events));
      assert.equal(last.length, 20);
      assert.ok(failedWrites >= 1 && failedWrites <= 20, `${failedWrites} failed writes`);
      assert.equal(summary.costs.failedWrites, failedWrites);
    });
  });
});

describe('faults: what a crash, a partition and a failover do to what is sent, received and lost', () => {
  type Line = { type: string; session?: number; t0?: number; t1?: number; failed?: boolean; key?: string; version?: number; lost?: [string, number][]; reads?: { version: number | null; node: string }[] };
  const oneShard = (replicas: unknown[], clients: unknown[], faults: unknown, extra: Record<string, unknown> = {}) => ({
    name: 'hand-timed',
    seed: 1,
    duration: '100ms',
    keyspace: { count: 10 },
    cluster: { leader: { region: 'a' }, replicas },
    clients,
    faults,
    ...extra,
  });

  it('a failover lists the lost writes of keys no one can read any more (a `new` key its writer moved on from)', () => {
    // Session 1 inserts a new key every 10 ms (versions 1, 2, 3 at 10, 20, 30 ms); the replica
    // receives nothing within 1 s, and the leader crashes at 35 ms. All three acknowledged writes are
    // lost. Before, keys 0 and 1, released once their writer wrote the next, were missing from the list.
    const doc = oneShard(
      [{ region: 'a', lag: '1s' }],
      [{ name: 'u', region: 'a', sessions: 1, think: '10ms', order: 'cycle', actions: [{ do: 'write', key: 'new' }] }],
      { failoverTime: '5ms', events: [{ at: '35ms', crash: 'leader-0' }] },
    );
    const { summary, records } = runWithHistory<Line>(doc);
    const failover = records.find((r) => r.type === 'failover')!;
    assert.deepEqual(failover.lost, [['new-u-1-0', 1], ['new-u-1-1', 2], ['new-u-1-2', 3]]);
    assert.equal(summary.lost.writes, 3);
  });

  it('a new leader sends what a replica lacks through the network: not across a partition before it ends', () => {
    // Version 1 (10 ms) reaches b at 15 ms, not c (50 ms lag); the leader crashes at 20 ms, b is
    // promoted at 25 ms, and b and c are partitioned until 1 s. c gets version 1 when the partition
    // ends, as it gets version 2 (committed on b at 40 ms). Before, the resend crossed the partition:
    // the read on c at 100 ms returned version 1.
    const doc = oneShard(
      [
        { name: 'b', region: 'b', lag: '5ms' },
        { name: 'c', region: 'c', lag: '50ms' },
      ],
      [
        { name: 'w', region: 'a', sessions: 1, think: '10ms', order: 'cycle', actions: [{ do: 'write', key: 'shared:x', think: '30ms' }, { do: 'write', key: 'shared:x', think: '1h' }] },
        { name: 'r', region: 'c', sessions: 1, think: '100ms', actions: [{ do: 'read', key: 'shared:x', target: 'c' }] },
      ],
      { failoverTime: '5ms', events: [{ at: '0ms', partition: ['b', 'c'], for: '1s' }, { at: '20ms', crash: 'leader-0' }] },
      { duration: '300ms', network: { latency: { 'a/b': '0ms', 'a/c': '0ms', 'b/c': '0ms' } } },
    );
    const reads = runWithHistory<Line>(doc).records.filter((r) => r.type === 'read' && r.session === 2);
    assert.deepEqual(reads.map((r) => [r.t0, r.reads![0]!.version]), [[100_000, 0], [200_000, 0]]);
  });

  it('a leader back before its failover resends through the network too: not across a partition before it ends', () => {
    // Version 1 (10 ms) is due at replica c at 60 ms; the leader crashes at 20 ms and is back at
    // 25 ms, before its failover; a and c are partitioned from 22 ms to 1.022 s. The resend waits for
    // the partition: the read on c at 100 ms returns version 0. Before, it arrived at 60 ms.
    const doc = oneShard(
      [{ name: 'c', region: 'c', lag: '50ms' }],
      [
        { name: 'w', region: 'a', sessions: 1, think: '10ms', actions: [{ do: 'write', key: 'shared:x', think: '1h' }] },
        { name: 'r', region: 'c', sessions: 1, think: '100ms', actions: [{ do: 'read', key: 'shared:x', target: 'c' }] },
      ],
      { failoverTime: '50ms', events: [{ at: '22ms', partition: ['a', 'c'], for: '1s' }, { at: '20ms', crash: 'leader-0', for: '5ms' }] },
      { duration: '150ms', network: { latency: { 'a/c': '0ms' } } },
    );
    const read = runWithHistory<Line>(doc).records.find((r) => r.type === 'read' && r.session === 2)!;
    assert.deepEqual([read.t0, read.reads![0]!.version], [100_000, 0]);
  });

  it('a crashed synchronous replica confirms nothing (remote_write): the write waits until it is back, and a leader crash meanwhile fails it, not loses it', () => {
    // The only synchronous replica is down from 5 ms to 1 s. The write at 10 ms waits for it; the
    // leader crashes at 20 ms, so the write fails there, never acknowledged, and the asynchronous
    // replica promoted at 25 ms loses nothing acknowledged. Before, the crashed replica "received"
    // the entry at 11 ms, the write was acknowledged then, and the failover lost it.
    const doc = oneShard(
      [
        { name: 's', region: 'a', lag: '1ms', sync: 'remote_write' },
        { name: 'r', region: 'a', lag: '1s' },
      ],
      [{ name: 'w', region: 'a', sessions: 1, think: '10ms', order: 'cycle', actions: [{ do: 'write', key: 'shared:x', think: '1h' }] }],
      { failoverTime: '5ms', events: [{ at: '5ms', crash: 's-0-1', for: '995ms' }, { at: '20ms', crash: 'leader-0' }] },
    );
    const { summary, records } = runWithHistory<Line>(doc);
    const write = records.find((r) => r.type === 'write')!;
    assert.deepEqual([write.t1, write.failed, write.version], [20_000, true, 1]);
    assert.deepEqual(records.find((r) => r.type === 'failover')!.lost, []);
    assert.equal(summary.lost.writes, 0);
  });

  it('a read that missed only a lost version has no time behind, even once a later version survives', () => {
    // Version 1 (10 ms) is lost: the leader crashes at 15 ms before any replica receives it, and r
    // is promoted at 20 ms. Session 2's read starts at 25 ms (its leader version is 1, lost or not)
    // and reaches s at 35 ms, after version 2 committed on r at 30 ms: s returns version 0. The read
    // is stale, 1 version behind, and has no time behind: what it missed by its start was lost.
    // Before, the next surviving version (committed after the read's start) gave a time behind of 0.
    const doc = oneShard(
      [
        { name: 'r', region: 'a', lag: '1s' },
        { name: 's', region: 's', lag: '1s' },
      ],
      [
        { name: 'w', region: 'a', sessions: 1, think: '10ms', order: 'cycle', actions: [{ do: 'write', key: 'shared:x', think: '20ms' }, { do: 'write', key: 'shared:x', think: '1h' }] },
        { name: 'q', region: 'c', sessions: 1, think: '25ms', actions: [{ do: 'read', key: 'shared:x', target: 's', think: '1h' }] },
      ],
      { failoverTime: '5ms', events: [{ at: '15ms', crash: 'leader-0' }] },
      { network: { latency: { 'a/s': '0ms', 'a/c': '0ms', 'c/s': '10ms' } } },
    );
    const { summary, records } = runWithHistory<Line>(doc);
    const read = records.find((r) => r.type === 'read')!;
    assert.deepEqual([read.t0, read.reads![0]!.node, read.reads![0]!.version], [25_000, 's-0-1', 0]);
    assert.equal(summary.anomalies.stale.violations, 1);
    assert.equal(summary.staleness.versionsBehind.count, 1);
    assert.equal(summary.staleness.timeBehindMs.count, 0);
  });

  it('a write still waiting when the run ends fails at the end of the run (warm-up + duration), not at the last event before it', () => {
    // The only synchronous replica (remote_write) crashes for good at 5 ms: the write at 10 ms waits
    // for ever and is counted failed when the run ends, at 100 ms. Before, the crashed replica
    // confirmed every write 1 ms after its commit; and a write failed at the end took the time of
    // the run's last event (a statistics boundary at 99.9 ms).
    const doc = oneShard(
      [{ name: 's', region: 'a', lag: '1ms', sync: 'remote_write' }],
      [{ name: 'w', region: 'a', sessions: 1, think: '10ms', actions: [{ do: 'write', key: 'shared:x' }] }],
      { events: [{ at: '5ms', crash: 's-0-1' }] },
    );
    const writes = runWithHistory<Line>(doc).records.filter((r) => r.type === 'write');
    assert.deepEqual(writes.map((r) => [r.t0, r.t1, r.failed ?? false]), [[10_000, 100_000, true]]);
  });
});
