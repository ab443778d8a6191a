import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { cliCommand, decodeHash, docShape, encodeHash, knobOverrides, runOverrides, shellQuote, type PlaygroundState } from '../../src/playground/knobs.js';
import { REPO_ROOT, run } from '../helpers/sim.js';

const ghostPost = YAML.parse(readFileSync(join(REPO_ROOT, 'scenarios', 'ghost-post.yaml'), 'utf8')) as unknown;

describe('playground knobs', () => {
  it('reads the shape of a scenario document, and of junk as empty', () => {
    assert.deepEqual(docShape(ghostPost), { replicaGroups: 1, clientActions: [['write', 'read', 'read']] });
    assert.deepEqual(docShape('not a scenario'), { replicaGroups: 0, clientActions: [] });
    assert.deepEqual(docShape({ cluster: 3, clients: [{ actions: 'x' }] }), { replicaGroups: 0, clientActions: [[]] });
  });

  it('turns knobs into --set assignments the scenario format accepts', () => {
    const shape = docShape(ghostPost);
    const sets = knobOverrides({ lagMedianMs: 500, lagHoldMs: 0, thinkMeanMs: 250, replicas: 3, writeShare: 0.2, pinWindowMs: 700 }, shape, 'pin');
    assert.deepEqual(sets, [
      'cluster.replicas.0.lag={dist: lognormal, median: 500ms, p99: 2000ms}',
      'cluster.replicas.0.lagHold=0ms',
      'cluster.replicas.0.count=3',
      'clients.0.think={dist: exponential, mean: 250ms}',
      'clients.0.order=random',
      'clients.0.actions.0.weight=0.2',
      'clients.0.actions.1.weight=0.4',
      'clients.0.actions.2.weight=0.4',
      'strategyOptions.pin.window=700ms',
    ]);
    // They validate, and the write share is what the weights say.
    const summary = run(ghostPost, [...sets, 'duration=5s']).summary;
    const share = summary.costs.writes / (summary.costs.writes + summary.costs.reads);
    assert.ok(Math.abs(share - 0.2) < 0.03, `write share ${share}`);
  });

  it('keeps p99 above the median and leaves strategy options of other strategies out', () => {
    const shape = docShape(ghostPost);
    assert.deepEqual(knobOverrides({ lagMedianMs: 800, lagP99Ms: 100, pinWindowMs: 5 }, shape, 'token'), ['cluster.replicas.0.lag={dist: lognormal, median: 800ms, p99: 808ms}']);
    assert.deepEqual(knobOverrides({ stickyPinAfterWriteMs: 0 }, shape, 'sticky'), ['strategyOptions.sticky.pinAfterWrite=off']);
  });

  it('writes the CLI line in lagsim run\'s flag order, quoted for a POSIX shell', () => {
    const state: PlaygroundState = { scenario: 'ghost-post', edited: null, strategy: 'pin', seed: 7, durationS: 5, knobs: { lagHoldMs: 250 } };
    const shape = docShape(ghostPost);
    assert.equal(cliCommand(state, shape), 'lagsim run scenarios/ghost-post.yaml --strategy pin --set cluster.replicas.0.lagHold=250ms --seed 7 --duration 5s --json');
    assert.deepEqual(runOverrides(state, shape), ['cluster.replicas.0.lagHold=250ms', 'seed=7', 'duration=5s']);
    assert.equal(cliCommand({ ...state, edited: 'x', strategy: null, seed: null, durationS: null, knobs: {} }, shape), 'lagsim run ghost-post-edited.yaml --json');
    assert.equal(shellQuote("it's {a: b}"), `'it'\\''s {a: b}'`);
  });

  it('round-trips a state through the URL hash', () => {
    const state: PlaygroundState = {
      scenario: 'qa-shards',
      edited: 'name: x\n# a & b = c',
      strategy: 'token',
      seed: 12,
      durationS: 30,
      knobs: { lagMedianMs: 250, tokenTrack: 'causal', writeShare: 0.1 },
    };
    assert.deepEqual(decodeHash(encodeHash(state), 'ghost-post'), state);
    assert.deepEqual(decodeHash('#seed=-1&lagMedianMs=abc&duration=', 'ghost-post'), {
      scenario: 'ghost-post',
      edited: null,
      strategy: null,
      seed: null,
      durationS: null,
      knobs: {},
    });
  });
});
