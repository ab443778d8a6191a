// `lagsim sweep` end to end: the same bytes with --jobs 1 and --jobs 2; bad --vary paths, empty
// grids, unknown strategies and other bad options give one line, exit 2 and write nothing; a sweep
// killed midway leaves no output file, and rerunning it reuses what was done and finishes with
// exactly the files of an uninterrupted run.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ExitCode } from '../../src/cli/exitCodes.js';
import { messages } from '../../src/cli/messages.js';
import { PARTIAL_DIR } from '../../src/cli/sweep/checkpoint.js';
import { tempDir } from '../helpers/sim.js';
import { BUILT, lagsim, sameTree, startLagsim, writeSmallScenario } from './sweepCli.js';

const GRID = ['--vary', 'cluster.replicas.0.lag.median=100ms,400ms', '--vary', 'strategy.name=none,pin,token', '--seeds', '1,2'];

describe('lagsim sweep', { skip: !BUILT && 'dist/ not built (npm test builds it)' }, () => {
  it('writes byte-identical outputs with --jobs 1 and --jobs 2', () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = writeSmallScenario(dir);
      const one = lagsim(dir, ['sweep', file, ...GRID, '--jobs', '1', '--out', 'one']);
      assert.equal(one.status, ExitCode.ok, one.stderr);
      const two = lagsim(dir, ['sweep', file, ...GRID, '--jobs', '2', '--out', 'two']);
      assert.equal(two.status, ExitCode.ok, two.stderr);
      assert.equal(sameTree(join(dir, 'one'), join(dir, 'two')), null);
      assert.equal(one.stdout.replace(/\bone\b/g, 'two'), two.stdout, 'the same tables');
      assert.match(two.stderr, /in \d+\.\d\d s of wall time on 2 worker threads/);
      assert.doesNotMatch(two.stdout, /wall time/, 'wall time goes to stderr only');
      for (const name of ['summary.json', 'runs.csv', 'index.html', 'violation-rate.vl.json', 'violation-rate.svg', 'replica-lag.svg']) {
        assert.ok(existsSync(join(dir, 'two', name)), name);
      }
      const csv = readFileSync(join(dir, 'two', 'runs.csv'), 'utf8').trim().split('\n');
      assert.equal(csv.length, 1 + 2 * 3 * 2, 'a header and one row per run');
      assert.match(csv[1]!, /^0,100ms,none,1,none,/);
      assert.ok(!existsSync(join(dir, 'two', PARTIAL_DIR)), 'no checkpoints left once done');
      assert.match(two.stdout, /paired difference vs none/);
    } finally {
      cleanup();
    }
  });

  const bad: [string, string[], RegExp][] = [
    ['a path that is not in the scenario format', ['--vary', 'cluster.replica.0.lag=1s,2s'], /^--vary: cluster\.replica: unknown field/],
    ['an empty grid', ['--vary', 'strategy.name='], new RegExp(`^--vary: strategy\\.name: ${escape(messages.varyNoValues)}$`)],
    ['an unknown strategy', ['--vary', 'strategy.name=none,bogus'], /^--vary: strategy\.name: unknown strategy "bogus" \(expected one of: none, pin, fallback, token, sticky\)$/],
    ['a value the scenario format refuses', ['--vary', 'cluster.replicas.0.lag.median=100ms,soon'], /^--vary: cluster\.replicas\.0\.lag\.median: expected a duration/],
    ['a repeated value', ['--vary', 'cluster.replicas.0.lag.median=100ms,100ms'], /^--vary: cluster\.replicas\.0\.lag\.median: value 100ms repeats 100ms/],
    ['seeds through --vary', ['--vary', 'seed=1,2'], /^--vary: seed: vary seeds with --seeds/],
    ['a strategy option with strategy.name varied', ['--vary', 'strategy.name=none,pin', '--vary', 'strategy.window=1s,2s'], /^--vary: strategy\.window: strategy\.name is varied too/],
    ['a backward seed range', ['--seeds', '5..1'], /^--seeds: range 5\.\.1 runs backwards/],
    ['a shard out of range', ['--shard', '3/2'], /^--shard: expected I\/N with 1 <= I <= N, got "3\/2"$/],
    ['no worker threads', ['--jobs', '0'], /^--jobs: expected a whole number of worker threads >= 1, got "0"$/],
    ['an unknown baseline', ['--baseline', 'nothing'], /^--baseline: unknown strategy "nothing"/],
  ];
  for (const [what, args, expected] of bad) {
    it(`refuses ${what}: one line, exit 2, nothing written`, () => {
      const { dir, cleanup } = tempDir();
      try {
        const file = writeSmallScenario(dir);
        const r = lagsim(dir, ['sweep', file, ...args, '--out', 'out']);
        assert.equal(r.status, ExitCode.badInput, r.stderr);
        assert.equal(r.stderr.trimEnd().split('\n').length, 1, `one line: ${r.stderr}`);
        assert.match(r.stderr.trimEnd(), expected);
        assert.equal(r.stdout, '');
        assert.ok(!existsSync(join(dir, 'out')), 'nothing written');
      } finally {
        cleanup();
      }
    });
  }

  it('resumes an interrupted sweep: no half-written output, and the rerun gives the uninterrupted bytes', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = writeSmallScenario(dir);
      const args = ['sweep', file, '--vary', 'cluster.replicas.0.lag.median=100ms,200ms,300ms,400ms', '--vary', 'strategy.name=none,pin,token', '--seeds', '1..3', '--jobs', '2'];
      const child = startLagsim(dir, [...args, '--out', 'resumed']);
      const partial = join(dir, 'resumed', PARTIAL_DIR);
      const savedTasks = (): number => {
        if (!existsSync(partial)) return 0;
        return readdirSync(partial).reduce((n, sub) => n + readdirSync(join(partial, sub)).filter((f) => /^task-\d+\.json$/.test(f)).length, 0);
      };
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      for (let waited = 0; savedTasks() < 3 && waited < 60_000; waited += 20) await sleep(20);
      child.kill('SIGKILL');
      await exited;
      const saved = savedTasks();
      assert.ok(saved >= 3, `the sweep saved ${saved} runs before it was killed`);
      assert.ok(saved < 4 * 3 * 3, 'it was killed before the end');
      for (const name of ['summary.json', 'runs.csv', 'index.html']) assert.ok(!existsSync(join(dir, 'resumed', name)), `no ${name} yet`);

      const rerun = lagsim(dir, [...args, '--out', 'resumed']);
      assert.equal(rerun.status, ExitCode.ok, rerun.stderr);
      assert.match(rerun.stderr, /\d+ reused from an interrupted run/);
      const clean = lagsim(dir, [...args, '--out', 'clean']);
      assert.equal(clean.status, ExitCode.ok, clean.stderr);
      assert.equal(sameTree(join(dir, 'resumed'), join(dir, 'clean')), null);
    } finally {
      cleanup();
    }
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
