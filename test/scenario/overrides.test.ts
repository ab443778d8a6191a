import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applySet, splitVaryValues } from '../../src/scenario/overrides.js';
import { inputErrorLine } from '../helpers/inputError.js';

const doc = () => ({
  duration: '10m',
  cluster: { replicas: [{ region: 'w', lag: '300ms' }, { region: 'e', lag: 1 }] },
  strategy: { name: 'none' },
});

test('--set on nested paths and array indices; the input is not changed', () => {
  const raw = doc();
  const out = applySet(raw, 'cluster.replicas.1.lag=500ms') as ReturnType<typeof doc>;
  assert.equal(out.cluster.replicas[1]!.lag, '500ms');
  assert.equal(raw.cluster.replicas[1]!.lag, 1);
  assert.deepStrictEqual(applySet(raw, 'duration=5m'), { ...doc(), duration: '5m' });
  assert.equal((applySet(raw, 'seed=42') as { seed: unknown }).seed, 42);
  assert.equal((applySet(raw, 'description=a=b') as { description: unknown }).description, 'a=b');
});

test('--set values are YAML: objects, lists, booleans', () => {
  const out = applySet(doc(), 'strategy={name: token, track: session}') as Record<string, unknown>;
  assert.deepStrictEqual(out.strategy, { name: 'token', track: 'session' });
  const out2 = applySet(doc(), 'cluster.replicas.0.lag={dist: lognormal, median: 300ms, p99: 1.2s}') as ReturnType<typeof doc>;
  assert.deepStrictEqual(out2.cluster.replicas[0]!.lag, { dist: 'lognormal', median: '300ms', p99: '1.2s' });
  const out3 = applySet(doc(), 'keyspace.preload=false') as Record<string, unknown>;
  assert.deepStrictEqual(out3.keyspace, { preload: false });
  const out4 = applySet(doc(), 'tags=[a, b]') as Record<string, unknown>;
  assert.deepStrictEqual(out4.tags, ['a', 'b']);
});

test('--set creates missing objects and may append at the end of a list', () => {
  const out = applySet(doc(), 'strategyOptions.token.mode=wait') as Record<string, unknown>;
  assert.deepStrictEqual(out.strategyOptions, { token: { mode: 'wait' } });
  const out2 = applySet(doc(), 'cluster.replicas.2={region: x, lag: 1s}') as ReturnType<typeof doc>;
  assert.equal(out2.cluster.replicas.length, 3);
  const out3 = applySet(doc(), 'clients.0.name=u') as Record<string, unknown>;
  assert.deepStrictEqual(out3.clients, [{ name: 'u' }]);
});

test('--set errors name the path', () => {
  assert.equal(inputErrorLine(() => applySet(doc(), 'cluster.replicas.5.lag=1s')), '--set: cluster.replicas.5.lag: index 5 is past the end of cluster.replicas (2 items)');
  assert.equal(inputErrorLine(() => applySet(doc(), 'duration.value=1s')), '--set: duration.value: duration is "10m", not a mapping or list');
  assert.equal(inputErrorLine(() => applySet(doc(), 'cluster.replicas.first.lag=1s')), '--set: cluster.replicas.first.lag: cluster.replicas is a list: expected a numeric index, got "first"');
  assert.equal(inputErrorLine(() => applySet(doc(), 'duration')), '--set: expected PATH=VALUE, got "duration"');
  assert.equal(inputErrorLine(() => applySet(doc(), '=1')), '--set: expected PATH=VALUE, got "=1"');
  assert.equal(inputErrorLine(() => applySet(doc(), 'cluster..x=1')), '--set: cluster..x: empty path segment (expected a dotted path such as cluster.replicas.0.lag)');
  assert.match(inputErrorLine(() => applySet(doc(), 'strategy={name: token')), /^--set: strategy: value is not valid YAML: /);
});

test('splitVaryValues splits on commas outside brackets, braces and quotes', () => {
  assert.deepStrictEqual(splitVaryValues('a,{x: 1, y: 2},[1,2]'), ['a', '{x: 1, y: 2}', '[1,2]']);
  assert.deepStrictEqual(splitVaryValues('100ms, 300ms ,1s'), ['100ms', '300ms', '1s']);
  assert.deepStrictEqual(splitVaryValues('none,pin,token'), ['none', 'pin', 'token']);
  assert.deepStrictEqual(splitVaryValues('"a,b",c'), ['"a,b"', 'c']);
  assert.deepStrictEqual(splitVaryValues("it's,{n: [1, {a: 2}]}"), ["it's", '{n: [1, {a: 2}]}']);
  assert.deepStrictEqual(splitVaryValues('single'), ['single']);
  assert.deepStrictEqual(splitVaryValues(''), []);
  assert.equal(inputErrorLine(() => splitVaryValues('a,{x: 1')), '--vary: unbalanced brackets or quotes in "a,{x: 1"');
  assert.equal(inputErrorLine(() => splitVaryValues('a]')), '--vary: unbalanced brackets or quotes in "a]"');
});
