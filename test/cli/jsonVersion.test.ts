// Every JSON a command prints starts with the lagsim version that made it.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { LAGSIM_VERSION } from '../../src/text/version.js';
import { REPO_ROOT, tempDir } from '../helpers/sim.js';
import { lagsim, writeSmallScenario } from './sweepCli.js';

it('run, check, compare, sweep and plan --json each begin with "lagsim": the version', () => {
  const { dir, cleanup } = tempDir();
  try {
    const file = writeSmallScenario(dir);
    const short = ['--duration', '1s', '--jobs', '1'];
    const history = join(REPO_ROOT, 'docs', 'examples', 'histories', 'cp-own-write-past.jsonl');
    for (const args of [
      ['run', file, '--duration', '1s', '--json'],
      ['check', history, '--json'],
      ['compare', file, '--strategies', 'none', '--seeds', '1', ...short, '--json', '--out', 'c'],
      ['sweep', file, '--vary', 'strategy.name=none,pin', ...short, '--json', '--out', 's'],
      ['plan', file, '--slo', 'ryw<1', '--vary', 'strategy.name=none,pin', ...short, '--json', '--out', 'p'],
    ]) {
      const r = lagsim(dir, args);
      assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
      const json = JSON.parse(r.stdout) as Record<string, unknown>;
      assert.equal(Object.keys(json)[0], 'lagsim', args[0]);
      assert.equal(json['lagsim'], LAGSIM_VERSION, args[0]);
    }
  } finally {
    cleanup();
  }
});
