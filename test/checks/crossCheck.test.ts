// Cross-checks of the simulator's own anomaly counts (ConsistencyChecker, online) against two
// recounts of its history export: checkHistory (same checker, replayed from the file alone) and
// tools/check_history.py (an independent program in another language). All three must give the
// same violations, key-reads, eligible key-reads and violating reads per anomaly, and the file's
// flags must agree with both recounts. The history itself is checked against the write records:
// order, the `leader` field, and that every returned version was written.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import fc from 'fast-check';
import { ANOMALIES } from '../../src/checks/anomalies.js';
import { checkHistory } from '../../src/checks/historyCheck.js';
import { simulate } from '../../src/run/pipeline.js';
import { TVisibility, tVisibilityEdgesMs, type TVisibilityPoint } from '../../src/metrics/tVisibility.js';
import type { RunSummary } from '../../src/report/summary.js';
import { loadScenario } from '../../src/run/load.js';
import { scenarioArb, withStrategy, type ScenarioShape } from '../helpers/arbitraries.js';
import { REPO_ROOT, run, shippedScenarios, tempDir } from '../helpers/sim.js';

const CHECKER = join(REPO_ROOT, 'tools', 'check_history.py');
const havePython = spawnSync('python3', ['--version']).status === 0;

type Counts = Record<string, [violations: number, keyReads: number, eligible: number, violatingReads: number]>;

function summaryCounts(summary: RunSummary): Counts {
  const out: Counts = {};
  for (const a of ANOMALIES) {
    const c = summary.anomalies[a];
    out[a] = [c.violations, c.keyReads, c.eligible, c.violatingReads];
  }
  return out;
}

/** The leader share as a run reports it (costs.leaderShare), from its two counts. */
const share = (leaderKeyReads: number, keyReads: number): number | null => (keyReads === 0 ? null : leaderKeyReads / keyReads);

function replayCounts(text: string, file: string): { counts: Counts; mismatches: number; reads: number; leaderShare: number | null } {
  const result = checkHistory(text, file);
  const counts: Counts = {};
  for (const a of ANOMALIES) {
    const c = result.counts[a];
    counts[a] = [c.violations, c.keyReads, c.eligible, c.violatingReads];
  }
  return { counts, mismatches: result.mismatches.length, reads: result.reads, leaderShare: share(result.leaderKeyReads, result.counts.stale.keyReads) };
}

function pythonCounts(
  file: string,
  tVisibilityEdgesMs?: readonly number[],
): { counts: Counts; mismatches: number; reads: number; tVisibility: TVisibilityPoint[]; leaderKeyReads: number; leaderShare: number | null } {
  const edges = tVisibilityEdgesMs === undefined ? [] : ['--t-visibility-edges', tVisibilityEdgesMs.join(',')];
  const r = spawnSync('python3', [CHECKER, file, '--json', ...edges], { encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.ok(r.status === 0 || r.status === 3, `check_history.py exit ${r.status}: ${r.stderr}`);
  const json = JSON.parse(r.stdout) as Record<string, { violations: number; keyReads: number; eligible: number; violatingReads: number }> & {
    flagMismatches: number;
    reads: number;
    tVisibility: TVisibilityPoint[];
    leaderKeyReads: number;
    leaderShare: number | null;
  };
  const counts: Counts = {};
  for (const a of ANOMALIES) counts[a] = [json[a]!.violations, json[a]!.keyReads, json[a]!.eligible, json[a]!.violatingReads];
  return { counts, mismatches: json.flagMismatches, reads: json.reads, tVisibility: json.tVisibility, leaderKeyReads: json.leaderKeyReads, leaderShare: json.leaderShare };
}

interface HistoryRecord {
  type: string;
  session: number;
  t0: number;
  t1: number;
  tc?: number;
  key?: string;
  version?: number;
  failed?: boolean;
  reads?: { key: string; version: number | null; leader: number | null; node: string }[];
}

/**
 * Checks a history against its own write records (semantics.md section 4): records ordered by t1
 * then session; each session's operations one at a time; `leader` is the latest version committed
 * at or before the read's t0; every returned version is 0, absent, or a written version committed
 * before the read completed. Returns the problems found (empty when the history is consistent).
 */
function historyProblems(text: string, layout?: { topicSize: number; endUs: number }): string[] {
  const records = text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as HistoryRecord);
  const problems: string[] = [];
  const writes = new Map<string, { tc: number; version: number }[]>();
  for (const r of records) {
    // Every commit: a failed write with a version committed before it failed (docs/semantics.md).
    if (r.type === 'write' && r.version !== undefined) {
      const list = writes.get(r.key!) ?? [];
      list.push({ tc: r.tc!, version: r.version! });
      writes.set(r.key!, list);
    }
  }
  for (const list of writes.values()) list.sort((x, y) => x.tc - y.tc || x.version - y.version);
  const lastEnd = new Map<number, number>();
  /** Per session: the highest version of each key it read (non-failed) or wrote, so far. */
  const known = new Map<number, Map<string, number>>();
  const topicOf = (key: string): number | null => {
    const m = /^k(\d+)$/.exec(key);
    return m && layout !== undefined && layout.topicSize > 1 ? Math.floor(Number(m[1]) / layout.topicSize) : null;
  };
  // Replay each session's operations in t0 order for the deps check.
  const bySession = [...records.entries()]
    .filter(([, r]) => r.type === 'read' || r.type === 'write')
    .sort(([i, x], [j, y]) => x.session - y.session || x.t0 - y.t0 || i - j);
  for (const [i, r] of bySession) {
    if (layout === undefined) break;
    if (r.t0 >= layout.endUs) problems.push(`line ${i + 1}: an operation starts at ${r.t0}, at or after the end ${layout.endUs}`);
    if (r.failed) continue;
    const mine = known.get(r.session) ?? new Map<string, number>();
    known.set(r.session, mine);
    if (r.type === 'write') {
      // deps: the other keys of the written key's topic, at the highest version the session had
      // read or written before, leaving out absent and version 0 (semantics.md section 2).
      const topic = topicOf(r.key!);
      const expected = [...mine.entries()]
        .filter(([key, version]) => key !== r.key && version > 0 && topic !== null && topicOf(key) === topic)
        .map(([key, version]) => `${key}@${version}`)
        .sort();
      const deps = ((r as unknown as { deps: [string, number][] }).deps ?? []).map(([key, version]) => `${key}@${version}`).sort();
      if (JSON.stringify(deps) !== JSON.stringify(expected)) problems.push(`line ${i + 1}: deps ${deps.join(' ')}, expected ${expected.join(' ')}`);
      mine.set(r.key!, Math.max(mine.get(r.key!) ?? -1, r.version!));
    } else {
      for (const read of r.reads ?? []) if (read.version !== null) mine.set(read.key, Math.max(mine.get(read.key) ?? -1, read.version));
    }
  }
  records.forEach((r, i) => {
    if (i > 0) {
      const p = records[i - 1]!;
      if (r.t1 < p.t1 || (r.t1 === p.t1 && r.session < p.session)) problems.push(`line ${i + 1}: out of (t1, session) order`);
    }
    if (r.type !== 'read' && r.type !== 'write') return;
    if (r.t0 < (lastEnd.get(r.session) ?? -1)) problems.push(`line ${i + 1}: session ${r.session} overlaps its previous operation`);
    lastEnd.set(r.session, r.t1);
    if (r.type !== 'read' || r.failed) return;
    for (const read of r.reads ?? []) {
      const list = writes.get(read.key) ?? [];
      const committed = list.filter((w) => w.tc <= r.t0);
      const latest = committed.length > 0 ? committed[committed.length - 1]!.version : read.leader === 0 ? 0 : null;
      if (latest !== read.leader) {
        problems.push(`line ${i + 1}: ${read.key} leader ${read.leader}, but the latest version committed at or before t0 ${r.t0} is ${latest}`);
      }
      if (read.version !== null && read.version !== 0) {
        const write = list.find((w) => w.version === read.version);
        if (write === undefined) problems.push(`line ${i + 1}: ${read.key}@${read.version} was never written`);
        else if (write.tc > r.t1) problems.push(`line ${i + 1}: ${read.key}@${read.version} read before its commit`);
      }
    }
  });
  return problems;
}

/** A shipped scenario's run (5 s after a 2 s warm-up) with its history, kept for both checks of the file. */
interface ShippedRun {
  summary: RunSummary;
  text: string;
  layout: { topicSize: number; endUs: number };
  tVisibilityEdges: readonly number[];
}

/** A t-visibility curve's counts, bucket by bucket. */
const curveCounts = (points: readonly TVisibilityPoint[]) => points.map(({ fromMs, toMs, keyReads, visible }) => ({ fromMs, toMs, keyReads, visible }));

/** The t-visibility curve rebuilt from a history alone (checkHistory's samples, binned as a run bins them). */
function recountedCurve(text: string, file: string, edgesMs?: readonly number[]): TVisibilityPoint[] {
  const curve = new TVisibility(edgesMs);
  checkHistory(text, file, (tUs, sawIt) => curve.record(tUs, sawIt));
  return curve.points();
}

function shippedRun(file: string): ShippedRun {
  const { dir, cleanup } = tempDir();
  try {
    const historyPath = join(dir, 'history.jsonl');
    const scenario = loadScenario(file, ['duration=5s', 'warmup=2s']);
    const { summary, simulator } = simulate(scenario, { historyPath });
    assert.equal(simulator.operationsInFlight(), 0, 'operations never completed');
    const endUs = (summary.warmupMs + summary.durationMs) * 1000;
    return {
      summary,
      text: readFileSync(historyPath, 'utf8'),
      layout: { topicSize: scenario.keyspace.topicSize, endUs },
      tVisibilityEdges: tVisibilityEdgesMs(scenario.report?.tVisibility),
    };
  } finally {
    cleanup();
  }
}

describe('cross-check: shipped scenarios', () => {
  for (const file of shippedScenarios()) {
    let memo: ShippedRun | undefined;
    const result = (): ShippedRun => (memo ??= shippedRun(file));
    it(`${basename(file)}: summary = checkHistory, and the history is consistent (deps and end time too)`, () => {
      const { summary, text, layout } = result();
      assert.ok(summary.costs.reads > 100, 'the run is not trivial');
      const replay = replayCounts(text, file);
      assert.deepEqual(replay.counts, summaryCounts(summary), 'checkHistory');
      assert.equal(replay.mismatches, 0, 'checkHistory flag mismatches');
      assert.equal(replay.reads, summary.costs.reads);
      assert.equal(replay.leaderShare, summary.costs.leaderShare, 'checkHistory leader share');
      assert.deepEqual(historyProblems(text, layout).slice(0, 5), []);
    });
    it(`${basename(file)}: the t-visibility curve = its recount from the history (t0 − tc of each leader version, and whether the read had it)`, () => {
      const { summary, text, tVisibilityEdges } = result();
      const recount = recountedCurve(text, file, tVisibilityEdges);
      assert.ok(summary.tVisibility.length > 1);
      assert.deepEqual(curveCounts(summary.tVisibility), curveCounts(recount));
    });
    it(`${basename(file)}: check_history.py = summary (anomalies and the t-visibility curve)`, { skip: !havePython && 'python3 not found' }, () => {
      const { summary, text, tVisibilityEdges } = result();
      const { dir, cleanup } = tempDir();
      try {
        const historyPath = join(dir, 'history.jsonl');
        writeFileSync(historyPath, text);
        const python = pythonCounts(historyPath, tVisibilityEdges);
        assert.deepEqual(python.counts, summaryCounts(summary), 'check_history.py');
        assert.deepEqual(curveCounts(python.tVisibility), curveCounts(summary.tVisibility), 'check_history.py t-visibility');
        assert.equal(python.mismatches, 0, 'check_history.py flag mismatches');
        assert.equal(python.reads, summary.costs.reads);
        assert.equal(python.leaderShare, summary.costs.leaderShare, 'check_history.py leader share');
      } finally {
        cleanup();
      }
    });
  }
});

describe('cross-check: random scenarios under every strategy', () => {
  const strategy = fc.oneof(
    fc.constant({ name: 'none' }),
    fc.record({ name: fc.constant('pin'), window: fc.constantFrom('0ms', '100ms', '1s'), scope: fc.constantFrom('session', 'request') }),
    fc.constant({ name: 'fallback' }),
    fc.record({
      name: fc.constant('token'),
      track: fc.constantFrom('writes', 'session', 'causal'),
      mode: fc.constantFrom('route', 'wait', 'leader'),
      poll: fc.constantFrom(0, '50ms'),
      timeout: fc.constantFrom(0, '50ms'),
    }),
    fc.record({ name: fc.constant('sticky'), vnodes: fc.constantFrom(1, 100), pinAfterWrite: fc.constantFrom('off', '100ms') }),
  );

  /** For random scenarios of `shape` under random strategies: the summary = the recount, no flag mismatch, a consistent history. */
  const agreeOn = (shape: ScenarioShape, seed: number): void => {
    const { dir, cleanup } = tempDir();
    try {
      fc.assert(
        fc.property(scenarioArb(shape), strategy, (g, s) => {
          const historyPath = join(dir, 'h.jsonl');
          const { summary } = run(withStrategy(g.raw, s), [], historyPath);
          const text = readFileSync(historyPath, 'utf8');
          const replay = replayCounts(text, historyPath);
          assert.deepEqual(replay.counts, summaryCounts(summary));
          assert.equal(replay.mismatches, 0);
          assert.equal(replay.leaderShare, summary.costs.leaderShare, 'leader share');
          assert.deepEqual(curveCounts(summary.tVisibility), curveCounts(recountedCurve(text, historyPath)));
          const keyspace = g.raw['keyspace'] as { topicSize: number };
          const endUs = (summary.warmupMs + summary.durationMs) * 1000;
          assert.deepEqual(historyProblems(text, { topicSize: keyspace.topicSize, endUs }).slice(0, 5), []);
        }),
        { seed, numRuns: 60 },
      );
    } finally {
      cleanup();
    }
  };

  it('the summary and checkHistory agree on every count, with no flag mismatch, and the history is consistent (faults included)', () => {
    agreeOn({ apply: true, faults: true }, 777);
  });

  it("with lagsim's extensions too (sync replicas, parallel apply, long reads and replay conflicts, reactions, migrations): the summary and checkHistory agree", () => {
    // The committed-then-failed writes of a leader crashing under synchronous replication, and the
    // writes still waiting at the end for a quorum that never comes, were missing from the history
    // before: its leader fields could not be recounted.
    agreeOn({ apply: true, faults: true, extras: true }, 1907);
  });

  it('check_history.py agrees with the summaries of 40 of them, checked as one file', { skip: !havePython && 'python3 not found' }, () => {
    // Each run's history goes into one file with its keys prefixed and its sessions offset, so the
    // runs stay independent and one Python process checks them all; the counts then add up.
    const { dir, cleanup } = tempDir();
    try {
      const samples = fc.sample(fc.tuple(scenarioArb({ apply: true, faults: true }), strategy), { seed: 778, numRuns: 40 });
      const total: Counts = {};
      for (const a of ANOMALIES) total[a] = [0, 0, 0, 0];
      let leaderKeyReads = 0;
      const lines: string[] = [];
      samples.forEach(([g, s], i) => {
        const historyPath = join(dir, `h${i}.jsonl`);
        const { summary } = run(withStrategy(g.raw, s), [], historyPath);
        const counts = summaryCounts(summary);
        for (const a of ANOMALIES) total[a] = total[a]!.map((x, j) => x + counts[a]![j]!) as Counts[string];
        leaderKeyReads += Math.round((summary.costs.leaderShare ?? 0) * summary.anomalies.stale.keyReads);
        for (const line of readFileSync(historyPath, 'utf8').trim().split('\n')) lines.push(JSON.stringify(isolate(JSON.parse(line) as Record<string, unknown>, i)));
      });
      const combined = join(dir, 'all.jsonl');
      writeFileSync(combined, `${lines.join('\n')}\n`);
      const python = pythonCounts(combined);
      assert.deepEqual(python.counts, total);
      assert.equal(python.leaderKeyReads, leaderKeyReads);
      assert.equal(python.mismatches, 0);
      assert.ok(total['cp']![0] > 0 && total['mr']![0] > 0 && total['ryw']![0] > 0, JSON.stringify(total));
    } finally {
      cleanup();
    }
  });
});

/** A history record of run `run` with its keys prefixed and its session numbers offset. */
function isolate(record: Record<string, unknown>, run: number): Record<string, unknown> {
  const key = (name: unknown): string => `run${run}/${String(name)}`;
  // Node names keep their form (`leader-<shard>`, `<name>-<shard>-<copy>`: the first leaders are
  // known by it) with the shard moved to one of the run's own, so one run's failovers stay its own.
  const shard = (s: string): number => run * 1000 + Number(s);
  const node = (name: unknown): unknown =>
    typeof name !== 'string'
      ? name
      : /^leader-[0-9]+$/.test(name)
        ? `leader-${shard(name.slice('leader-'.length))}`
        : name.replace(/^(.*)-([0-9]+)-([0-9]+)$/, (_, group: string, s: string, copy: string) => `${group}-${shard(s)}-${copy}`);
  const out: Record<string, unknown> = { ...record };
  for (const field of ['node', 'from', 'to']) if (field in out) out[field] = node(out[field]);
  if (typeof out['session'] === 'number') out['session'] = run * 10_000_000 + out['session'];
  if (typeof out['key'] === 'string') out['key'] = key(out['key']);
  if (Array.isArray(out['deps'])) out['deps'] = (out['deps'] as [string, number][]).map(([k, v]) => [key(k), v]);
  if (Array.isArray(out['lost'])) out['lost'] = (out['lost'] as [string, number][]).map(([k, v]) => [key(k), v]);
  if (Array.isArray(out['reads'])) out['reads'] = (out['reads'] as Record<string, unknown>[]).map((r) => ({ ...r, key: key(r['key']), node: node(r['node']) }));
  return out;
}

/** Runs `scenario` with its history exported to a temporary file and hands both to `check`. */
function withHistory(scenario: Record<string, unknown>, check: (summary: RunSummary, text: string, historyPath: string) => void): void {
  const { dir, cleanup } = tempDir();
  try {
    const historyPath = join(dir, 'history.jsonl');
    const { summary } = run(scenario, [], historyPath);
    check(summary, readFileSync(historyPath, 'utf8'), historyPath);
  } finally {
    cleanup();
  }
}

describe('history: the `leader` field at a tie', () => {
  it('a write committed at exactly a read’s t0 is the latest version at t0 (commits precede reads at one instant)', () => {
    // A reader and a writer of the one key k0, both with a constant 100 ms think and no network
    // latency: every read starts at the very instant a write commits; the replica, 50 ms behind,
    // returns the previous version, which is then stale (semantics.md sections 1 and 3).
    const scenario = {
      name: 'tie',
      duration: '2s',
      keyspace: { count: 1 },
      cluster: { leader: { region: 'here' }, replicas: [{ region: 'here', lag: '50ms' }] },
      clients: [
        { name: 'r', region: 'here', sessions: 1, think: '100ms', actions: [{ do: 'read', key: 'popular' }] },
        { name: 'w', region: 'here', sessions: 1, think: '100ms', actions: [{ do: 'write', key: 'popular' }] },
      ],
    };
    withHistory(scenario, (summary, text) => {
      assert.deepEqual(historyProblems(text).slice(0, 3), []);
      assert.ok(summary.anomalies.stale.keyReads > 0, 'the reader read');
      assert.equal(summary.anomalies.stale.violations, summary.anomalies.stale.keyReads);
    });
  });
});

describe('history: the leader share at a failover’s own instant', () => {
  it('a read the promoted replica answers at the failover’s t is not a leader read, one after it is: the run and both recounts agree', () => {
    // Four readers with a constant 1 ms think and no network latency read every millisecond, on
    // the millisecond, from two replicas, and one from the leader; the leader crashes at 100 ms and
    // a replica takes over at 150 ms, an instant at which it answers reads as a replica still
    // (semantics-readings.md, "Leader share"; counting them as the leader's fails this test).
    const scenario = {
      name: 'failover-instant',
      duration: '300ms',
      keyspace: { count: 1 },
      cluster: { leader: { region: 'here' }, replicas: [{ region: 'here', count: 2, lag: '1ms' }] },
      faults: { failoverTime: '50ms', events: [{ at: '100ms', crash: 'leader-0' }] },
      clients: [
        { name: 'r', region: 'here', sessions: 4, think: '1ms', actions: [{ do: 'read', key: 'popular' }] },
        { name: 'l', region: 'here', sessions: 1, think: '1ms', actions: [{ do: 'read', key: 'popular', target: 'leader' }] },
      ],
    };
    withHistory(scenario, (summary, text, historyPath) => {
      const records = text.trim().split('\n').map((line) => JSON.parse(line) as HistoryRecord & { t: number; to: string });
      const failover = records.find((r) => r.type === 'failover')!;
      assert.equal(failover.t, 150_000);
      const byPromotedAt = (t: number): number =>
        records.filter((r) => r.type === 'read' && r.t1 === t && r.reads?.some((read) => read.node === failover.to)).length;
      assert.ok(byPromotedAt(failover.t) > 1 && byPromotedAt(failover.t + 1000) > 0, 'the promoted node answers at the failover and after');
      assert.ok((summary.costs.leaderShare ?? 0) > 0);
      assert.equal(replayCounts(text, historyPath).leaderShare, summary.costs.leaderShare);
      if (havePython) assert.equal(pythonCounts(historyPath).leaderShare, summary.costs.leaderShare);
    });
  });
});
