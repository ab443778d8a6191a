// The parts of a real run that need no server: LSN arithmetic, and how a real run's operations
// become a history (semantics.md section 4): `leader` from acknowledgement times, flags from the
// checker, and a recount that agrees.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkHistory } from '../../src/checks/historyCheck.js';
import { finishHistory, type RealReadRecord, type RealRecord, type RealWrite } from '../../src/real/history.js';
import { formatLsn, parseLsn } from '../../src/real/lsn.js';

describe('LSNs', () => {
  it('parse as hi·2³² + lo and print back', () => {
    assert.equal(parseLsn('0/0'), 0);
    assert.equal(parseLsn('0/3000148'), 0x3000148);
    assert.equal(parseLsn('16/B374D848'), 0x16 * 2 ** 32 + 0xb374d848);
    assert.equal(parseLsn(null), null);
    // Exact up to 2^53 − 1 (1FFFFF/FFFFFFFF): 8 PiB of WAL.
    for (const text of ['0/1', '1/0', '1FFFFF/FFFFFFFF', '16/B374D848']) assert.equal(formatLsn(parseLsn(text)!), text);
    assert.throws(() => parseLsn('12345'));
  });

  it('order as the server orders them', () => {
    assert.ok(parseLsn('1/0')! > parseLsn('0/FFFFFFFF')!);
    assert.ok(parseLsn('0/10')! > parseLsn('0/F')!);
  });
});

const write = (session: number, t0: number, tc: number, t1: number, key: string, version: number): RealWrite => ({
  type: 'write',
  session,
  t0,
  tc,
  t1,
  key,
  version,
  deps: [],
  warmup: false,
  failed: false,
});

const read = (session: number, t0: number, t1: number, key: string, version: number | null, node = 'replica-0-1'): RealReadRecord => ({
  type: 'read',
  session,
  t0,
  t1,
  keys: [key],
  versions: [version],
  nodes: [node],
  warmup: false,
  failed: false,
});

describe('finishHistory', () => {
  it('leader is the highest version acknowledged at or before t0, even when acknowledgements arrive out of order', () => {
    // Versions 1 and 2 of k: version 2 (session 2) is acknowledged before version 1 (session 1).
    const w1 = write(1, 0, 900, 900, 'k', 1);
    const w2 = write(2, 100, 500, 500, 'k', 2);
    const early = read(3, 400, 450, 'k', 0); // before either acknowledgement: leader 0 (preloaded)
    const between = read(3, 600, 650, 'k', 0); // after version 2's: leader 2, stale
    const late = read(3, 1000, 1100, 'k', 2, 'leader-0');
    const records: RealRecord[] = [w1, w2, early, between, late];
    const done = finishHistory(records, new Set(['k']), 'test.jsonl');
    assert.deepEqual(
      [early, between, late].map((r) => done.contexts.get(r)![0]!.leader),
      [0, 2, 2],
    );
    const between0 = done.contexts.get(between)![0]!;
    assert.equal(between0.versionsBehind, 2);
    assert.equal(between0.missedCommitUs, 900); // version 1's acknowledgement: the oldest version missed
    // A key nobody preloaded or wrote reads as absent, with no leader version.
    const absent = read(4, 100, 200, 'new-x', null);
    assert.equal(finishHistory([absent], new Set(), 't.jsonl').contexts.get(absent)![0]!.leader, null);
  });

  it('orders lines by t1 then session, and its flags are what the checker recounts', () => {
    const records: RealRecord[] = [
      write(1, 0, 100, 100, 'own-1', 1),
      read(1, 150, 200, 'own-1', 0), // misses its own write: ryw and stale
      write(2, 0, 120, 120, 'own-2', 2),
      read(2, 150, 200, 'own-2', 2),
      read(2, 300, 350, 'own-2', 0), // goes back: mr, ryw, stale
    ];
    const done = finishHistory(records, new Set(['own-1', 'own-2']), 'test.jsonl');
    const lines = done.text.trim().split('\n').map((line) => JSON.parse(line) as { type: string; session: number; t1: number; flags?: string[]; reads?: { leader: number }[] });
    assert.deepEqual(
      lines.map((l) => [l.t1, l.session]),
      [
        [100, 1],
        [120, 2],
        [200, 1],
        [200, 2],
        [350, 2],
      ],
    );
    assert.deepEqual(
      lines.filter((l) => l.type === 'read').map((l) => l.flags),
      [['ryw', 'stale'], [], ['ryw', 'mr', 'stale']],
    );
    const recount = checkHistory(done.text, 'again.jsonl');
    assert.equal(recount.mismatches.length, 0);
    assert.equal(recount.counts.ryw.violations, 2);
    assert.equal(recount.counts.mr.violations, 1);
    // The write records carry every field of semantics.md section 4.
    const firstWrite = JSON.parse(done.text.split('\n')[0]!) as Record<string, unknown>;
    assert.deepEqual(Object.keys(firstWrite), ['type', 'session', 't0', 'tc', 't1', 'key', 'shard', 'version', 'deps', 'node']);
  });

  it('marks warm-up and failed operations as the export does', () => {
    const records: RealRecord[] = [
      { ...write(1, 0, 10, 10, 'a', 1), warmup: true },
      { ...read(1, 20, 30, 'a', null), failed: true },
      { ...write(1, 40, 40, 50, 'a', 0), failed: true },
    ];
    const lines = finishHistory(records, new Set(), 't.jsonl').text.trim().split('\n');
    assert.match(lines[0]!, /"warmup":true}$/);
    assert.equal(lines[1], '{"type":"read","session":1,"t0":20,"t1":30,"failed":true}');
    assert.equal(lines[2], '{"type":"write","session":1,"t0":40,"t1":50,"key":"a","failed":true}');
  });
});
