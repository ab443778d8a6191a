// The numeric flags of `lagsim probe` and `lagsim real`: values, and the one line a bad one gets.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { messages } from '../../src/text/messages.js';
import { countFlag, durationFlag, positiveFlag } from '../../src/real/flags.js';
import { inputErrorLine } from '../helpers/inputError.js';

describe('durationFlag', () => {
  it('reads durations in µs, rounding half up', () => {
    assert.equal(durationFlag('--for', '10s'), 10_000_000);
    assert.equal(durationFlag('--for', '250ms'), 250_000);
    assert.equal(durationFlag('--for', '1.5us'), 2);
    assert.equal(durationFlag('--for', '0s', true), 0);
  });

  it('refuses zero unless allowed, and what is not a duration', () => {
    assert.equal(inputErrorLine(() => durationFlag('--for', '0s')), `--for: ${messages.expectedPositiveDuration}`);
    const bad = inputErrorLine(() => durationFlag('--for', '10 parsecs'));
    assert.match(bad, /^--for: /);
    assert.ok(!bad.includes('\n'));
  });
});

describe('positiveFlag and countFlag', () => {
  it('take numbers above 0 and whole numbers from 1', () => {
    assert.equal(positiveFlag('--rate', '0.5'), 0.5);
    assert.equal(countFlag('--connections', '8'), 8);
    assert.equal(countFlag('--connections', ' 3 '), 3);
  });

  it('refuse the rest with the exact line', () => {
    for (const value of ['0', '-1', '', ' ', 'abc', 'Infinity']) {
      assert.equal(inputErrorLine(() => positiveFlag('--rate', value)), `--rate: ${messages.expectedPositive(value)}`);
    }
    for (const value of ['0', '1.5', '-2', '', '1e3', 'x']) {
      assert.equal(inputErrorLine(() => countFlag('--connections', value)), `--connections: ${messages.expectedCount(value)}`);
    }
  });
});
