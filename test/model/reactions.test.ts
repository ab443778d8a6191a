// Reactions (issue 18): p = 0 changes nothing; p = 1 and a fixed limit give counts by hand; a
// probability p gives p per session; reactions add load; the checkers recount histories with them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ANOMALIES } from '../../src/checks/anomalies.js';
import { checkHistory } from '../../src/checks/historyCheck.js';
import type { RunSummary } from '../../src/report/summary.js';
import { REPO_ROOT, run, tempDir } from '../helpers/sim.js';

/** Open-loop sessions: place an order (a new key), then look at it, on a replica 10 s behind: never found. */
function orders(reactions: unknown[] | undefined, steps = 2, seed = 1) {
  const actions = [{ do: 'write', key: 'new' }, ...Array.from({ length: steps - 1 }, () => ({ do: 'read', key: 'lastWritten' }))];
  return {
    name: 'orders',
    seed,
    duration: '20s',
    cluster: { leader: { region: 'r' }, replicas: [{ region: 'r', lag: '10s' }] },
    clients: [{ name: 'shop', region: 'r', rate: 50, steps, think: '1ms', order: 'cycle', actions, ...(reactions === undefined ? {} : { reactions }) }],
  };
}

function withoutReactions(summary: RunSummary): Omit<RunSummary, 'reactions'> {
  const { reactions: _omit, ...rest } = summary;
  return rest;
}

describe('reactions', () => {
  it('p = 0 changes nothing: the same summary (but its reactions block) and a byte-identical history', () => {
    const { dir, cleanup } = tempDir();
    try {
      const none = run(orders(undefined), [], join(dir, 'none.jsonl')).summary;
      const zero = run(
        orders([
          { on: 'notFound', p: 0, do: 'resubmit' },
          { on: 'ryw', p: 0, after: '1s', do: 'refresh' },
          { on: 'stale', p: 0, do: 'abandon' },
          { on: 'write', p: 0, do: 'resubmit' },
        ]),
        [],
        join(dir, 'zero.jsonl'),
      ).summary;
      assert.deepEqual(withoutReactions(zero), none);
      assert.equal(readFileSync(join(dir, 'zero.jsonl'), 'utf8'), readFileSync(join(dir, 'none.jsonl'), 'utf8'));
      assert.equal(zero.reactions!.duplicates.count, 0);
      // None seen: the Poisson bound on 0 events over the sessions, not [0, 0].
      assert.equal(zero.reactions!.duplicates.interval!.method, 'no-variance');
      assert.equal(zero.reactions!.duplicates.interval!.high, (-Math.log(0.025) / zero.reactions!.sessions) * 1000);
    } finally {
      cleanup();
    }
  });

  it('resubmit with probability p: p duplicates per session, and each is one more write', () => {
    const { summary } = run(orders([{ on: 'notFound', p: 0.3, do: 'resubmit', limit: 1 }]));
    const r = summary.reactions!;
    assert.ok(r.sessions > 900, `${r.sessions} sessions`);
    assert.ok(r.duplicates.interval!.low <= 300 && 300 <= r.duplicates.interval!.high, `duplicates per 1,000 ${JSON.stringify(r.duplicates)}`);
    // The load feeds back: every duplicate is a write to the leader.
    assert.equal(summary.costs.writes, r.sessions + r.duplicates.count);
  });

  it('refresh with p = 1 and limit 3: exactly 3 re-reads per session, each one more read', () => {
    const { summary } = run(orders([{ on: 'notFound', p: 1, do: 'refresh', limit: 3 }]));
    const r = summary.reactions!;
    assert.equal(r.refreshes.count, 3 * r.sessions);
    assert.equal(r.refreshes.per1000Sessions, 3000);
    assert.equal(summary.costs.reads, 4 * r.sessions);
  });

  it('abandon with p = 1: an open-loop session leaves after its first not-found read', () => {
    const { summary } = run(orders([{ on: 'ryw', p: 1, do: 'abandon' }], 4));
    const r = summary.reactions!;
    assert.equal(r.abandons.count, r.sessions);
    assert.equal(summary.costs.reads, r.sessions);
  });

  it('a rule for one action ignores the reads of others', () => {
    const raw = orders([{ on: 'notFound', p: 1, do: 'refresh', action: 2, limit: 1 }], 3);
    const r = run(raw).summary.reactions!;
    // Only the second read (action 2) triggers one refresh; the first (action 1) does not.
    assert.equal(r.refreshes.count, r.sessions);
  });

  it('the history marks reactions and both checkers recount it as the simulator counted', () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = join(dir, 'h.jsonl');
      const raw = orders(
        [
          { on: 'notFound', p: 0.5, do: 'resubmit', after: '300ms', limit: 1 },
          { on: 'ryw', p: 0.5, do: 'refresh', after: '200ms' },
        ],
        3,
      );
      const { summary } = run({ ...raw, cluster: { leader: { region: 'r' }, replicas: [{ region: 'r', lag: { dist: 'exponential', mean: '400ms' }, lagHold: 0 }] } }, [], file);
      const text = readFileSync(file, 'utf8');
      assert.ok(text.includes('"reaction":"resubmit"') && text.includes('"reaction":"refresh"'));
      const replay = checkHistory(text, file);
      assert.equal(replay.mismatches.length, 0);
      for (const a of ANOMALIES) assert.equal(replay.counts[a].violations, summary.anomalies[a].violations, a);
      if (spawnSync('python3', ['--version']).status === 0) {
        const py = spawnSync('python3', [join(REPO_ROOT, 'tools', 'check_history.py'), file, '--json'], { encoding: 'utf8' });
        const json = JSON.parse(py.stdout) as Record<string, { violations: number }> & { flagMismatches: number };
        assert.equal(json.flagMismatches, 0);
        for (const a of ANOMALIES) assert.equal(json[a]!.violations, summary.anomalies[a].violations, a);
      }
    } finally {
      cleanup();
    }
  });
});

describe('reactions to the session’s own write (on: write: double submits)', () => {
  it('resubmit with probability p after each order, whatever the replicas show: p duplicates per session', () => {
    // A replica that is never behind: no read shows anything, only the write triggers.
    const scenario = { ...orders([{ on: 'write', action: 0, p: 0.2, do: 'resubmit', limit: 1 }]), cluster: { leader: { region: 'r' }, replicas: [{ region: 'r', lag: 0 }] } };
    const r = run(scenario).summary.reactions!;
    assert.ok(r.sessions > 900, `${r.sessions} sessions`);
    assert.ok(r.duplicates.interval!.low <= 200 && 200 <= r.duplicates.interval!.high, `duplicates per 1,000 ${JSON.stringify(r.duplicates)}`);
    // The duplicate is not itself resubmitted (action 0 only; limit 1).
    assert.ok(r.duplicates.count < r.sessions * 0.3);
  });

  it('takes a write action only', () => {
    assert.throws(() => run(orders([{ on: 'write', action: 1, p: 0.2, do: 'resubmit' }])), (error: Error & { format(): string }) => {
      assert.equal(error.format(), 'test: clients.0.reactions.0.action: expected the index of a write action of this group (0 to 1), got 1');
      return true;
    });
  });
});
