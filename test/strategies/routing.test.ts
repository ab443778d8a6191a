// Where reads go: the sticky ring against an independent computation of scenario.md's rule, pin's
// two scopes, and the balancer policies (shares within Wilson intervals, maxLag), read from the
// history's `node` fields and the summary's per-node counts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunSummary } from '../../src/report/summary.js';
import { assertInWilson, run, tempDir, Z_999 } from '../helpers/sim.js';

type Raw = Record<string, unknown>;

interface Rec {
  type: string;
  session: number;
  t0: number;
  t1: number;
  key?: string;
  reads?: { key: string; version: number | null; node: string }[];
}

function history(raw: Raw): { summary: RunSummary; records: Rec[] } {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, 'h.jsonl');
    const { summary } = run(raw, [], path);
    const records = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Rec);
    return { summary, records };
  } finally {
    cleanup();
  }
}

/** FNV-1a 32 over UTF-8 bytes, written here again so the ring is checked independently. */
function fnv(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash;
}

/** scenario.md: `vnodes` points per node at fnv1a32("<node>#<i>"), the session at fnv1a32("session-<id>"), the first point clockwise. */
function ringNode(nodes: string[], vnodes: number, sessionId: number): string {
  const points = nodes.flatMap((node) => Array.from({ length: vnodes }, (_, i) => ({ hash: fnv(`${node}#${i}`), node })));
  points.sort((x, y) => x.hash - y.hash || (x.node < y.node ? -1 : x.node > y.node ? 1 : 0));
  const h = fnv(`session-${sessionId}`);
  return (points.find((p) => p.hash >= h) ?? points[0]!).node;
}

function reads(summary: RunSummary, node: string): number {
  return summary.nodes.find((n) => n.name === node)!.readsServed;
}

describe('sticky: the consistent-hash ring of scenario.md', () => {
  for (const vnodes of [1, 7, 100]) {
    it(`every read of a session goes to its ring node on each shard (vnodes ${vnodes}, two replica groups, two shards)`, () => {
      const shards = 2;
      const { records } = history({
        name: 'ring',
        duration: '3s',
        keyspace: { count: 40 },
        cluster: {
          shards,
          leader: { region: 'here' },
          replicas: [
            { name: 'a', region: 'here', count: 2, lag: '10ms' },
            { name: 'b', region: 'here', count: 1, lag: '10ms' },
          ],
        },
        clients: [{ name: 'u', region: 'here', sessions: 40, think: '100ms', actions: [{ do: 'read', key: 'popular', count: 3 }] }],
        strategy: { name: 'sticky', vnodes },
      });
      const replicasOf = (shard: number) => [`a-${shard}-1`, `a-${shard}-2`, `b-${shard}-1`];
      let checked = 0;
      const used = new Set<string>();
      for (const r of records) {
        for (const read of r.reads ?? []) {
          const shard = fnv(read.key) % shards;
          assert.equal(read.node, ringNode(replicasOf(shard), vnodes, r.session), `session ${r.session}, ${read.key}`);
          used.add(read.node);
          checked++;
        }
      }
      assert.ok(checked > 1000);
      assert.ok(used.size >= (vnodes === 1 ? 2 : 4), `sessions spread over several replicas: ${[...used].join(' ')}`);
    });
  }
});

describe('pin: scope', () => {
  const base = (strategy: Raw): Raw => ({
    name: 'pin-scope',
    duration: '20s',
    cluster: { leader: { region: 'here' }, replicas: [{ region: 'here', count: 2, lag: '1s' }] },
    clients: [
      {
        name: 'u',
        region: 'here',
        sessions: 10,
        order: 'cycle',
        think: '100ms',
        actions: [
          { do: 'write', key: 'own' },
          { do: 'read', key: 'own' },
          { do: 'read', key: 'own' },
        ],
      },
    ],
    strategy,
  });

  /** For each read, whether the leader served it, by its place after the session's last write (1st, 2nd read). */
  function leaderByPlace(records: Rec[]): Map<number, boolean[]> {
    const place = new Map<number, number>();
    const out = new Map<number, boolean[]>([
      [1, []],
      [2, []],
    ]);
    for (const r of [...records].sort((x, y) => x.session - y.session || x.t0 - y.t0)) {
      if (r.type === 'write') place.set(r.session, 0);
      else if (place.has(r.session)) {
        const p = place.get(r.session)! + 1;
        place.set(r.session, p);
        out.get(p)!.push(r.reads![0]!.node === 'leader-0');
      }
    }
    return out;
  }

  it('request: only the next operation after a write, if it is a read, goes to the leader', () => {
    const { records, summary } = history(base({ name: 'pin', scope: 'request', window: '1h' }));
    const byPlace = leaderByPlace(records);
    assert.ok(byPlace.get(1)!.length > 100 && byPlace.get(1)!.every(Boolean), 'the first read after a write: leader');
    assert.ok(byPlace.get(2)!.length > 100 && byPlace.get(2)!.every((x) => !x), 'the second: a replica (window ignored)');
    // The replica is 1 s behind: the second read misses the write 100 ms earlier.
    assert.equal(summary.anomalies.ryw.violations * 2, summary.anomalies.ryw.eligible);
  });

  it('session: every read within the window after the write’s acknowledgement goes to the leader', () => {
    // Reads come 100 ms and 200 ms after the write: a 150 ms window covers only the first.
    const { records } = history(base({ name: 'pin', scope: 'session', window: '150ms' }));
    const byPlace = leaderByPlace(records);
    assert.ok(byPlace.get(1)!.every(Boolean));
    assert.ok(byPlace.get(2)!.every((x) => !x));
    const long = leaderByPlace(history(base({ name: 'pin', scope: 'session', window: '250ms' })).records);
    assert.ok(long.get(2)!.every(Boolean));
  });
});

// Shares are checked against 99.9% Wilson intervals of 20,000 reads (±1 point): every test below
// draws from the same routing stream of seed 1, so their errors are correlated, and at 95% one
// unlucky stream would fail several correct balancers at once.
describe('balancers', () => {
  const cluster = (replicas: Raw[]): Raw => ({ leader: { region: 'here' }, replicas });
  const readers = (sessions = 20): Raw[] => [
    { name: 'w', region: 'here', sessions: 2, think: '20ms', actions: [{ do: 'write', key: 'popular' }] },
    { name: 'r', region: 'here', sessions, think: '10ms', actions: [{ do: 'read', key: 'popular' }] },
  ];
  const scenario = (replicas: Raw[], balancer: Raw, extra: Raw = {}): Raw => ({
    name: 'balancer',
    duration: '10s',
    warmup: '2s',
    keyspace: { count: 100 },
    cluster: cluster(replicas),
    clients: readers(),
    balancer,
    ...extra,
  });

  it('random: a uniform share per replica', () => {
    const { summary } = history(scenario([{ region: 'here', count: 4, lag: '10ms' }], { policy: 'random' }));
    const total = summary.costs.reads;
    for (let copy = 1; copy <= 4; copy++) assertInWilson(reads(summary, `replica-0-${copy}`), total, 0.25, `replica-0-${copy}`, 10_000, Z_999);
  });

  it('round-robin: each replica in turn (counts within one of each other)', () => {
    const { summary } = history(scenario([{ region: 'here', count: 3, lag: '10ms' }], { policy: 'round-robin' }));
    const counts = [1, 2, 3].map((copy) => reads(summary, `replica-0-${copy}`));
    assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, JSON.stringify(counts));
  });

  it('weighted: shares in proportion to the groups’ weights', () => {
    const { summary } = history(
      scenario(
        [
          { name: 'light', region: 'here', weight: 1, lag: '10ms' },
          { name: 'heavy', region: 'here', weight: 3, lag: '10ms' },
          { name: 'off', region: 'here', weight: 0, lag: '10ms' },
        ],
        { policy: 'weighted' },
      ),
    );
    const total = summary.costs.reads;
    assertInWilson(reads(summary, 'light-0-1'), total, 0.25, 'light', 10_000, Z_999);
    assertInWilson(reads(summary, 'heavy-0-1'), total, 0.75, 'heavy', 10_000, Z_999);
    assert.equal(reads(summary, 'off-0-1'), 0);
  });

  it('least-outstanding: a slow replica gets fewer reads than a fast one', () => {
    const { summary } = history(
      scenario(
        [
          { name: 'slow', region: 'here', lag: '10ms', service: '50ms' },
          { name: 'fast', region: 'here', lag: '10ms', service: '1ms' },
        ],
        { policy: 'least-outstanding' },
      ),
    );
    const slow = reads(summary, 'slow-0-1');
    const fast = reads(summary, 'fast-0-1');
    assert.ok(slow + fast === summary.costs.reads);
    assert.ok(slow < fast / 5, `slow ${slow}, fast ${fast}`);
  });

  it('maxLag: a replica whose polled lag exceeds it gets no reads; with every replica over it, the leader serves', () => {
    const lagging = { name: 'far', region: 'here', lag: '2s', lagHold: 0 };
    const close = { name: 'near', region: 'here', lag: '10ms', lagHold: 0 };
    const one = history(scenario([lagging, close], { policy: 'random', maxLag: '500ms', poll: '100ms' })).summary;
    assert.equal(reads(one, 'far-0-1'), 0, 'after warm-up the far replica is always over maxLag');
    assert.equal(one.costs.leaderShare, 0);
    const none = history(scenario([lagging], { policy: 'random', maxLag: '500ms', poll: '100ms' })).summary;
    assert.equal(none.costs.leaderShare, 1);
    // Without maxLag the far replica serves its share.
    const open = history(scenario([lagging, close], { policy: 'random' })).summary;
    assertInWilson(reads(open, 'far-0-1'), open.costs.reads, 0.5, 'far without maxLag', 10_000, Z_999);
  });
});
