// A read and commits of its keys at one microsecond (semantics.md sections 1–3: commits precede reads
// at one instant, and a read's `leader` is the latest version committed at or before its t0). The
// recount from the history (src/checks/historyCheck.ts) must find every `leader` field the simulator
// wrote, also when the commit is handled after the read started, after the read's reply, or after
// the version was pruned. docs/semantics-readings.md ("One microsecond") gives the readings.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkHistory } from '../../src/checks/historyCheck.js';
import { afterCompletionUs, PHASE_LATE } from '../../src/model/events.js';
import { OpKind } from '../../src/model/operation.js';
import { simulate } from '../../src/run/pipeline.js';
import { scenarioFromDocument } from '../../src/scenario/parse.js';
import { dataFilesIn } from '../../src/run/load.js';
import { REPO_ROOT, run, tempDir } from '../helpers/sim.js';

/** Runs `raw` with a history and returns the recount's findings and every operation's (session, t0, t1). */
function runAndRecount(raw: unknown): { leaderMismatches: unknown[]; readMismatches: number; ops: { session: number; t0: number; t1: number }[] } {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, 'h.jsonl');
    run(raw, [], path);
    const text = readFileSync(path, 'utf8');
    const result = checkHistory(text, path);
    const ops = text
      .split('\n')
      .filter((line) => line.startsWith('{"type":"read"') || line.startsWith('{"type":"write"'))
      .map((line) => JSON.parse(line) as { session: number; t0: number; t1: number });
    return { leaderMismatches: result.leaderMismatches, readMismatches: result.mismatches.length, ops };
  } finally {
    cleanup();
  }
}

// pg-ryw's cycle (write my row, read it back) with think times of a few milliseconds: some draws round to 0 µs.
const ownCycle = {
  name: 'own-cycle',
  duration: '2s',
  cluster: { leader: { region: 'r' }, replicas: [{ region: 'r', lag: '100ms', lagHold: 0 }] },
  clients: [{ name: 'u', region: 'r', sessions: 50, think: { dist: 'exponential', mean: '3ms' }, order: 'cycle', actions: [{ do: 'write', key: 'own' }, { do: 'read', key: 'lastWritten' }] }],
};

// Many sessions on three keys with no network delay and service times of a few µs: reads and
// commits of one key share microseconds, and a replica with no lag lets versions be pruned at once.
const crowded = {
  name: 'crowded',
  duration: '1s',
  keyspace: { count: 3 },
  cluster: {
    leader: { region: 'r', service: { dist: 'exponential', mean: '3us' }, concurrency: 1 },
    replicas: [{ region: 'r', lag: 0, lagHold: 0, service: { dist: 'exponential', mean: '3us' }, concurrency: 1 }],
  },
  clients: [{ name: 'u', region: 'r', sessions: 40, think: { dist: 'exponential', mean: '100us' }, actions: [{ weight: 1, do: 'write', key: 'popular' }, { weight: 1, do: 'read', key: 'popular' }] }],
};

describe('a read and a commit of its key in one microsecond', () => {
  it("a session's next operation starts at least 1 µs after its last one completed (a think time that rounds to 0)", () => {
    assert.equal(afterCompletionUs(0), 1);
    assert.equal(afterCompletionUs(0.49), 1);
    assert.equal(afterCompletionUs(1.5), 2);
    assert.equal(afterCompletionUs(2.4), 2);
    const { ops } = runAndRecount(ownCycle);
    const lastEnd = new Map<number, number>();
    let zeroThinks = 0;
    for (const op of [...ops].sort((a, b) => a.t0 - b.t0)) {
      const end = lastEnd.get(op.session);
      if (end !== undefined) {
        assert.ok(op.t0 > end, `session ${op.session} started at ${op.t0} us, not after its last completion at ${end} us`);
        if (op.t0 === end + 1) zeroThinks++;
      }
      lastEnd.set(op.session, op.t1);
    }
    assert.ok(zeroThinks > 0, 'no think time rounded to 0 in this run: the case is not exercised');
  });

  it("a session's next write no longer commits at its previous read's t0: the recount agrees with every leader field", () => {
    const { leaderMismatches, readMismatches } = runAndRecount(ownCycle);
    assert.deepEqual(leaderMismatches, []);
    assert.equal(readMismatches, 0);
  });

  it('a commit at t0 handled after the read started counts, even once its version is pruned before the read completes', () => {
    const { leaderMismatches, readMismatches, ops } = runAndRecount(crowded);
    assert.ok(ops.length > 100_000, `${ops.length} operations`);
    assert.deepEqual(leaderMismatches, []);
    assert.equal(readMismatches, 0);
  });

  it('a read that starts and completes in one microsecond completes after everything else of it (PHASE_LATE) or last in it', () => {
    let zeroDuration = 0;
    let lastOfInstant = 0;
    simulate(scenarioFromDocument(crowded, 'test', dataFilesIn(REPO_ROOT)), {
      onOperation: (_session, op, _flags, simulator) => {
        if (op.kind !== OpKind.Read || op.endUs !== op.startUs) return;
        zeroDuration++;
        // Either the instant is over, or this is a PHASE_LATE event, which the queue pops only when
        // nothing of an earlier phase is left at its instant.
        if (simulator.sim.moreAtThisInstant()) assert.equal(simulator.sim.queue.poppedPhase, PHASE_LATE);
        else lastOfInstant++;
      },
    });
    assert.ok(zeroDuration - lastOfInstant > 100, `${zeroDuration} reads within one microsecond, ${lastOfInstant} of them last at their instant`);
  });
});
