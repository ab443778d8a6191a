// lagsim playground: builds one index.html; its --out follows the output rule (one line, exit 2).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode } from '../../src/text/exitCodes.js';
import { tempDir } from '../helpers/sim.js';
import { BUILT, lagsim } from './sweepCli.js';

describe('lagsim playground', { skip: !BUILT && 'dist/ not built (npm test builds it)' }, () => {
  it('writes one index.html with its scripts, the shipped scenarios and the version inlined', () => {
    const { dir, cleanup } = tempDir();
    try {
      const r = lagsim(dir, ['playground', '--out', 'site']);
      assert.equal(r.status, ExitCode.ok, r.stderr);
      assert.match(r.stdout, /^wrote site\/index\.html \(\d+ KiB: page script \d+ KiB, worker \d+ KiB\)/);
      const html = readFileSync(join(dir, 'site', 'index.html'), 'utf8');
      assert.match(html, /<script id="worker-src" type="text\/plain">.{100000,}<\/script>/s);
      assert.ok(html.includes('counter-flip') && html.includes('black-friday'), 'the shipped scenarios');
      assert.doesNotMatch(html, /\/\*(WORKER|PAGE)\*\/|<!--LAGSIM_VERSION-->/, 'every placeholder filled');
      assert.doesNotMatch(html, /https?:\/\/(?!vega\.github\.io\/schema|www\.w3\.org)[^"'\s]*\.(js|css|json)\b/, 'no script or data fetched from the network');
    } finally {
      cleanup();
    }
  });

  it('refuses an --out that is a file: one line, exit 2, the file untouched', () => {
    const { dir, cleanup } = tempDir();
    try {
      writeFileSync(join(dir, 'taken'), 'mine');
      const r = lagsim(dir, ['playground', '--out', 'taken']);
      assert.equal(r.status, ExitCode.badInput);
      assert.equal(r.stderr, '--out: taken: exists and is not a folder\n');
      assert.equal(readFileSync(join(dir, 'taken'), 'utf8'), 'mine');
      assert.ok(!existsSync(join(dir, 'taken', 'index.html')));
    } finally {
      cleanup();
    }
  });
});
