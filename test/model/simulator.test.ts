// The simulator's timing rules (semantics.md section 2) read back from the history, and runs that
// once crashed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunSummary } from '../../src/report/summary.js';
import { run, tempDir } from '../helpers/sim.js';

interface Rec {
  type: string;
  session: number;
  t0: number;
  tc?: number;
  t1: number;
  warmup?: boolean;
  failed?: boolean;
  reads?: { key: string; version: number | null; node: string }[];
}

function withHistory(raw: Record<string, unknown>): { summary: RunSummary; records: Rec[] } {
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

describe('sessions and operations (semantics.md section 2)', () => {
  // Clients in us-west, the leader in us-east 35 ms away, a local replica; constant think 1 s.
  const raw = {
    name: 'timing',
    // Sessions run in step (constant times): a write starts at 11.35 s and completes at 11.42 s,
    // across the end at warmup + duration = 11.4 s.
    duration: '8.4s',
    warmup: '3s',
    cluster: { leader: { region: 'east' }, replicas: [{ region: 'west', lag: '100ms' }] },
    network: { latency: { 'east/west': '35ms' } },
    clients: [
      {
        name: 'u',
        region: 'west',
        sessions: 7,
        order: 'cycle',
        think: '1s',
        actions: [
          { do: 'write', key: 'own' },
          { do: 'read', key: 'own' },
        ],
      },
    ],
  };
  const { summary, records } = withHistory(raw);
  const ops = records.filter((r) => r.type === 'read' || r.type === 'write');

  it('a closed-loop session starts after one think time, and each think time runs from t1 to the next t0', () => {
    const bySession = new Map<number, Rec[]>();
    for (const r of ops) bySession.set(r.session, [...(bySession.get(r.session) ?? []), r]);
    assert.equal(bySession.size, 7);
    for (const list of bySession.values()) {
      list.sort((x, y) => x.t0 - y.t0);
      assert.equal(list[0]!.t0, 1_000_000);
      for (let i = 1; i < list.length; i++) assert.equal(list[i]!.t0, list[i - 1]!.t1 + 1_000_000);
    }
  });

  it('a write commits at the leader after the one-way trip and completes after the trip back', () => {
    for (const w of ops.filter((r) => r.type === 'write')) {
      assert.equal(w.tc, w.t0 + 35_000);
      assert.equal(w.t1, w.t0 + 70_000);
    }
  });

  it('warm-up operations (t0 before warmup) are exported, marked, and not counted', () => {
    const warm = ops.filter((r) => r.t0 < 3_000_000);
    assert.ok(warm.length > 0 && warm.every((r) => r.warmup === true));
    assert.ok(ops.filter((r) => r.t0 >= 3_000_000).every((r) => r.warmup === undefined));
    const counted = ops.filter((r) => r.warmup === undefined);
    assert.equal(summary.costs.reads + summary.costs.writes, counted.length);
  });

  it('no operation starts at or after warmup + duration; those in flight then complete and count', () => {
    const endUs = 11_400_000;
    assert.ok(ops.every((r) => r.t0 < endUs));
    const straddling = ops.filter((r) => r.t1 > endUs);
    assert.ok(straddling.length > 0, 'some operation was in flight at the end');
    assert.ok(straddling.every((r) => r.warmup === undefined));
  });
});

describe('faults that last until the end', () => {
  const scenario = (fault: Record<string, unknown>) => ({
    name: 'forever',
    duration: '5s',
    // Leader in a, replica in b, clients in c: a partition a/b cuts replication only.
    cluster: { leader: { region: 'a' }, replicas: [{ region: 'b', lag: '10ms' }] },
    network: { latency: { 'a/c': '1ms', 'b/c': '1ms' } },
    clients: [
      {
        name: 'u',
        region: 'c',
        sessions: 5,
        order: 'cycle',
        think: '100ms',
        actions: [
          { do: 'write', key: 'own' },
          { do: 'read', key: 'own' },
        ],
      },
    ],
    faults: { events: [fault] },
  });

  // Both once ended the run with "internal error: LatencyHistogram.record: Infinity µs": an entry
  // that is never applied was reported with an apply time of Infinity.
  for (const [what, fault] of [
    ['a replica paused with no end', { at: '1s', pause: 'replica-0-1' }],
    ['a leader/replica partition with no end', { at: '1s', partition: ['a', 'b'] }],
  ] as const) {
    it(`${what}: the run completes, and the replica keeps what it applied before`, () => {
      const { summary, records } = withHistory(scenario(fault));
      assert.ok(summary.costs.reads > 100);
      // Every own write after the fault is missing on the replica: ryw on every read after 1.1 s.
      const late = records.filter((r) => r.type === 'read' && !r.failed && r.t0 > 1_100_000 && r.reads![0]!.node !== 'leader-0');
      assert.ok(late.length > 50, `${late.length} reads on the replica after the fault`);
      assert.ok(late.every((r) => (r as { flags?: string[] }).flags?.includes('ryw')));
    });
  }
});
