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
  /** The version written, or each key's version returned (in the order of `keys`). */
  versions: number[];
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
          const reads = write ? [{ key: record.key as string, version: record.version as number }] : (record.reads as { key: string; version: number }[]);
          const keys = reads.map((read) => read.key);
          const versions = reads.map((read) => read.version);
          const steps = simulated.get(record.session as number) ?? [];
          steps.push({ write, keys, deps: JSON.stringify(write ? record.deps : []), versions, t0: record.t0 as number, t1: record.t1 as number });
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
            let topic = -1;
            planned.keyIds.forEach((keyId, i) => {
              if (topic < 0 && workload.topicOf(keyId) >= 0) topic = workload.topicOf(keyId);
              const version = step.versions[step.keys.indexOf(planned.keys[i]!)]!;
              if (version > 0) workload.remember(session, keyId, version);
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
