// A known open defect, kept as a TODO test that runs: a read that starts and completes within one
// microsecond (no network delay, no service time) does not count, in its `leader` field, a commit of
// the same key later in that microsecond — its own session's next write after a think time that
// rounds to 0, or another session's — while semantics.md section 3 ("committed at or before t0")
// and the independent recount from the history do. docs/semantics-readings.md ("Commits later in a
// read's own microsecond") says why it is left open and what fixing it takes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkHistory } from '../../src/checks/historyCheck.js';
import { run, tempDir } from '../helpers/sim.js';

describe('a read and a commit of its key in one microsecond', () => {
  it.todo('the read counts the commit in its leader field, as the recount from the history does', () => {
    const { dir, cleanup } = tempDir();
    try {
      const path = join(dir, 'h.jsonl');
      // pg-ryw's cycle (write my row, read it back) with think times of a few milliseconds (some draws round to 0 µs).
      run(
        {
          name: 'same-instant',
          duration: '2s',
          cluster: { leader: { region: 'r' }, replicas: [{ region: 'r', lag: '100ms', lagHold: 0 }] },
          clients: [{ name: 'u', region: 'r', sessions: 50, think: { dist: 'exponential', mean: '3ms' }, order: 'cycle', actions: [{ do: 'write', key: 'own' }, { do: 'read', key: 'lastWritten' }] }],
        },
        [],
        path,
      );
      assert.deepEqual(checkHistory(readFileSync(path, 'utf8'), path).leaderMismatches, []);
    } finally {
      cleanup();
    }
  });
});
