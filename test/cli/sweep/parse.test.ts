// The option parsers of sweep: --seeds, --shard (and how shards deal out tasks), --vary.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkVaries, parseVary } from '../../../src/cli/sweep/grid.js';
import { parseSeeds } from '../../../src/cli/sweep/seeds.js';
import { ownsTask, parseShard } from '../../../src/cli/sweep/shard.js';
import { gridSize, pointValues } from '../../../src/report/grid.js';
import { formatSeeds } from '../../../src/report/seedsText.js';
import { InputError } from '../../../src/scenario/errors.js';

describe('--seeds', () => {
  it('reads ranges, lists and mixes, in the order written', () => {
    assert.deepEqual(parseSeeds('1..5'), [1, 2, 3, 4, 5]);
    assert.deepEqual(parseSeeds('7, 2,5'), [7, 2, 5]);
    assert.deepEqual(parseSeeds('1..3,10'), [1, 2, 3, 10]);
    assert.equal(formatSeeds(parseSeeds('1..20')), '1..20');
    assert.equal(formatSeeds([7, 2]), '7,2');
  });
  for (const bad of ['', '1..', 'a', '-1', '1.5', '3..1', '1,1', '1..3,2']) {
    it(`refuses ${JSON.stringify(bad)}`, () => assert.throws(() => parseSeeds(bad), InputError));
  }
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
  for (const bad of ['0/2', '3/2', '2', '1/0', 'a/b']) {
    it(`refuses ${bad}`, () => assert.throws(() => parseShard(bad), InputError));
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
  for (const [bad, what] of [
    [['x='], 'no values'],
    [['x=1,1.0'], 'the same value twice'],
    [['x=1', 'x=2'], 'one path twice'],
    [['cluster=1', 'cluster.shards=2'], 'overlapping paths'],
    [['seed=1,2'], 'seeds'],
    [['strategy.name=pin', 'strategy.window=1s'], 'strategy options with the name'],
  ] as const) {
    it(`refuses ${what}`, () => assert.throws(() => checkVaries(bad.map(parseVary)), InputError));
  }
});
