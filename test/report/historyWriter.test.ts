// HistoryWriter (src/report/historyWriter.ts) writes each line as bytes, not through JSON.stringify:
// held here to the records of semantics.md section 4 built with JSON.stringify, on every kind of
// record, numbers beyond 32 bits, names that need escaping, lines of one instant out of session
// order and an instant whose lines outgrow the writer's buffer.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ABSENT, KeyTable } from '../../src/model/keys.js';
import { OpKind, Operation } from '../../src/model/operation.js';
import { REACTION_CODES } from '../../src/model/reactions.js';
import { HistoryWriter } from '../../src/report/historyWriter.js';
import { tempDir } from '../helpers/sim.js';

const NODES = ['leader-0', 'replica-0-1', 'ré"plica\\-0-2'];

function keys(): KeyTable {
  return new KeyTable({ shards: 2, keyspaceCount: 10, topicSize: 1, preload: true, placement: 'hash' });
}

interface Written {
  op: Operation;
  session: number;
  flags: number;
  expected: Record<string, unknown>;
}

function write(table: KeyTable, session: number, name: string, o: { t0: number; tc: number; t1: number; version: number; deps?: [string, number][]; failed?: boolean; warmup?: boolean; reaction?: number }): Written {
  const op = new Operation();
  const key = table.namedKey(name, false);
  op.reset(OpKind.Write, o.t0, o.warmup ?? false);
  op.addKey(key, table.get(key).shard, 0, 0, 0);
  op.commitUs = o.tc;
  op.endUs = o.t1;
  op.version = o.version;
  op.node = 0;
  op.failed = o.failed ?? false;
  op.reaction = o.reaction ?? 0;
  for (const [dep, version] of o.deps ?? []) op.addDep(table.namedKey(dep, false), version);
  const committed = !op.failed || o.version > 0;
  const expected: Record<string, unknown> = committed
    ? { type: 'write', session, t0: o.t0, tc: o.tc, t1: o.t1, key: name, shard: table.get(key).shard, version: o.version, deps: o.deps ?? [], node: NODES[0] }
    : { type: 'write', session, t0: o.t0, t1: o.t1, key: name };
  if (op.failed) expected['failed'] = true;
  if (op.reaction !== 0) expected['reaction'] = ['', 'resubmit', 'refresh', 'abandon'][op.reaction];
  if (op.warmup) expected['warmup'] = true;
  return { op, session, flags: 0, expected };
}

function read(
  table: KeyTable,
  session: number,
  o: { t0: number; t1: number; reads: [name: string, version: number, node: number, leader: number][]; flags?: number; failed?: boolean; cancelled?: boolean },
): Written {
  const op = new Operation();
  op.reset(OpKind.Read, o.t0, false);
  o.reads.forEach(([name, version, node, leader], i) => {
    const key = table.namedKey(name, false);
    op.addKey(key, table.get(key).shard, leader, 0, 0);
    op.returned[i] = version;
    op.servedBy[i] = node;
  });
  op.endUs = o.t1;
  op.failed = o.failed ?? false;
  op.cancelled = o.cancelled ?? false;
  const flags = o.flags ?? 0;
  const flagNames = ['ryw', 'mr', 'cp', 'stale'].filter((_, i) => (flags & (1 << i)) !== 0);
  const nullable = (v: number): number | null => (v === ABSENT ? null : v);
  const expected: Record<string, unknown> = op.failed
    ? { type: 'read', session, t0: o.t0, t1: o.t1, failed: true, ...(op.cancelled ? { cancelled: true } : {}) }
    : { type: 'read', session, t0: o.t0, t1: o.t1, reads: o.reads.map(([key, version, node, leader]) => ({ key, version: nullable(version), node: NODES[node], leader: nullable(leader) })), flags: flagNames };
  return { op, session, flags, expected };
}

describe('HistoryWriter', () => {
  it('writes every kind of record as JSON.stringify would, lines of an instant in session order, numbers beyond 32 bits', () => {
    const { dir, cleanup } = tempDir();
    try {
      const table = keys();
      const big = 2 ** 31 + 7;
      const huge = Number.MAX_SAFE_INTEGER;
      const ops: Written[] = [
        write(table, 3, 'k1', { t0: 0, tc: 0, t1: 0, version: 1 }),
        write(table, 2, 'k"quoted"\\ key ü', { t0: 0, tc: 0, t1: 0, version: 9, deps: [['k1', 1], ['k2', 2147483647]] }),
        read(table, 1, { t0: 0, t1: 0, reads: [['k1', 1, 1, 1], ['k9', ABSENT, 2, ABSENT]], flags: 0b1001 }),
        write(table, 4, 'k3', { t0: 5, tc: 0, t1: 9, version: 0, failed: true }),
        write(table, 5, 'k3', { t0: 5, tc: 7, t1: 10, version: 3, failed: true, warmup: true }),
        read(table, 6, { t0: 8, t1: 10, reads: [], failed: true, cancelled: true }),
        write(table, 7, 'k4', { t0: big - 10, tc: big - 1, t1: big, version: 12, reaction: REACTION_CODES.resubmit }),
        read(table, 8, { t0: huge - 2, t1: huge, reads: [['k4', 12, 0, 12]], flags: 0b0110 }),
      ];
      const path = join(dir, 'h.jsonl');
      const writer = new HistoryWriter(path, table, NODES);
      for (const w of ops.slice(0, 7)) writer.write(w.session, w.op, w.flags);
      writer.writeRecord(big, { type: 'failover', t: big, shard: 0, from: 'leader-0', to: 'replica-0-1', lost: [['k4', 12]] });
      writer.write(ops[7]!.session, ops[7]!.op, ops[7]!.flags);
      writer.close();
      // A failover record goes before the operations completing at its instant (it counts as session 0).
      const expected = [ops[2], ops[1], ops[0], ops[3], ops[4], ops[5]].map((w) => JSON.stringify(w!.expected));
      expected.push(JSON.stringify({ type: 'failover', t: big, shard: 0, from: 'leader-0', to: 'replica-0-1', lost: [['k4', 12]] }));
      expected.push(JSON.stringify(ops[6]!.expected), JSON.stringify(ops[7]!.expected));
      assert.equal(readFileSync(path, 'utf8'), `${expected.join('\n')}\n`);
      assert.equal(writer.records, 9);
    } finally {
      cleanup();
    }
  });

  it('an instant whose lines outgrow the buffer (4,000 sessions completing at once, in reverse order)', () => {
    const { dir, cleanup } = tempDir();
    try {
      const table = keys();
      const path = join(dir, 'h.jsonl');
      const writer = new HistoryWriter(path, table, NODES);
      const ops = Array.from({ length: 4000 }, (_, i) => read(table, 4000 - i, { t0: 100, t1: 100, reads: [[`key-${i}`, 1, 1, 1]] }));
      ops.push(read(table, 1, { t0: 100, t1: 101, reads: [['k1', 1, 1, 1]] }));
      for (const w of ops) writer.write(w.session, w.op, w.flags);
      writer.close();
      const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
      assert.ok(lines.join('\n').length > 2 * 65536);
      assert.deepEqual(lines, [...ops.slice(0, 4000).reverse(), ops[4000]!].map((w) => JSON.stringify(w.expected)));
    } finally {
      cleanup();
    }
  });
});
