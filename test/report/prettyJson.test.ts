import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { prettyJson } from '../../src/report/prettyJson.js';

describe('prettyJson', () => {
  it('parses back to the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => assert.deepEqual(JSON.parse(prettyJson(value)), JSON.parse(JSON.stringify(value)))),
      { seed: 5, numRuns: 100 },
    );
  });

  it('keeps short objects on one line and wraps long lists of numbers', () => {
    const text = prettyJson({ a: { x: 1, y: [1, 2] }, long: Array.from({ length: 100 }, (_, i) => i * 1.5) });
    assert.match(text, /"a": \{"x": 1, "y": \[1, 2\]\}/);
    assert.ok(text.split('\n').every((line) => line.length <= 100));
    assert.ok(text.split('\n').length < 20);
  });
});
