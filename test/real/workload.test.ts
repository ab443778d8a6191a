// One workload for simulated and real runs (issue 16): a real run plans each session's operations
// with the simulator's own Workload, so on one seed every session gets the same actions, keys, deps
// and think times. Checked against the history a simulation exports: per session, the sequence of
// operations and the gaps between them are what RealWorkload draws, without a database.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import { RandomStreams } from '../../src/engine/random.js';
import { RealWorkload } from '../../src/real/workload.js';
import { readScenarioDocument } from '../../src/run/load.js';
import { simulate } from '../../src/run/pipeline.js';
import { buildModel } from '../../src/scenario/buildModel.js';
import { scenarioFromDocument } from '../../src/scenario/parse.js';
import { dataFilesIn } from '../../src/run/load.js';
import { REPO_ROOT, shippedScenarios, tempDir } from '../helpers/sim.js';

interface Step {
  write: boolean;
  keys: string[];
  deps: string;
  t0: number;
  t1: number;
}

/** Scenarios whose sessions run the same operations whatever the timing: closed loop, no faults, no reactions. */
const timingFree = shippedScenarios().filter((path) => {
  const scenario = scenarioFromDocument(readScenarioDocument(path), path, dataFilesIn(REPO_ROOT), ['duration=5s']);
  return scenario.faults.events.length === 0 && scenario.clients.every((group) => (group.rate ?? null) === null && (group.reactions ?? []).length === 0);
});

describe('RealWorkload draws what the simulator draws', () => {
  it('covers several shipped scenarios', () => assert.ok(timingFree.length >= 4, `only ${timingFree.length} scenarios qualify`));

  for (const path of timingFree) {
    it(basename(path), () => {
      const scenario = scenarioFromDocument(readScenarioDocument(path), path, dataFilesIn(REPO_ROOT), ['duration=5s', 'warmup=0s']);
      const { dir, cleanup } = tempDir();
      try {
        const historyPath = join(dir, 'h.jsonl');
        simulate(scenario, { historyPath });
        const simulated = new Map<number, Step[]>();
        for (const line of readFileSync(historyPath, 'utf8').split('\n')) {
          if (line === '') continue;
          const record = JSON.parse(line) as Record<string, unknown>;
          if (record.type !== 'write' && record.type !== 'read') continue;
          assert.notEqual(record.failed, true, 'a scenario without faults has no failed operation');
          const write = record.type === 'write';
          const keys = write ? [record.key as string] : (record.reads as { key: string }[]).map((read) => read.key);
          const steps = simulated.get(record.session as number) ?? [];
          steps.push({ write, keys, deps: JSON.stringify(write ? record.deps : []), t0: record.t0 as number, t1: record.t1 as number });
          simulated.set(record.session as number, steps);
        }
        const workload = new RealWorkload(buildModel(scenario), new RandomStreams(scenario.seed));
        let compared = 0;
        for (const session of workload.sessions) {
          const steps = (simulated.get(session.id) ?? []).sort((x, y) => x.t0 - y.t0);
          let previousEndUs = 0;
          for (const step of steps) {
            assert.equal(step.t0 - previousEndUs, workload.think(session), `session ${session.id}: think time before its operation at ${step.t0} µs`);
            const planned = workload.plan(session);
            assert.deepEqual({ write: planned.write, keys: [...planned.keys].sort() }, { write: step.write, keys: [...step.keys].sort() }, `session ${session.id} at ${step.t0} µs`);
            if (planned.write) {
              assert.equal(JSON.stringify(workload.deps(session, planned.keyIds[0]!)), step.deps, `deps of session ${session.id} at ${step.t0} µs`);
              workload.written(session, planned.keyIds[0]!);
            }
            // What the session learned from the operation, as the real runner records it.
            const record = readVersions(historyPath, session.id, step.t0);
            let topic = -1;
            planned.keyIds.forEach((keyId, i) => {
              if (topic < 0 && workload.topicOf(keyId) >= 0) topic = workload.topicOf(keyId);
              if (record[i]! > 0) workload.remember(session, keyId, record[i]!);
            });
            if (!planned.write && topic >= 0) session.lastReadTopic = topic;
            previousEndUs = step.t1;
            compared++;
          }
        }
        assert.ok(compared > 100, `only ${compared} operations compared`);
      } finally {
        cleanup();
      }
    });
  }
});

const histories = new Map<string, Map<string, number[]>>();

/** The versions an operation wrote or returned, in the order of its planned keys' names (sorted by the caller's keys). */
function readVersions(historyPath: string, session: number, t0: number): number[] {
  let index = histories.get(historyPath);
  if (index === undefined) {
    index = new Map();
    for (const line of readFileSync(historyPath, 'utf8').split('\n')) {
      if (line === '') continue;
      const record = JSON.parse(line) as { type: string; session: number; t0: number; version?: number; reads?: { version: number }[] };
      if (record.type === 'write') index.set(`${record.session}@${record.t0}`, [record.version!]);
      else if (record.type === 'read') index.set(`${record.session}@${record.t0}`, record.reads!.map((read) => read.version));
    }
    histories.set(historyPath, index);
  }
  return index.get(`${session}@${t0}`)!;
}
