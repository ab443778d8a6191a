import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDuration, formatDuration, parseDuration } from '../../src/model/duration.js';
import { InputError } from '../../src/text/errors.js';

test('every unit converts to microseconds', () => {
  assert.equal(parseDuration('250us'), 250);
  assert.equal(parseDuration('250µs'), 250);
  assert.equal(parseDuration('300ms'), 300_000);
  assert.equal(parseDuration('1.5s'), 1_500_000);
  assert.equal(parseDuration('5m'), 300_000_000);
  assert.equal(parseDuration('1h'), 3_600_000_000);
  assert.equal(parseDuration('.5s'), 500_000);
  assert.equal(parseDuration(' 2 s '), 2_000_000);
});

test('a bare number is milliseconds', () => {
  assert.equal(parseDuration(300), 300_000);
  assert.equal(parseDuration(0), 0);
  assert.equal(parseDuration(1.1), 1100); // exact, not 1100.0000000000002
  assert.equal(parseDuration('1.1ms'), 1100);
});

test('durations are not rounded', () => {
  assert.equal(parseDuration(0.0005), 0.5);
  assert.equal(parseDuration('0.5us'), 0.5);
  assert.equal(parseDuration('1.2345us'), 1.2345);
});

test('bad durations are errors with exact messages', () => {
  const cases: Array<[unknown, string]> = [
    ['fast', 'expected a duration such as 300ms, 1.5s or 250us, got "fast"'],
    ['300', 'expected a duration such as 300ms, 1.5s or 250us, got "300"'],
    ['5d', 'expected a duration such as 300ms, 1.5s or 250us, got "5d"'],
    ['-5ms', 'expected a non-negative duration, got "-5ms"'],
    [-1, 'expected a non-negative duration, got -1'],
    [Number.NaN, 'expected a duration such as 300ms, 1.5s or 250us, got NaN'],
    [true, 'expected a duration such as 300ms, 1.5s or 250us, got true'],
  ];
  for (const [input, message] of cases) {
    const r = checkDuration(input);
    assert.deepEqual(r, { ok: false, message }, `input ${String(input)}`);
  }
  assert.throws(
    () => parseDuration('fast', 'x.yaml', 'cluster.replicas.0.lag'),
    (e: unknown) =>
      e instanceof InputError &&
      e.format() === 'x.yaml: cluster.replicas.0.lag: expected a duration such as 300ms, 1.5s or 250us, got "fast"',
  );
});

test('formatDuration is for people', () => {
  assert.equal(formatDuration(250), '250 us');
  assert.equal(formatDuration(300_000), '300 ms');
  assert.equal(formatDuration(1_500_000), '1.5 s');
  assert.equal(formatDuration(300_000_000), '5 min');
  assert.equal(formatDuration(7_200_000_000), '2 h');
  assert.equal(formatDuration(0), '0 ms');
  assert.equal(formatDuration(0.5), '0.5 us');
});
