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
import type { ExplainedOperation } from '../../src/report/explain.js';
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
          simulate(scenario, {
            historyPath,
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
