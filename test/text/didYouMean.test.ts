// "Did you mean": one rule for mistyped scenario fields, strategy names, commands and options, and
// the exact texts users see.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { didYouMean, editDistance } from '../../src/text/didYouMean.js';
import { messages } from '../../src/text/messages.js';
import { STRATEGY_NAMES } from '../../src/scenario/schema.js';
import { BIN, tempDir } from '../helpers/sim.js';

describe('editDistance', () => {
  it('counts inserts, deletes, substitutions and swaps of neighbours', () => {
    assert.equal(editDistance('seed', 'seed'), 0);
    assert.equal(editDistance('sed', 'seed'), 1);
    assert.equal(editDistance('seeed', 'seed'), 1);
    assert.equal(editDistance('sead', 'seed'), 1);
    assert.equal(editDistance('sede', 'seed'), 1, 'a swap is one edit');
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('kitten', 'sitting'), 3);
  });
});

describe('didYouMean', () => {
  it('the closest known name within two edits, the first of equals, case ignored; nothing when far', () => {
    assert.equal(didYouMean('sed', ['name', 'seed', 'set']), 'seed');
    assert.equal(didYouMean('pn', STRATEGY_NAMES), 'pin');
    assert.equal(didYouMean('tokn', STRATEGY_NAMES), 'token');
    assert.equal(didYouMean('Sticky', STRATEGY_NAMES), 'sticky');
    assert.equal(didYouMean('replica', ['shards', 'leader', 'replicas']), 'replicas');
    assert.equal(didYouMean('bogus', STRATEGY_NAMES), undefined);
    assert.equal(didYouMean('timeout', ['name', 'window', 'scope']), undefined);
    assert.equal(didYouMean('ab', ['cd']), undefined, 'two edits of two letters is not close');
  });
});

describe('messages', () => {
  it('unknown field and unknown strategy, with and without a suggestion (exact text)', () => {
    assert.equal(messages.unknownField(['name', 'seed', 'duration'], 'sed'), 'unknown field, did you mean "seed"? (expected one of: name, seed, duration)');
    assert.equal(messages.unknownField(['name', 'window', 'scope'], 'timeout'), 'unknown field (expected one of: name, window, scope)');
    assert.equal(messages.unknownField(['name', 'window', 'scope']), 'unknown field (expected one of: name, window, scope)');
    assert.equal(messages.unknownStrategy('pn', STRATEGY_NAMES), 'unknown strategy "pn", did you mean "pin"? (expected one of: none, pin, fallback, token, sticky)');
    assert.equal(messages.unknownStrategy('bogus', STRATEGY_NAMES), 'unknown strategy "bogus" (expected one of: none, pin, fallback, token, sticky)');
  });
});

describe('the CLI', () => {
  const lagsim = (args: string[], cwd?: string) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd });

  it('a mistyped command or option: one line with commander\'s suggestion, exit 2', () => {
    const command = lagsim(['rn', 'x.yaml']);
    assert.equal(command.status, 2);
    assert.equal(command.stderr, "error: unknown command 'rn' (did you mean run?)\n");
    const option = lagsim(['run', 'x.yaml', '--sed', '2']);
    assert.equal(option.status, 2);
    assert.equal(option.stderr, "error: unknown option '--sed' (did you mean one of --seed, --set?)\n");
  });

  it('a mistyped scenario field and strategy name', () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = join(dir, 'x.yaml');
      const body = 'duration: 1s\ncluster: {leader: {region: a}, replicas: [{region: a, lag: 1ms}]}\nclients: [{name: u, region: a, sessions: 1, think: 1s, actions: [{do: read, key: own}]}]\n';
      writeFileSync(file, `name: x\nsede: 2\n${body}`);
      const field = lagsim(['validate', file]);
      assert.equal(field.status, 2);
      assert.equal(field.stderr, `${file}: sede: ${messages.unknownField(['name', 'description', 'seed', 'duration', 'warmup', 'keyspace', 'cluster', 'network', 'clients', 'balancer', 'strategy', 'strategyOptions', 'faults', 'report', 'monitor', 'migrations'], 'sede')}\n`);
      assert.match(field.stderr, /did you mean "seed"\?/);
      writeFileSync(file, `name: x\n${body}`);
      const strategy = lagsim(['run', file, '--strategy', 'tokn']);
      assert.equal(strategy.status, 2);
      assert.match(strategy.stderr, /unknown strategy "tokn", did you mean "token"\?/);
    } finally {
      cleanup();
    }
  });
});
