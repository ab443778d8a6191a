// IntMap against a Map, under random sets, deletes and lookups (backward-shift deletion is the
// part most likely to break a probe chain).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import seedrandom from 'seedrandom';
import { IntMap } from '../../src/checks/intMap.js';

test('IntMap behaves as a Map of integers under random operations', () => {
  const u = seedrandom('intmap');
  for (let round = 0; round < 40; round++) {
    const map = new IntMap(2);
    const model = new Map<number, number>();
    const keySpace = 1 + Math.floor(u() * 400);
    for (let i = 0; i < 4000; i++) {
      const key = Math.floor(u() * keySpace);
      const op = u();
      if (op < 0.4) {
        const value = Math.floor(u() * 100) - 1;
        map.set(key, value);
        model.set(key, value);
      } else if (op < 0.55) {
        const value = Math.floor(u() * 100);
        map.raise(key, value);
        model.set(key, Math.max(model.get(key) ?? -Infinity, value));
      } else if (op < 0.75) {
        map.delete(key);
        model.delete(key);
      } else {
        assert.equal(map.get(key, -99), model.get(key) ?? -99, `round ${round}, step ${i}, key ${key}`);
        assert.equal(map.has(key), model.has(key));
      }
    }
    assert.equal(map.size, model.size);
    for (const [key, value] of model) assert.equal(map.get(key, -99), value);
  }
});
