import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ConsistencyChecker } from '../../src/checks/consistencyChecker.js';
import { FLAG_BITS } from '../../src/checks/anomalies.js';
import { MAX_VERSION, NONE, REQUIRED, SEEN, SessionKeyTables, WRITTEN } from '../../src/checks/sessionKeyTable.js';

describe('SessionKeyTables', () => {
  it('matches a Map per session under random inserts, raises, deletions and resets (growth, probe chains, compaction)', () => {
    const command = fc.oneof(
      {
        weight: 6,
        arbitrary: fc.record({
          op: fc.constant('raise' as const),
          session: fc.nat(5),
          key: fc.integer({ min: 0, max: 200 }),
          field: fc.constantFrom(WRITTEN, SEEN, REQUIRED),
          version: fc.integer({ min: -1, max: 1e9 }),
        }),
      },
      { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), session: fc.nat(5), key: fc.integer({ min: 0, max: 200 }) }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('reset' as const), session: fc.nat(5) }) },
    );
    fc.assert(
      fc.property(fc.array(command, { maxLength: 800 }), fc.constantFrom(1, 8, 64), (commands, initialSlots) => {
        // A small arena, so that it compacts and grows many times.
        const tables = new SessionKeyTables(initialSlots);
        const models = new Map<number, Map<number, [number, number, number]>>();
        const modelOf = (session: number): Map<number, [number, number, number]> => {
          let model = models.get(session);
          if (model === undefined) models.set(session, (model = new Map()));
          return model;
        };
        for (const c of commands) {
          if (c.op === 'raise') {
            tables.reserve(c.session, 1);
            tables.raise(tables.slot(c.session, c.key), c.field, c.version);
            const row = modelOf(c.session).get(c.key) ?? [NONE, NONE, NONE];
            row[c.field - 1] = Math.max(row[c.field - 1]!, c.version);
            modelOf(c.session).set(c.key, row);
          } else if (c.op === 'delete') {
            tables.delete(c.session, c.key);
            modelOf(c.session).delete(c.key);
          } else {
            tables.reset(c.session);
            models.delete(c.session);
          }
        }
        for (let session = 0; session <= 6; session++) {
          const model = models.get(session) ?? new Map<number, [number, number, number]>();
          assert.equal(tables.sizeOf(session), model.size);
          for (let key = 0; key <= 200; key++) {
            const slot = tables.find(session, key);
            const row = model.get(key);
            if (row === undefined) assert.equal(slot, -1);
            else assert.deepEqual([tables.version(slot, WRITTEN), tables.version(slot, SEEN), tables.version(slot, REQUIRED)], row);
          }
        }
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it('starts every key with no state, key 0 included (cells are biased so that zeroed means empty)', () => {
    const tables = new SessionKeyTables();
    assert.equal(tables.find(3, 0), -1);
    tables.reserve(3, 1);
    const slot = tables.slot(3, 0);
    assert.deepEqual([tables.version(slot, WRITTEN), tables.version(slot, SEEN), tables.version(slot, REQUIRED)], [NONE, NONE, NONE]);
    tables.raise(slot, SEEN, -1);
    assert.equal(tables.version(slot, SEEN), -1);
    assert.equal(tables.find(3, 0), slot);
  });

  it('refuses a version beyond 32 bits instead of wrapping it (the checker keeps versions as int32)', () => {
    const checker = new ConsistencyChecker();
    checker.recordWrite(0, 1, MAX_VERSION, null);
    // MAX_VERSION round-trips through the biased cells: an older version read after it is a ryw violation.
    assert.equal(checker.checkRead(0, 1, [1], [MAX_VERSION - 1], [null], [0], true) & FLAG_BITS.ryw, FLAG_BITS.ryw);
    assert.equal(checker.checkRead(0, 1, [1], [MAX_VERSION], [null], [0], true) & FLAG_BITS.ryw, 0);
    assert.throws(() => checker.recordWrite(0, 2, MAX_VERSION + 1, null), RangeError);
    assert.throws(() => checker.checkRead(0, 1, [3], [MAX_VERSION + 1], [null], [MAX_VERSION + 1], true), RangeError);
  });
});
