// `lagsim sweep --shard i/n` + `lagsim merge` = the unsharded sweep, byte for byte, whatever folders
// the shards were written to and the order they are given in; merge refuses incomplete or mixed
// sets of shards with one line and exit 2, writing nothing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode } from '../../src/text/exitCodes.js';
import { messages } from '../../src/text/messages.js';
import { SHARD_FORMAT } from '../../src/run/sweep/shardFile.js';
import { tempDir } from '../helpers/sim.js';
import { BUILT, lagsim, sameTree, writeSmallScenario } from './sweepCli.js';

const GRID = ['--vary', 'cluster.replicas.0.lag.median=100ms,400ms', '--vary', 'strategy.name=none,pin,token', '--seeds', '1,2'];

describe('lagsim merge', { skip: !BUILT && 'dist/ not built (npm test builds it)' }, () => {
  it('joins the shards into exactly the output of the whole sweep', () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = writeSmallScenario(dir);
      const whole = lagsim(dir, ['sweep', file, ...GRID, '--jobs', '2', '--out', 'whole']);
      assert.equal(whole.status, ExitCode.ok, whole.stderr);
      for (const i of [1, 2, 3]) {
        // Shards into one shared folder (as an array job on a shared volume) and into folders of their own.
        const shared = lagsim(dir, ['sweep', file, ...GRID, '--shard', `${i}/3`, '--jobs', '1', '--out', 'shards']);
        assert.equal(shared.status, ExitCode.ok, shared.stderr);
        assert.match(shared.stdout, new RegExp(`shard ${i}/3: wrote shards/shard-${i}-of-3\\.json`));
        copyFileSync(join(dir, 'shards', `shard-${i}-of-3.json`), join(mkdirp(join(dir, `own-${i}`)), `shard-${i}-of-3.json`));
      }
      const merged = lagsim(dir, ['merge', 'shards', '--out', 'merged']);
      assert.equal(merged.status, ExitCode.ok, merged.stderr);
      assert.equal(sameTree(join(dir, 'whole'), join(dir, 'merged')), null);
      assert.equal(merged.stdout.replace(/\bmerged\b/g, 'whole'), whole.stdout, 'merge prints the tables of the sweep');

      const scattered = lagsim(dir, ['merge', 'own-3', 'own-1/shard-1-of-3.json', 'own-2', '--out', 'scattered']);
      assert.equal(scattered.status, ExitCode.ok, scattered.stderr);
      assert.equal(sameTree(join(dir, 'whole'), join(dir, 'scattered')), null);
    } finally {
      cleanup();
    }
  });

  it('refuses a missing shard, a shard of another sweep, a shard given twice and a file that is no shard', () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = writeSmallScenario(dir);
      for (const i of [1, 2]) assert.equal(lagsim(dir, ['sweep', file, ...GRID, '--shard', `${i}/2`, '--jobs', '1', '--out', 'a']).status, ExitCode.ok);
      const other = ['--vary', 'cluster.replicas.0.lag.median=100ms,400ms', '--vary', 'strategy.name=none,pin,token', '--seeds', '1,3'];
      assert.equal(lagsim(dir, ['sweep', file, ...other, '--shard', '2/2', '--jobs', '1', '--out', 'b']).status, ExitCode.ok);
      copyFileSync(join(dir, 'a', 'shard-1-of-2.json'), join(mkdirp(join(dir, 'copy')), 'shard-1-of-2.json'));
      writeFileSync(join(dir, 'junk.json'), '{"hello": 1}');
      const cases: [string[], string][] = [
        [['a/shard-1-of-2.json'], `a/shard-1-of-2.json: ${messages.mergeMissingShards([2], 2)}`],
        [['a/shard-1-of-2.json', 'b/shard-2-of-2.json'], `b/shard-2-of-2.json: ${messages.mergeOtherSweep('a/shard-1-of-2.json')}`],
        [['a', 'copy'], `copy/shard-1-of-2.json: ${messages.mergeDuplicateShard(1, 'a/shard-1-of-2.json')}`],
        [['junk.json'], `junk.json: ${messages.mergeNotShard(`expected "format": "${SHARD_FORMAT}"`)}`],
        [['nowhere'], `nowhere: ${messages.fileNotFound}`],
      ];
      for (const [inputs, expected] of cases) {
        const r = lagsim(dir, ['merge', ...inputs, '--out', 'out']);
        assert.equal(r.status, ExitCode.badInput, `${inputs.join(' ')}: ${r.stderr}`);
        assert.equal(r.stderr.trim(), expected);
        assert.equal(r.stdout, '');
        assert.ok(!existsSync(join(dir, 'out')), 'nothing written');
      }
    } finally {
      cleanup();
    }
  });

  it('refuses a shard whose scenario name would put the default output folder outside results/', () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = writeSmallScenario(dir);
      for (const i of [1, 2]) {
        assert.equal(lagsim(dir, ['sweep', file, ...GRID, '--shard', `${i}/2`, '--jobs', '1', '--out', 'a']).status, ExitCode.ok);
        const path = join(dir, 'a', `shard-${i}-of-2.json`);
        const shard = JSON.parse(readFileSync(path, 'utf8')) as { spec: { scenario: { name: string } } };
        shard.spec.scenario.name = '../escaped';
        writeFileSync(path, JSON.stringify(shard));
      }
      const r = lagsim(dir, ['merge', 'a']);
      assert.equal(r.status, ExitCode.badInput, r.stderr);
      assert.equal(r.stderr.trim(), `a/shard-1-of-2.json: spec.scenario.name: ${messages.unsafeScenarioName('../escaped')}`);
      assert.ok(!existsSync(join(dir, 'escaped')) && !existsSync(join(dir, 'results')), 'nothing written');
    } finally {
      cleanup();
    }
  });
});

function mkdirp(path: string): string {
  mkdirSync(path, { recursive: true });
  return path;
}
