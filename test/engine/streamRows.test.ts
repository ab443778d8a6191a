import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import seedrandom from 'seedrandom';
import { RandomStreams, StreamRows } from '../../src/engine/random.js';

describe('StreamRows', () => {
  it('draws bit-identically to seedrandom alea streams of the same names, rows interleaved in any order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.array(fc.string({ maxLength: 12 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 400 }),
        (seed, names, picks) => {
          const streams = new RandomStreams(seed);
          const rows = new StreamRows(1); // start small: seeding grows the table
          const references = names.map((name, row) => {
            streams.seedRow(rows, row, name);
            return streams.stream(name);
          });
          for (const pick of picks) {
            const row = pick % names.length;
            assert.ok(Object.is(rows.select(row)(), references[row]!()));
          }
        },
      ),
      { seed: 11, numRuns: 200 },
    );
  });

  it('seeds a row to seedrandom alea\'s own state for any name (every UTF-16 unit, long names)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), fc.string({ unit: 'binary', maxLength: 200 }), (seed, name) => {
        const rows = new StreamRows(1);
        new RandomStreams(seed).seedRow(rows, 0, name);
        const state = seedrandom.alea(`${seed}\u0000${name}`, { state: true }).state();
        const u = rows.select(0);
        // The next draw is t − (t | 0) with t = 2091639·s0 + c·2^-32: equal draws over three steps pin s0, s1, s2 and c.
        const reference = seedrandom.alea('', { state });
        for (let i = 0; i < 4; i++) assert.ok(Object.is(u(), reference()));
      }),
      { seed: 12, numRuns: 300 },
    );
  });

  it('keeps a million draws of one row identical (the carry and the 2^-32 scale over a long run)', () => {
    const streams = new RandomStreams(7);
    const rows = new StreamRows();
    streams.seedRow(rows, 3, 'session/4');
    const reference = streams.stream('session/4');
    const u = rows.select(3);
    for (let i = 0; i < 1_000_000; i++) if (u() !== reference()) assert.fail(`draw ${i} differs`);
  });

  it('reseeding a row starts the new stream from its beginning (a reused session slot)', () => {
    const streams = new RandomStreams(1);
    const rows = new StreamRows();
    streams.seedRow(rows, 0, 'session/1');
    rows.select(0)();
    streams.seedRow(rows, 0, 'session/9');
    assert.equal(rows.select(0)(), streams.stream('session/9')());
  });
});
