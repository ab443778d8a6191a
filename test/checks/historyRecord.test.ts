// parseHistoryRecord (src/checks/historyRecord.ts) takes a shortcut for records that certainly pass
// the schemas; held here to give exactly what the schemas give (the same record, or the same error)
// on records lagsim writes and on thousands of mutations of them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import seedrandom from 'seedrandom';
import { checkedRecord, parseHistoryRecord } from '../../src/checks/historyRecord.js';
import { InputError } from '../../src/text/errors.js';

const BASES: Record<string, unknown>[] = [
  { type: 'write', session: 17, t0: 120000, tc: 121700, t1: 123500, key: 'k42', shard: 0, version: 4711, deps: [['k43', 4700]], node: 'leader-0' },
  { type: 'write', session: 3, t0: 5, tc: 6, t1: 9, key: 'k0', shard: 1, version: 2, deps: [], node: 'leader-1', failed: true, warmup: true },
  { type: 'write', session: 3, t0: 1, t1: 2, key: 'k0', failed: true },
  { type: 'read', session: 17, t0: 124000, t1: 124900, reads: [{ key: 'k42', version: 4650, node: 'replica-0-2', leader: 4711 }], flags: ['ryw', 'stale'] },
  { type: 'read', session: 4, t0: 0, t1: 0, reads: [{ key: 'a', version: null, node: 'n', leader: null }, { key: 'b', version: 0, node: 'n', leader: 0 }], flags: [], warmup: false },
  { type: 'read', session: 3, t0: 3, t1: 4, failed: true, cancelled: true },
  { type: 'failover', t: 5, shard: 0, from: 'leader-0', to: 'replica-0-1', lost: [['k0', 1]] },
];

/** Values a field may be given: right ones of other fields, wrong types, bounds. */
const VALUES: unknown[] = [
  undefined, null, true, false, 0, -0, 1, -1, 0.5, 2 ** 31 - 1, 2 ** 31, 2 ** 53, Number.MAX_SAFE_INTEGER, 1e300, '', 'k1', '5', 'read', 'write',
  'failover', 'ryw', 'lost', [], [['k1', 1]], [['k1', 0]], [['k1', 1, 2]], [[1, 1]], ['ryw'], ['stale', 'ryw'], ['cp', 'cp'], [null], {},
  [{ key: 'k', version: 1, node: 'n', leader: 1 }], [{ key: 'k', version: 1, node: 'n' }], [{ key: 'k', version: '1', node: 'n', leader: 1 }],
];
const FIELDS = ['type', 'session', 't0', 'tc', 't1', 'key', 'shard', 'version', 'deps', 'node', 'reads', 'flags', 'warmup', 'failed', 't', 'lost', 'from', 'to'];

/** What a reading gives: the record, or the one line of its InputError. */
function outcome(read: () => unknown): unknown {
  try {
    return { record: read() };
  } catch (error) {
    if (error instanceof InputError) return { error: error.format() };
    throw error;
  }
}

function mutate(base: Record<string, unknown>, random: () => number): unknown {
  const value = structuredClone(base) as Record<string, unknown>;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  for (let n = 1 + Math.floor(random() * 2); n > 0; n--) {
    const reads = value['reads'];
    const first: unknown = Array.isArray(reads) ? reads[0] : undefined;
    const isMapping = typeof first === 'object' && first !== null && !Array.isArray(first);
    const target = random() < 0.3 && isMapping ? (first as Record<string, unknown>) : value;
    const field = target === value ? pick(FIELDS) : pick(['key', 'version', 'node', 'leader']);
    const replacement = structuredClone(pick(VALUES));
    if (replacement === undefined) delete target[field];
    else target[field] = replacement;
  }
  return value;
}

describe('parseHistoryRecord: its shortcut reads as the schemas do', () => {
  it('on every kind of record lagsim writes', () => {
    for (const base of BASES) assert.deepEqual(outcome(() => parseHistoryRecord(base, 'h.jsonl', 7)), outcome(() => checkedRecord(base, 'h.jsonl', 7)));
  });

  it('on 20,000 mutations of them (fields dropped, or given values of other types and beyond bounds)', () => {
    const random = seedrandom('history-record-shortcut');
    let accepted = 0;
    for (let i = 0; i < 20_000; i++) {
      const value = mutate(BASES[i % BASES.length]!, random);
      const fast = outcome(() => parseHistoryRecord(value, 'h.jsonl', i + 1));
      assert.deepEqual(fast, outcome(() => checkedRecord(value, 'h.jsonl', i + 1)), JSON.stringify(value));
      if ('record' in (fast as object)) accepted++;
    }
    // Both sides of the shortcut were taken: mutations it accepts and mutations the schemas refuse.
    assert.ok(accepted > 2_000 && accepted < 18_000, `${accepted} accepted`);
  });
});
