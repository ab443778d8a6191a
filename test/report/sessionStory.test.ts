// lagsim explain's story (SessionStory), told of every session of random runs with faults and
// lagsim's extensions (sync replicas, parallel apply, replay conflicts, reactions, migrations), agrees
// with the same run's history export, which both checkers recount: the same operations in the same
// order, with the same versions, nodes, leader versions and flags; its reasons give the checker's
// flags; and each write is told applied once per replica at most, never before its commit.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { ABSENT } from '../../src/model/keys.js';
import { explainText, type ExplainedOperation } from '../../src/report/explain.js';
import { SessionStory } from '../../src/report/sessionStory.js';
import { dataFilesIn } from '../../src/run/load.js';
import { simulate } from '../../src/run/pipeline.js';
import { scenarioFromDocument } from '../../src/scenario/parse.js';
import { scenarioArb, withStrategy } from '../helpers/arbitraries.js';
import { REPO_ROOT, tempDir } from '../helpers/sim.js';

interface HistoryLine {
  type: string;
  session: number;
  t0: number;
  tc?: number;
  version?: number;
  node?: string;
  failed?: boolean;
  reads?: { key: string; version: number | null; node: string; leader: number | null }[];
  flags?: string[];
}

/** What the history says of one operation, in the story's terms (ABSENT for a null version). */
function fromHistory(line: HistoryLine): unknown {
  if (line.type === 'write') return { kind: 'write', t0: line.t0, failed: line.failed === true, version: line.failed ? null : line.version, commitUs: line.failed ? null : line.tc };
  return {
    kind: 'read',
    t0: line.t0,
    failed: line.failed === true,
    reads: (line.reads ?? []).map((read) => ({ key: read.key, version: read.version ?? ABSENT, node: read.node, leader: read.leader ?? ABSENT })),
    flags: line.flags ?? [],
  };
}

function fromStory(op: ExplainedOperation): unknown {
  if (op.kind === 'write') return { kind: 'write', t0: op.startUs, failed: op.failed, version: op.failed ? null : op.version, commitUs: op.failed ? null : op.commitUs };
  return { kind: 'read', t0: op.startUs, failed: op.failed, reads: op.failed ? [] : op.reads, flags: op.flags };
}

describe("explain's story and the history export", () => {
  const strategy = fc.oneof(
    fc.constant({ name: 'none' }),
    fc.constant({ name: 'pin', window: '100ms' }),
    fc.constant({ name: 'token', track: 'session', mode: 'route' }),
    fc.constant({ name: 'sticky', pinAfterWrite: '100ms' }),
  );

  it('tell every session alike, faults, failovers and extensions included, and no write is applied before its commit', () => {
    const { dir, cleanup } = tempDir();
    try {
      fc.assert(
        fc.property(scenarioArb({ apply: true, faults: true, extras: true }), strategy, (g, s) => {
          const historyPath = join(dir, 'h.jsonl');
          const scenario = scenarioFromDocument(withStrategy(g.raw, s), 'test', dataFilesIn(REPO_ROOT), []);
          const stories = new Map<number, { story: SessionStory; told: ExplainedOperation[] }>();
          const replicaNodes = new Set<number>();
          const { simulator: finished } = simulate(scenario, {
            historyPath,
            onApplied: (node, position, applyUs, simulator) => {
              for (const { story } of stories.values()) story.onApplied(node, position, applyUs, simulator);
            },
            onOperation: (session, op, flags, simulator) => {
              let entry = stories.get(session.id);
              if (entry === undefined) {
                entry = { story: new SessionStory(session.id), told: [] };
                stories.set(session.id, entry);
              }
              const told = entry.story.onOperation(session, op, flags, simulator);
              if (told !== null) entry.told.push(told);
              simulator.cluster.nodeNames.forEach((_, node) => {
                if (!simulator.cluster.isLeader(node)) replicaNodes.add(node);
              });
            },
          });
          for (const { story } of stories.values()) story.finish(finished);
          const history = new Map<number, HistoryLine[]>();
          for (const text of readFileSync(historyPath, 'utf8').split('\n')) {
            if (text === '') continue;
            const line = JSON.parse(text) as HistoryLine;
            if (line.type !== 'write' && line.type !== 'read') continue;
            history.set(line.session, [...(history.get(line.session) ?? []), line]);
          }
          assert.deepEqual([...stories.keys()].sort((a, b) => a - b), [...history.keys()].sort((a, b) => a - b));
          for (const [sessionId, { story, told }] of stories) {
            assert.equal(story.disagreements, 0, `session ${sessionId}: the story's reasons give other flags than the checker`);
            assert.deepEqual(told.map(fromStory), history.get(sessionId)!.map(fromHistory), `session ${sessionId}`);
            for (const op of told) {
              if (op.kind !== 'write' || op.failed) continue;
              const nodes = op.applies.map((apply) => apply.node);
              assert.equal(new Set(nodes).size, nodes.length, `session ${sessionId}: a write told applied twice on one node: ${nodes.join(', ')}`);
              assert.ok(nodes.length <= replicaNodes.size);
              for (const apply of op.applies) assert.ok(apply.atUs >= op.commitUs, `session ${sessionId}: applied at ${apply.atUs} before its commit at ${op.commitUs}`);
              // Never contradicted by the session's own reads: a read from a replica that started
              // after the write was applied there returns it or a later version.
              for (const read of told) {
                if (read.kind !== 'read' || read.failed) continue;
                for (const r of read.reads) {
                  const apply = op.applies.find((a) => a.node === r.node);
                  if (r.key !== op.key || apply === undefined || r.version === ABSENT || r.version >= op.version) continue;
                  assert.ok(
                    apply.atUs > read.startUs,
                    `session ${sessionId}: version ${op.version} of ${op.key} told applied on ${r.node} at ${apply.atUs}, but a read there at ${read.startUs} returned version ${r.version}`,
                  );
                }
              }
            }
          }
        }),
        { seed: 1919, numRuns: 40 },
      );
    } finally {
      cleanup();
    }
  });
});

/** Session `sessionId`'s story of a hand-built scenario, told as lagsim explain tells it (onApplied, then finish). */
function storyOf(raw: unknown, sessionId: number): ExplainedOperation[] {
  const scenario = scenarioFromDocument(raw, 'test', dataFilesIn(REPO_ROOT), []);
  const story = new SessionStory(sessionId);
  const told: ExplainedOperation[] = [];
  const { simulator } = simulate(scenario, {
    onOperation: (session, op, flags, sim) => {
      const explained = story.onOperation(session, op, flags, sim);
      if (explained !== null) told.push(explained);
    },
    onApplied: (node, position, applyUs, sim) => story.onApplied(node, position, applyUs, sim),
  });
  story.finish(simulator);
  assert.equal(story.disagreements, 0);
  return told;
}

function writeOf(told: ExplainedOperation[], version: number): Extract<ExplainedOperation, { kind: 'write' }> {
  const write = told.find((op) => op.kind === 'write' && !op.failed && op.version === version);
  assert.ok(write !== undefined && write.kind === 'write', `no write of version ${version}`);
  return write;
}

const constant = (value: string) => ({ dist: 'constant', value });

describe("explain's apply times are when each replica actually applied the write", () => {
  // One replica 10 ms behind; one session writes its own row at 25 ms and reads it at 50 ms, every 25 ms.
  const pausing = (pause: string) => ({
    name: 'pause',
    duration: '100ms',
    cluster: { leader: { region: 'r' }, replicas: [{ region: 'r', lag: constant('10ms') }] },
    clients: [{ name: 'u', region: 'r', sessions: 1, order: 'cycle', think: constant('25ms'), actions: [{ do: 'write', key: 'own' }, { do: 'read', key: 'own' }] }],
    faults: { events: [{ at: '30ms', pause: 'replica-0-1', for: pause }] },
  });

  it('a pause that starts after the commit moves the apply to its end, which explain tells (the read in between saw the older version)', () => {
    // Version 1 commits at 25 ms and is scheduled at 35 ms; the pause from 30 ms to 80 ms holds it
    // until 80 ms. The read at 50 ms gets version 0 from that replica: applied at 35 ms would contradict it.
    const told = storyOf(pausing('50ms'), 1);
    const first = writeOf(told, 1);
    assert.equal(first.commitUs, 25_000);
    assert.deepEqual(first.applies, [{ node: 'replica-0-1', atUs: 80_000 }]);
    assert.notEqual(first.applies[0]!.atUs, first.commitUs + 10_000, 'the apply as scheduled at commit');
    const read = told.find((op) => op.kind === 'read' && op.startUs === 50_000);
    assert.ok(read !== undefined && read.kind === 'read');
    assert.deepEqual(read.reads.map((r) => [r.node, r.version]), [['replica-0-1', 0]]);
    // Version 2, committed at 75 ms during the pause: max(75 + 10, 80) = 85 ms.
    assert.deepEqual(writeOf(told, 2).applies, [{ node: 'replica-0-1', atUs: 85_000 }]);
    const text = explainText({ scenario: 'pause', strategy: 'none', seed: 1, sessionId: 1, group: 'u', operations: told, reproduce: '' });
    assert.ok(text.includes('applied on replica-0-1 at 80.0 ms (55.0 ms after commit)'), text);
  });

  it('an apply still pending at the end is told at its moved time', () => {
    // The pause from 30 ms lasts 1 s: both writes wait for its end, at 1,030 ms, after the run.
    const told = storyOf(pausing('1s'), 1);
    assert.deepEqual(writeOf(told, 1).applies, [{ node: 'replica-0-1', atUs: 1_030_000 }]);
    assert.deepEqual(writeOf(told, 2).applies, [{ node: 'replica-0-1', atUs: 1_030_000 }]);
  });

  it('an apply that happens before its write is acknowledged is told at its moved time', () => {
    // The writer is 100 ms from the database: its write starts at 1,000 ms, commits at 1,100 ms
    // (scheduled at 1,110 ms on the replica) and is acknowledged at 1,200 ms. The pause from 1,105 ms
    // to 1,125 ms moves the apply to 1,125 ms, and another session's reads of that replica, every
    // 10 ms, have it applied before the acknowledgement.
    const told = storyOf(
      {
        name: 'early',
        duration: '1300ms',
        network: { latency: { 'c/r': constant('100ms') } },
        cluster: { leader: { region: 'r' }, replicas: [{ region: 'r', lag: constant('10ms') }] },
        clients: [
          { name: 'w', region: 'c', sessions: 1, think: constant('1s'), actions: [{ do: 'write', key: 'own' }] },
          { name: 'q', region: 'r', sessions: 1, think: constant('10ms'), actions: [{ do: 'read', key: 'popular' }] },
        ],
        faults: { events: [{ at: '1105ms', pause: 'replica-0-1', for: '20ms' }] },
      },
      1,
    );
    const write = writeOf(told, 1);
    assert.equal(write.commitUs, 1_100_000);
    assert.equal(write.endUs, 1_200_000);
    assert.deepEqual(write.applies, [{ node: 'replica-0-1', atUs: 1_125_000 }]);
  });

  it('an entry dropped in a failover is told never applied, lost', () => {
    // One session writes every 50 ms; the replica is 10 ms behind. The leader crashes at 5,005 ms:
    // version 100, committed at 5,000 ms, has not reached the replica, which is promoted at 6,005 ms
    // without it. Version 99 (4,950 ms) was applied at 4,960 ms.
    const told = storyOf(
      {
        name: 'lost',
        duration: '6500ms',
        cluster: { leader: { region: 'r' }, replicas: [{ region: 'r', lag: constant('10ms') }] },
        clients: [{ name: 'u', region: 'r', sessions: 1, think: constant('50ms'), actions: [{ do: 'write', key: 'own' }] }],
        faults: { failoverTime: '1s', events: [{ at: '5005ms', crash: 'leader-0' }] },
      },
      1,
    );
    assert.deepEqual(writeOf(told, 99).applies, [{ node: 'replica-0-1', atUs: 4_960_000 }]);
    const lost = writeOf(told, 100);
    assert.equal(lost.commitUs, 5_000_000);
    assert.deepEqual(lost.applies, [{ node: 'replica-0-1', atUs: Infinity, lost: true }]);
    const text = explainText({ scenario: 'lost', strategy: 'none', seed: 1, sessionId: 1, group: 'u', operations: [lost], reproduce: '' });
    assert.ok(text.includes('never applied on replica-0-1 (lost in the failover: the new leader never had it)'), text);
    assert.ok(!/applied on replica-0-1 at 5010/.test(text), text);
  });
});
