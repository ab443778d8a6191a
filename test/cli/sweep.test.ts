// `lagsim sweep` end to end: the same bytes with --jobs 1 and --jobs 2; bad --vary paths, empty
// grids, unknown strategies and other bad options give one line, exit 2 and write nothing; rerunning
// a sweep that left checkpoints (as an interrupted one does) runs only the tasks without one and
// finishes with exactly the files of an uninterrupted run.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode } from '../../src/text/exitCodes.js';
import { messages } from '../../src/text/messages.js';
import { Checkpoint, PARTIAL_DIR } from '../../src/run/sweep/checkpoint.js';
import { readShardFile } from '../../src/run/sweep/shardFile.js';
import type { TaskRecord } from '../../src/report/sweepData.js';
import { ScenarioSchema } from '../../src/scenario/schema.js';
import { strategyNames } from '../../src/strategies/index.js';
import { tempDir } from '../helpers/sim.js';
import { BUILT, lagsim, sameTree, writeSmallScenario } from './sweepCli.js';

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

  // The fields a `cluster` mapping takes, from the schema that validates it (the list grows with the format).
  const clusterFields = Object.keys(ScenarioSchema.in.shape.cluster.shape);
  const bad: [string, string[], string][] = [
    ['a path that is not in the scenario format', ['--vary', 'cluster.replica.0.lag=1s,2s'], `--vary: cluster.replica: ${messages.setCausedBy(messages.unknownField(clusterFields, 'replica'), 'cluster.replica.0.lag=1s')}`],
    ['an empty grid', ['--vary', 'strategy.name='], `--vary: strategy.name: ${messages.varyNoValues}`],
    ['an unknown strategy', ['--vary', 'strategy.name=none,bogus'], `--vary: strategy.name: ${messages.unknownStrategy('bogus', strategyNames)}`],
    [
      'a value the scenario format refuses',
      ['--vary', 'cluster.replicas.0.lag.median=100ms,soon'],
      `--vary: cluster.replicas.0.lag.median: ${messages.expectedDuration('soon')}`,
    ],
    [
      'a repeated value',
      ['--vary', 'cluster.replicas.0.lag.median=100ms,100ms'],
      `--vary: cluster.replicas.0.lag.median: ${messages.varyDuplicateValue('100ms', '100ms')}`,
    ],
    ['seeds through --vary', ['--vary', 'seed=1,2'], `--vary: seed: ${messages.varySeed}`],
    [
      'a strategy option with strategy.name varied',
      ['--vary', 'strategy.name=none,pin', '--vary', 'strategy.window=1s,2s'],
      `--vary: strategy.window: ${messages.varyStrategyOption('window')}`,
    ],
    ['a backward seed range', ['--seeds', '5..1'], `--seeds: ${messages.seedsBackwardRange('5..1')}`],
    ['a shard out of range', ['--shard', '3/2'], `--shard: ${messages.shardRange('3/2')}`],
    ['no worker threads', ['--jobs', '0'], `--jobs: ${messages.expectedJobs('0')}`],
    ['an unknown baseline', ['--baseline', 'nothing'], `--baseline: ${messages.unknownStrategy('nothing', strategyNames)}`],
  ];
  for (const [what, args, expected] of bad) {
    it(`refuses ${what}: one line, exit 2, nothing written`, () => {
      const { dir, cleanup } = tempDir();
      try {
        const file = writeSmallScenario(dir);
        const r = lagsim(dir, ['sweep', file, ...args, '--out', 'out']);
        assert.equal(r.status, ExitCode.badInput, r.stderr);
        assert.equal(r.stderr.trimEnd().split('\n').length, 1, `one line: ${r.stderr}`);
        assert.equal(r.stderr.trim(), expected);
        assert.equal(r.stdout, '');
        assert.ok(!existsSync(join(dir, 'out')), 'nothing written');
      } finally {
        cleanup();
      }
    });
  }

  it('resumes an interrupted sweep: runs only the tasks without a checkpoint, and gives the uninterrupted bytes', () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = writeSmallScenario(dir);
      const args = ['sweep', file, ...GRID, '--jobs', '2'];
      const clean = lagsim(dir, [...args, '--out', 'clean']);
      assert.equal(clean.status, ExitCode.ok, clean.stderr);
      // What an interrupted run leaves, made without racing a kill: shard 1 of 3 runs tasks 0, 3, 6 and
      // 9 (two lag-series tasks, two plain runs) and gives back their records with the sweep's
      // fingerprint; saved as checkpoints, they are the tasks an interrupted run had finished.
      const part = lagsim(dir, [...args, '--shard', '1/3', '--out', 'part']);
      assert.equal(part.status, ExitCode.ok, part.stderr);
      const shard = readShardFile(join(dir, 'part', 'shard-1-of-3.json'));
      assert.deepEqual(shard.records.map((r) => [r.task, r.kind]), [[0, 'lag'], [3, 'run'], [6, 'lag'], [9, 'run']]);
      const saveCheckpoints = (out: string, tamper: (record: TaskRecord) => TaskRecord): void => {
        const checkpoint = new Checkpoint(join(dir, out), shard.fingerprint);
        for (const record of shard.records) checkpoint.save(tamper(record));
        const saved = readdirSync(join(dir, out, PARTIAL_DIR), { withFileTypes: true }).flatMap((sub) => (sub.isDirectory() ? readdirSync(join(dir, out, PARTIAL_DIR, sub.name)) : []));
        assert.deepEqual(saved.sort(), ['task-0.json', 'task-3.json', 'task-6.json', 'task-9.json'], 'the checkpoints of an interrupted run');
      };
      const tasks = 2 * 3 * 2;
      const expectedLine = new RegExp(
        `^ran ${tasks - 4} simulations in \\d+\\.\\d\\d s of wall time on 2 worker threads, 4 reused from an interrupted run; seeds 1,2$`,
      );

      saveCheckpoints('resumed', (record) => record);
      const resumed = lagsim(dir, [...args, '--out', 'resumed']);
      assert.equal(resumed.status, ExitCode.ok, resumed.stderr);
      assert.match(resumed.stderr.trim(), expectedLine);
      assert.equal(sameTree(join(dir, 'resumed'), join(dir, 'clean')), null);
      assert.ok(!existsSync(join(dir, 'resumed', PARTIAL_DIR)), 'no checkpoints left once done');

      // Only the missing tasks ran: a saved record is taken as it is (a marked one shows up in
      // runs.csv), and every other row is the uninterrupted run's.
      const MARK = 123_456_789;
      saveCheckpoints('marked', (record) => ({ ...record, summary: { ...record.summary, events: MARK } }));
      const marked = lagsim(dir, [...args, '--out', 'marked']);
      assert.equal(marked.status, ExitCode.ok, marked.stderr);
      assert.match(marked.stderr.trim(), expectedLine);
      const rows = (out: string): string[][] =>
        readFileSync(join(dir, out, 'runs.csv'), 'utf8').trim().split('\n').slice(1).map((line) => line.split(','));
      const cleanRows = rows('clean');
      const markedRows = rows('marked');
      assert.equal(markedRows.length, tasks);
      const savedRuns = new Set(shard.records.map((r) => `${r.point},${r.seed}`));
      for (const [i, row] of markedRows.entries()) {
        const run = `${row[0]},${row[3]}`;
        if (savedRuns.has(run)) {
          assert.equal(row.at(-1), String(MARK), `point,seed ${run}: taken from its checkpoint`);
          assert.deepEqual(row.slice(0, -1), cleanRows[i]!.slice(0, -1), `point,seed ${run}: the rest as saved`);
        } else {
          assert.deepEqual(row, cleanRows[i], `point,seed ${run}: run again`);
        }
      }
      assert.equal(markedRows.filter((row) => row.at(-1) === String(MARK)).length, 4);
    } finally {
      cleanup();
    }
  });
});
