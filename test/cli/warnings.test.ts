// Library warnings are one masked line each on stderr, through lagsim's channel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { warningLine } from '../../src/cli/warnings.js';
import { REPO_ROOT } from '../helpers/sim.js';

test('a warning is its first line, masked and cut to 200 characters', () => {
  assert.equal(
    warningLine(new Error("\nSECURITY WARNING: The SSL modes 'prefer', 'require' are aliases\n\nTo prepare:\n- use postgres://u:s3cret@db/x")),
    "lagsim: warning: SECURITY WARNING: The SSL modes 'prefer', 'require' are aliases",
  );
  assert.equal(warningLine(new Error('connecting to postgres://app:hunter2@db:5432/x')), 'lagsim: warning: connecting to postgres://app:***@db:5432/x');
  assert.equal(warningLine(new Error('w'.repeat(300))), `lagsim: warning: ${'w'.repeat(200)}…`);
});

test("Node's own multi-line print is replaced", () => {
  const module = pathToFileURL(join(REPO_ROOT, 'dist', 'src', 'cli', 'warnings.js')).href;
  const script = `const { routeWarnings } = await import(${JSON.stringify(module)}); routeWarnings(); process.emitWarning('first line\\nsecond line postgres://u:pw@h/d', 'SecurityWarning');`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, 'lagsim: warning: first line\n');
});
