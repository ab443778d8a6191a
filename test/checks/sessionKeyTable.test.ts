import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ConsistencyChecker } from '../../src/checks/consistencyChecker.js';
import { FLAG_RYW } from '../../src/checks/anomalies.js';
import { MAX_VERSION, NONE, REQUIRED, SEEN, SessionKeyTable, WRITTEN } from '../../src/checks/sessionKeyTable.js';

describe('SessionKeyTable', () => {
  it('matches a Map model under random inserts, updates and deletions (with growth and probe chains)', () => {
    const command = fc.oneof(
      fc.record({ op: fc.constant('set' as const), key: fc.integer({ min: 0, max: 200 }), field: fc.constantFrom(WRITTEN, SEEN, REQUIRED), version: fc.integer({ min: -1, max: 1e9 }) }),
      fc.record({ op: fc.constant('delete' as const), key: fc.integer({ min: 0, max: 200 }) }),
    );
    fc.assert(
      fc.property(fc.array(command, { maxLength: 600 }), (commands) => {
        const table = new SessionKeyTable();
        const model = new Map<number, [number, number, number]>();
        for (const c of commands) {
          if (c.op === 'set') {
            table.reserve(1);
            const slot = table.slot(c.key);
            table.raise(slot, c.field, c.version);
            const row = model.get(c.key) ?? [NONE, NONE, NONE];
            row[c.field - 1] = Math.max(row[c.field - 1]!, c.version);
            model.set(c.key, row);
          } else {
            table.delete(c.key);
            model.delete(c.key);
          }
          assert.equal(table.size, model.size);
        }
        for (let key = 0; key <= 200; key++) {
          const slot = table.find(key);
          const row = model.get(key);
          if (row === undefined) assert.equal(slot, -1);
          else assert.deepEqual([table.version(slot, WRITTEN), table.version(slot, SEEN), table.version(slot, REQUIRED)], row);
        }
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it('starts every key with no state, key 0 included (cells are biased so that zeroed means empty)', () => {
    const table = new SessionKeyTable();
    assert.equal(table.find(0), -1);
    table.reserve(1);
    const slot = table.slot(0);
    assert.deepEqual([table.version(slot, WRITTEN), table.version(slot, SEEN), table.version(slot, REQUIRED)], [NONE, NONE, NONE]);
    table.raise(slot, SEEN, -1);
    assert.equal(table.version(slot, SEEN), -1);
    assert.equal(table.find(0), slot);
  });

  it('refuses a version beyond 32 bits instead of wrapping it (the checker keeps versions as int32)', () => {
    const checker = new ConsistencyChecker();
    checker.recordWrite(0, 1, MAX_VERSION, null);
    // MAX_VERSION round-trips through the biased cells: an older version read after it is a ryw violation.
    assert.equal(checker.checkRead(0, 1, [1], [MAX_VERSION - 1], [null], [0], true) & FLAG_RYW, FLAG_RYW);
    assert.equal(checker.checkRead(0, 1, [1], [MAX_VERSION], [null], [0], true) & FLAG_RYW, 0);
    assert.throws(() => checker.recordWrite(0, 2, MAX_VERSION + 1, null), RangeError);
    assert.throws(() => checker.checkRead(0, 1, [3], [MAX_VERSION + 1], [null], [MAX_VERSION + 1], true), RangeError);
  });
});
