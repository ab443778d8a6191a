import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExitCode } from '../../src/text/exitCodes.js';
import { maskSecrets, messages, show } from '../../src/text/messages.js';

test('exit codes are distinct and named, the environment one included', () => {
  assert.deepEqual(ExitCode, { ok: 0, internalError: 1, badInput: 2, checkFailed: 3, environment: 4 });
});

test('an environment failure is one line naming the path, its meaning and code', () => {
  assert.equal(messages.environmentFailure('/tmp/x.jsonl', 'no space left on the device', 'ENOSPC'), 'lagsim: /tmp/x.jsonl: no space left on the device (ENOSPC); nothing was written');
});

test('secrets are masked wherever a URL or connection string is shown, parse failures included', () => {
  assert.equal(maskSecrets('postgres://u:s3cretpw@/db'), 'postgres://u:***@/db');
  assert.equal(maskSecrets('postgresql://me:p@ss@host:99999/db'), 'postgresql://me:***@host:99999/db');
  assert.equal(maskSecrets('host=h password=s3cret user=u'), 'host=h password=*** user=u');
  assert.equal(show('postgres://u:s3cretpw@h/db'), '"postgres://u:***@h/db"');
});

test('a long value is shown cut, with its length; text-direction characters are shown escaped', () => {
  assert.equal(show('x'.repeat(100_000)), `"${'x'.repeat(120)}…" (100000 characters)`);
  assert.equal(show('a\u202eb'), '"a\\u202eb"');
});
