import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ConsistencyChecker } from '../../src/checks/consistencyChecker.js';
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
            table.cells[slot + c.field] = c.version;
            const row = model.get(c.key) ?? [NONE, NONE, NONE];
            row[c.field - 1] = c.version;
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
          else assert.deepEqual([table.cells[slot + WRITTEN], table.cells[slot + SEEN], table.cells[slot + REQUIRED]], row);
        }
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it('refuses a version beyond 32 bits instead of wrapping it (the checker keeps versions as int32)', () => {
    const checker = new ConsistencyChecker();
    checker.recordWrite(0, 1, MAX_VERSION, null);
    assert.throws(() => checker.recordWrite(0, 2, MAX_VERSION + 1, null), RangeError);
    assert.throws(() => checker.checkRead(0, 1, [3], [MAX_VERSION + 1], [null], [MAX_VERSION + 1], true), RangeError);
  });
});
