// The option parsers of sweep: --seeds, --shard (and how shards deal out tasks), --vary.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkVaries, parseVary } from '../../../src/run/sweep/grid.js';
import { defineSweep, MAX_RUNS } from '../../../src/run/sweep/execute.js';
import { join } from 'node:path';
import { SCENARIOS_DIR } from '../../helpers/sim.js';
import { parseSeeds } from '../../../src/run/sweep/seeds.js';
import { ownsTask, parseShard } from '../../../src/run/sweep/shard.js';
import { gridSize, pointValues } from '../../../src/report/grid.js';
import { formatSeeds } from '../../../src/report/seedsText.js';
import { messages } from '../../../src/text/messages.js';
import { InputError } from '../../../src/text/errors.js';

/** `fn` throws an InputError whose one line (what the CLI prints) is exactly `line`. */
function assertRefuses(fn: () => unknown, line: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof InputError, `an InputError, got ${String(error)}`);
    assert.equal(error.format(), line);
    return true;
  });
}

describe('--seeds', () => {
  it('reads ranges, lists and mixes, in the order written', () => {
    assert.deepEqual(parseSeeds('1..5'), [1, 2, 3, 4, 5]);
    assert.deepEqual(parseSeeds('7, 2,5'), [7, 2, 5]);
    assert.deepEqual(parseSeeds('1..3,10'), [1, 2, 3, 10]);
    assert.equal(formatSeeds(parseSeeds('1..20')), '1..20');
    assert.equal(formatSeeds([7, 2]), '7,2');
  });
  for (const [bad, message] of [
    ['', messages.seedsSyntax('')],
    ['1..', messages.seedsSyntax('1..')],
    ['a', messages.seedsSyntax('a')],
    ['-1', messages.seedsSyntax('-1')],
    ['1.5', messages.seedsSyntax('1.5')],
    ['3..1', messages.seedsBackwardRange('3..1')],
    ['1,1', messages.seedsDuplicate(1)],
    ['1..3,2', messages.seedsDuplicate(2)],
  ] as const) {
    it(`refuses ${JSON.stringify(bad)}`, () => assertRefuses(() => parseSeeds(bad), `--seeds: ${message}`));
  }
});

describe('runs of a sweep, compare or plan', () => {
  const file = join(SCENARIOS_DIR, 'ghost-post.yaml');
  const seeds = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);
  const sessions = { path: 'clients.0.sessions', values: ['1', '2', '3', '4'] };

  it('are at most MAX_RUNS (points × seeds), named by the option that takes them over', () => {
    assert.equal(MAX_RUNS, 100_000);
    assert.equal(defineSweep(file, [], [sessions], seeds(25_000), 'none').spec.seeds.length, 25_000);
    // 4 points × 100,000 seeds: the seeds (each alone is allowed) take the grid over.
    assertRefuses(() => defineSweep(file, [], [sessions], seeds(25_001), 'none'), '--seeds: expected at most 100000 runs (points × seeds), got 100004: vary fewer values or run fewer seeds');
    const wide = { path: 'clients.0.think', values: Array.from({ length: 400 }, (_, i) => `${i + 1}s`) };
    const wider = { path: 'duration', values: Array.from({ length: 400 }, (_, i) => `${i + 1}s`) };
    assertRefuses(() => defineSweep(file, [], [wide, wider], [1], 'none'), '--vary: expected at most 100000 runs (points × seeds), got 160000: vary fewer values or run fewer seeds');
  });
});

describe('--shard', () => {
  it('deals every task to exactly one shard', () => {
    for (const count of [1, 2, 3, 7]) {
      for (let task = 0; task < 50; task++) {
        const owners = Array.from({ length: count }, (_, i) => i + 1).filter((index) => ownsTask({ index, count }, task));
        assert.equal(owners.length, 1);
      }
    }
    assert.deepEqual(parseShard('2/8'), { index: 2, count: 8 });
  });
  for (const [bad, message] of [
    ['0/2', messages.shardRange('0/2')],
    ['3/2', messages.shardRange('3/2')],
    ['2', messages.shardSyntax('2')],
    ['1/0', messages.shardRange('1/0')],
    ['a/b', messages.shardSyntax('a/b')],
  ] as const) {
    it(`refuses ${bad}`, () => assertRefuses(() => parseShard(bad), `--shard: ${message}`));
  }
});

describe('--vary', () => {
  it('splits values outside brackets and makes a grid with the last --vary fastest', () => {
    const a = parseVary('cluster.replicas.0.lag={dist: constant, value: 1s},200ms');
    assert.deepEqual(a.values, ['{dist: constant, value: 1s}', '200ms']);
    const b = parseVary('strategy.name=none,pin,token');
    checkVaries([a, b]);
    assert.equal(gridSize([a, b]), 6);
    assert.deepEqual(pointValues([a, b], 4), ['200ms', 'pin']);
  });
  for (const [bad, what, line] of [
    [['x='], 'no values', `--vary: x: ${messages.varyNoValues}`],
    [['x=1,1.0'], 'the same value twice', `--vary: x: ${messages.varyDuplicateValue('1.0', '1')}`],
    [['x=1', 'x=2'], 'one path twice', `--vary: x: ${messages.varyDuplicatePath}`],
    [['cluster=1', 'cluster.shards=2'], 'overlapping paths', `--vary: cluster.shards: ${messages.varyOverlap('cluster')}`],
    [['seed=1,2'], 'seeds', `--vary: seed: ${messages.varySeed}`],
    [['strategy.name=pin', 'strategy.window=1s'], 'strategy options with the name', `--vary: strategy.window: ${messages.varyStrategyOption('window')}`],
  ] as const) {
    it(`refuses ${what}`, () => assertRefuses(() => checkVaries(bad.map(parseVary)), line));
  }
});
