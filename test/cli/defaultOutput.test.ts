// Without --out, sweep, plan, compare and merge write into a fresh, untracked folder
// lagsim-out/<scenario>-<command>-<n>/ and never touch committed files such as results/<scenario>/.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultOutputFolder } from '../../src/cli/defaultOutput.js';
import { PARTIAL_DIR } from '../../src/run/sweep/checkpoint.js';
import { REPO_ROOT, tempDir } from '../helpers/sim.js';
import { lagsim, writeSmallScenario } from './sweepCli.js';

const git = (cwd: string, args: string[]): string => {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (r.error) throw r.error;
  assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};
const hasGit = spawnSync('git', ['--version']).status === 0;

describe('defaultOutputFolder', () => {
  it('numbers folders from 1, one more than the highest there, and resumes an interrupted sweep', () => {
    const { dir, cleanup } = tempDir();
    try {
      assert.equal(defaultOutputFolder('small', 'sweep', dir), join('lagsim-out', 'small-sweep-1'));
      mkdirSync(join(dir, 'lagsim-out', 'small-sweep-1', 'x'), { recursive: true });
      mkdirSync(join(dir, 'lagsim-out', 'small-sweep-3', 'x'), { recursive: true });
      mkdirSync(join(dir, 'lagsim-out', 'small-plan-7'), { recursive: true });
      mkdirSync(join(dir, 'lagsim-out', 'small.x-sweep-9'), { recursive: true });
      assert.equal(defaultOutputFolder('small', 'sweep', dir), join('lagsim-out', 'small-sweep-4'));
      assert.equal(defaultOutputFolder('small', 'plan', dir), join('lagsim-out', 'small-plan-8'));
      assert.equal(defaultOutputFolder('small', 'compare', dir), join('lagsim-out', 'small-compare-1'));
      // The highest folder holds only a checkpoint: an interrupted run, resumed in place.
      mkdirSync(join(dir, 'lagsim-out', 'small-sweep-4', PARTIAL_DIR), { recursive: true });
      assert.equal(defaultOutputFolder('small', 'sweep', dir), join('lagsim-out', 'small-sweep-4'));
    } finally {
      cleanup();
    }
  });
});

describe('sweep, plan, compare and merge without --out', { skip: !hasGit && 'git is not installed' }, () => {
  let dir: string;
  let cleanup: () => void;
  before(() => {
    ({ dir, cleanup } = tempDir('lagsim-default-out-'));
    // A repository like a user's clone: the project's .gitignore, a scenario and committed results.
    copyFileSync(join(REPO_ROOT, '.gitignore'), join(dir, '.gitignore'));
    writeSmallScenario(dir);
    mkdirSync(join(dir, 'results', 'small', 'plan'), { recursive: true });
    for (const file of ['summary.json', 'runs.csv', 'index.html', 'plan/plan.json']) writeFileSync(join(dir, 'results', 'small', file), 'committed\n');
    git(dir, ['init', '-q']);
    git(dir, ['add', '-A']);
    git(dir, ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'init']);
  });
  after(() => cleanup());

  const short = ['--duration', '2s', '--jobs', '1'];
  it('each writes a fresh lagsim-out/<scenario>-<command>-<n>/, says where, and leaves git status clean', () => {
    const runs: [string[], string, RegExp][] = [
      [['sweep', 'small.yaml', '--vary', 'strategy.name=none,pin', ...short], 'lagsim-out/small-sweep-1', /wrote lagsim-out\/small-sweep-1: /],
      [['sweep', 'small.yaml', '--vary', 'strategy.name=none,pin', ...short, '--json'], 'lagsim-out/small-sweep-2', /wrote lagsim-out\/small-sweep-2: /],
      [['compare', 'small.yaml', '--strategies', 'none,pin', '--seeds', '1', ...short], 'lagsim-out/small-compare-1', /wrote lagsim-out\/small-compare-1: /],
      [['plan', 'small.yaml', '--slo', 'ryw<0.5', '--vary', 'strategy.name=none,pin', ...short], 'lagsim-out/small-plan-1', /wrote lagsim-out\/small-plan-1: plan\.json/],
      [['plan', 'small.yaml', '--slo', 'ryw<0.5', '--vary', 'strategy.name=none,pin', ...short, '--json'], 'lagsim-out/small-plan-2', /wrote lagsim-out\/small-plan-2: plan\.json/],
    ];
    for (const [args, folder, said] of runs) {
      const r = lagsim(dir, args);
      assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
      assert.match(args.includes('--json') ? r.stderr : r.stdout, said, args.join(' '));
      assert.ok(readdirSync(join(dir, folder)).length > 0, `${folder} written`);
    }
    // A sharded sweep, then merge: both in folders of their own.
    for (const shard of ['1/2', '2/2']) assert.equal(lagsim(dir, ['sweep', 'small.yaml', '--vary', 'strategy.name=none,pin', ...short, '--shard', shard]).status, 0);
    const merged = lagsim(dir, ['merge', 'lagsim-out/small-sweep-3', 'lagsim-out/small-sweep-4']);
    assert.equal(merged.status, 0, merged.stderr);
    assert.match(merged.stdout, /wrote lagsim-out\/small-merge-1: /);

    assert.equal(git(dir, ['status', '--porcelain']), '', 'no tracked file changed, nothing untracked outside the ignored lagsim-out/');
    assert.equal(readFileSync(join(dir, 'results', 'small', 'summary.json'), 'utf8'), 'committed\n');
  });

  it("compare's report reproduces compare, with the strategies and seeds it ran", () => {
    const html = readFileSync(join(dir, 'lagsim-out', 'small-compare-1', 'index.html'), 'utf8');
    assert.match(html, /<h2>Reproduce<\/h2>\n<pre>npx lagsim compare small\.yaml --set duration=2s --strategies none,pin --seeds 1<\/pre>/);
    const sweep = readFileSync(join(dir, 'lagsim-out', 'small-sweep-1', 'index.html'), 'utf8');
    assert.match(sweep, /<pre>npx lagsim sweep small\.yaml --set duration=2s --vary strategy\.name=none,pin --seeds 1<\/pre>/);
  });

  it('the default root is ignored by the project', () => {
    assert.ok(existsSync(join(dir, 'lagsim-out')));
    assert.match(readFileSync(join(REPO_ROOT, '.gitignore'), 'utf8'), /^\/lagsim-out\/$/m);
  });
});
