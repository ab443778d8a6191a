import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { NumberRing } from '../../src/model/ring.js';

/** One step on a ring and on a plain array of rows, the reference. */
type Step = { op: 'append'; values: number[] } | { op: 'shift' } | { op: 'truncate'; keep: number } | { op: 'set'; row: number; field: number; value: number };

const step = (width: number): fc.Arbitrary<Step> =>
  fc.oneof(
    { weight: 5, arbitrary: fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: width, maxLength: width }).map((values): Step => ({ op: 'append', values })) },
    { weight: 3, arbitrary: fc.constant<Step>({ op: 'shift' }) },
    { weight: 1, arbitrary: fc.nat(40).map((keep): Step => ({ op: 'truncate', keep })) },
    {
      weight: 2,
      arbitrary: fc.record({ row: fc.nat(60), field: fc.nat(width - 1), value: fc.integer() }).map((s): Step => ({ op: 'set', ...s })),
    },
  );

describe('NumberRing: a FIFO of rows', () => {
  for (const width of [1, 3, 5]) {
    it(`width ${width}: every row and field equals a plain array's after any mix of appends, shifts, truncations and sets (across wraps and grows)`, () => {
      fc.assert(
        fc.property(fc.array(step(width), { maxLength: 300 }), fc.constantFrom(1, 2, 16), (steps, capacity) => {
          const ring = new NumberRing(capacity, width);
          const rows: number[][] = [];
          for (const s of steps) {
            if (s.op === 'append') {
              ring.append();
              s.values.forEach((value, field) => ring.set(ring.length - 1, field, value));
              rows.push([...s.values]);
            } else if (s.op === 'shift') {
              if (rows.length === 0) continue;
              assert.equal(ring.shift(), rows.shift()![0]);
            } else if (s.op === 'truncate') {
              ring.truncate(s.keep);
              rows.length = Math.min(s.keep, rows.length);
            } else if (s.row < rows.length) {
              ring.set(s.row, s.field, s.value);
              rows[s.row]![s.field] = s.value;
            }
            assert.equal(ring.length, rows.length);
          }
          rows.forEach((row, i) => row.forEach((value, field) => assert.equal(ring.get(i, field), value)));
        }),
        { seed: 19, numRuns: 300 },
      );
    });
  }

  it('a grow with the rows wrapped round the end keeps their order', () => {
    const ring = new NumberRing(4, 2);
    for (let i = 0; i < 4; i++) {
      ring.append();
      ring.set(i, 0, i);
      ring.set(i, 1, -i);
    }
    ring.shift();
    ring.shift();
    // Rows 2, 3 at the end of the array; 4, 5 wrap to its start; 6 makes it grow.
    for (let i = 4; i <= 6; i++) {
      ring.append();
      ring.set(ring.length - 1, 0, i);
      ring.set(ring.length - 1, 1, -i);
    }
    assert.deepEqual(
      Array.from({ length: ring.length }, (_, i) => [ring.get(i, 0), ring.get(i, 1)]),
      [2, 3, 4, 5, 6].map((i) => [i, -i]),
    );
  });
});
