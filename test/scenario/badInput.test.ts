// Bad input found by the audit: each case is one line `<file>: <path>: <message>`, exit code 2, no
// stack trace. Unit level through the scenario loader, and through the CLI (from dist/) for a few.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode } from '../../src/text/exitCodes.js';
import { applySet, setAtPath } from '../../src/scenario/overrides.js';
import { parseScenarioText } from '../../src/scenario/parse.js';
import { dataFilesIn } from '../../src/run/load.js';
import { scenarioJsonSchema } from '../../src/scenario/jsonSchema.js';
import { withStrategy } from '../../src/scenario/buildModel.js';
import { SCENARIO_NAME_RE, strategyFor } from '../../src/scenario/schema.js';
import { BIN, REPO_ROOT } from '../helpers/sim.js';
import { inputErrorLine } from '../helpers/inputError.js';
import { YAML_TEXT } from '../helpers/scenarioText.js';

const BUILT = existsSync(join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js'));

function withSets(...sets: string[]): string {
  return inputErrorLine(() => parseScenarioText(YAML_TEXT, 'x.yaml', dataFilesIn('.'), sets));
}

function lagsim(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function assertNotPolluted(): void {
  const probe: Record<string, unknown> = {};
  for (const name of ['x', 'polluted']) assert.equal(probe[name], undefined, `Object.prototype.${name} stays unset`);
}

// ---- 1. --set never reaches object internals ------------------------------------------------------

test('--set refuses __proto__, constructor and prototype as unknown fields, and changes no prototype', () => {
  const doc = { name: 'a', clients: [{ name: 'u' }] };
  assert.equal(inputErrorLine(() => applySet(doc, '__proto__.x=1')), '--set: __proto__.x: unknown field "__proto__" (no scenario field has this name)');
  assert.equal(
    inputErrorLine(() => applySet(doc, 'clients.0.__proto__.polluted=1')),
    '--set: clients.0.__proto__.polluted: unknown field "__proto__" (no scenario field has this name)',
  );
  assert.equal(
    inputErrorLine(() => applySet(doc, 'constructor.prototype.x=1')),
    '--set: constructor.prototype.x: unknown field "constructor" (no scenario field has this name)',
  );
  assert.equal(inputErrorLine(() => applySet(doc, 'cluster.prototype=1')), '--set: cluster.prototype: unknown field "prototype" (no scenario field has this name)');
  assert.equal(inputErrorLine(() => applySet(doc, '__proto__={x: 1}')), '--set: __proto__: unknown field "__proto__" (no scenario field has this name)');
  assertNotPolluted();
  assert.deepStrictEqual(doc, { name: 'a', clients: [{ name: 'u' }] });
});

test('--set follows only own properties: an inherited name is a new, plain field', () => {
  const out = setAtPath({ cluster: {} }, ['cluster', 'toString', 'x'], 1) as { cluster: Record<string, unknown> };
  assert.ok(Object.hasOwn(out.cluster, 'toString'));
  assert.deepStrictEqual(out.cluster['toString'], { x: 1 });
  assert.equal(Object.getPrototypeOf(out.cluster['toString']), Object.prototype);
  assert.equal(typeof ({} as { toString: unknown }).toString, 'function');
});

test('a YAML value with a __proto__ key stays an own field (reported as unknown), not a prototype', () => {
  assert.equal(
    withSets('keyspace={__proto__: {count: 5}}'),
    '--set: keyspace.__proto__: unknown field (expected one of: count, topicSize, preload, placement)',
  );
  assertNotPolluted();
});

test('CLI: --set __proto__.x=1 is one line naming --set, exit 2', { skip: !BUILT && 'dist/ not built' }, () => {
  for (const [set, line] of [
    ['__proto__.x=1', '--set: __proto__.x: unknown field "__proto__" (no scenario field has this name)'],
    ['clients.0.__proto__.polluted=1', '--set: clients.0.__proto__.polluted: unknown field "__proto__" (no scenario field has this name)'],
    ['constructor.prototype.x=1', '--set: constructor.prototype.x: unknown field "constructor" (no scenario field has this name)'],
  ] as const) {
    const r = lagsim(['validate', 'scenarios/ghost-post.yaml', '--set', set]);
    assert.equal(r.stderr, `${line}\n`);
    assert.equal(r.status, ExitCode.badInput);
    assert.equal(r.stdout, '');
  }
});

// ---- 2. sizes the simulator can hold ---------------------------------------------------------------

test('sizes above the simulator limits are one line naming the field and the bound', () => {
  const cases: Array<[string[], string]> = [
    [['keyspace.count=10000000000'], '--set: keyspace.count: expected at most 10000000 keys (a simulator limit), got 10000000000'],
    [['clients.0.sessions=1e9'], '--set: clients.0.sessions: expected at most 1000000 sessions (a simulator limit), got 1000000000'],
    [['clients.0.ownKeys=100000'], '--set: clients.0.ownKeys: expected at most 10000 own keys per session (a simulator limit), got 100000'],
    [['cluster.shards=1000000'], '--set: cluster.shards: expected at most 1000 shards (a simulator limit), got 1000000'],
    [['cluster.replicas.0.count=5000'], '--set: cluster.replicas.0.count: expected at most 1000 copies per shard (a simulator limit), got 5000'],
    [['clients.0.actions.1={do: read, key: popular, count: 20000}'], '--set: clients.0.actions.1.count: expected at most 10000 keys per read (a simulator limit), got 20000'],
    [['strategy={name: sticky, vnodes: 100000}'], '--set: strategy.vnodes: expected at most 1000 points per node (a simulator limit), got 100000'],
    [
      [`network.latency={${Array.from({ length: 1001 }, (_, i) => `r${i}/r${i + 1}: 1ms`).join(', ')}}`],
      '--set: network.latency: expected at most 1000 latency pairs (a simulator limit), got 1001',
    ],
    [['strategyOptions.sticky.vnodes=2000'], '--set: strategyOptions.sticky.vnodes: expected at most 1000 points per node (a simulator limit), got 2000'],
    // sums: the last group that crosses the limit is named
    [
      ['clients.0.sessions=600000', 'clients.0.ownKeys=1', 'clients.1={name: more, region: us-west, sessions: 600000, ownKeys: 1, think: 1s, actions: [{do: read, key: own}]}'],
      '--set: clients.1.sessions: expected at most 1000000 sessions in all client groups (a simulator limit), got 1200000',
    ],
    [
      ['clients.0.ownKeys=2001'],
      '--set: clients.0.ownKeys: expected at most 1000000 own keys in all client groups (sessions × ownKeys; a simulator limit), got 1000500',
    ],
  ];
  for (const [sets, line] of cases) assert.equal(withSets(...sets), line, sets.join(' '));
  // at the limits: valid
  assert.equal(parseScenarioText(YAML_TEXT, 'x.yaml', dataFilesIn('.'), ['keyspace.count=10000000']).keyspace.count, 10_000_000);
  assert.equal(parseScenarioText(YAML_TEXT, 'x.yaml', dataFilesIn('.'), ['clients.0.sessions=100000', 'clients.0.ownKeys=10']).clients[0]!.sessions, 100_000);
  assert.equal(parseScenarioText(YAML_TEXT, 'x.yaml', dataFilesIn('.'), ['clients.0.sessions=1000000', 'clients.0.ownKeys=1', 'duration=1m']).clients[0]!.sessions, 1_000_000);
  assert.equal(parseScenarioText(YAML_TEXT, 'x.yaml', dataFilesIn('.'), ['cluster.shards=1000']).cluster.shards, 1000);
});

test('nodes in all: shards × (1 leader + replica copies), reported on cluster', () => {
  const text = YAML_TEXT.replace('  leader: { region: us-east }', '  shards: 100\n  leader: { region: us-east }').replace('region: us-west\n      lag', 'region: us-west\n      count: 20\n      lag');
  assert.equal(
    inputErrorLine(() => parseScenarioText(text, 'x.yaml', dataFilesIn('.'))),
    'x.yaml: cluster: expected at most 2000 nodes (shards × (1 leader + replica copies); a simulator limit), got 2100',
  );
  assert.equal(parseScenarioText(YAML_TEXT, 'x.yaml', dataFilesIn('.'), ['cluster.shards=100', 'cluster.replicas.0.count=19']).cluster.shards, 100);
});

test('the JSON Schema carries the bounds', () => {
  const text = JSON.stringify(scenarioJsonSchema());
  for (const max of [10_000_000, 100_000, 10_000, 1000]) assert.ok(text.includes(`"maximum":${max}`), `maximum ${max}`);
});

test('CLI: run with a huge keyspace is one line, exit 2, not an internal error', { skip: !BUILT && 'dist/ not built' }, () => {
  const r = lagsim(['run', 'scenarios/ghost-post.yaml', '--duration', '1s', '--set', 'keyspace.count=10000000000']);
  assert.equal(r.stderr, '--set: keyspace.count: expected at most 10000000 keys (a simulator limit), got 10000000000\n');
  assert.equal(r.status, ExitCode.badInput);
  assert.equal(r.stdout, '');
});

// ---- 3. an error a --set caused names --set (and the assignment when the path does not) -----------

test('an error at, under or above a --set path, or in what it created, names --set and the assignment', () => {
  const cases: Array<[string[], string]> = [
    // the path is the assignment's own: the path names it
    [['cluster.replicas.0.lag=fast'], '--set: cluster.replicas.0.lag: expected a duration such as 300ms, 1.5s or 250us, got "fast"'],
    // an unknown field the assignment created (its path is a prefix of the assignment's)
    [['cluster.bogus.x=1'], '--set: cluster.bogus: unknown field (expected one of: shards, leader, replicas, syncQuorum) (from cluster.bogus.x=1)'],
    [['cluster.toString.x=1'], '--set: cluster.toString: unknown field (expected one of: shards, leader, replicas, syncQuorum) (from cluster.toString.x=1)'],
    // a field missing from the group the assignment created
    [['clients.1.think=1s'], '--set: clients.1.name: required field is missing (from clients.1.think=1s)'],
    // a problem of the mapping the assignment changed
    [['clients.0.rate=5'], '--set: clients.0: expected exactly one of sessions (closed loop) or rate (open loop), got both (from clients.0.rate=5)'],
    // elsewhere, but brought by the assignment (the file alone is valid)
    [
      ['clients.0.region=eu'],
      '--set: network.latency: missing latency pair eu/us-east (client group "users" talks across these regions; either order works) (from clients.0.region=eu)',
    ],
    // of two assignments, the one after which the problem appears
    [
      ['cluster.shards=100', 'cluster.replicas.0.count=20'],
      '--set: cluster: expected at most 2000 nodes (shards × (1 leader + replica copies); a simulator limit), got 2100 (from cluster.replicas.0.count=20)',
    ],
    // a later assignment inside a group an earlier one created: the earlier one
    [['clients.1.think=1s', 'clients.1.region=us-west'], '--set: clients.1.name: required field is missing (from clients.1.think=1s)'],
    // after the file is read: empirical samples, think time
    [['clients.0.think={dist: empirical, samples: [0]}'], '--set: clients.0.think: expected a think time whose typical draw is at least 1us (the clock ticks in microseconds; draws of 0us would never let time advance)'],
    // a sibling field the assignment made wrong
    [['clients.0.think.dist=empirical'], '--set: clients.0.think.mean: unknown field (expected one of: dist, samples, file, column) (from clients.0.think.dist=empirical)'],
  ];
  for (const [sets, line] of cases) assert.equal(withSets(...sets), line, sets.join(' '));
});

test('a problem the file has by itself still names the file, --set or not', () => {
  const both = YAML_TEXT.replace('    sessions: 500\n', '    sessions: 500\n    rate: 5\n');
  const line = 'x.yaml: clients.0: expected exactly one of sessions (closed loop) or rate (open loop), got both';
  assert.equal(inputErrorLine(() => parseScenarioText(both, 'x.yaml', dataFilesIn('.'))), line);
  assert.equal(inputErrorLine(() => parseScenarioText(both, 'x.yaml', dataFilesIn('.'), ['clients.0.think=2s'])), line);
  const badLag = YAML_TEXT.replace('lag: { dist: lognormal, median: 300ms, p99: 1.2s }', 'lag: fast');
  assert.equal(
    inputErrorLine(() => parseScenarioText(badLag, 'x.yaml', dataFilesIn('.'), ['clients.0.sessions=10', 'cluster.shards=2'])),
    'x.yaml: cluster.replicas.0.lag: expected a duration such as 300ms, 1.5s or 250us, got "fast"',
  );
});

test('CLI: --set cluster.bogus.x=1 and --set clients.1.think=1s name --set, exit 2', { skip: !BUILT && 'dist/ not built' }, () => {
  for (const [set, line] of [
    ['cluster.bogus.x=1', '--set: cluster.bogus: unknown field (expected one of: shards, leader, replicas, syncQuorum) (from cluster.bogus.x=1)'],
    ['clients.1.think=1s', '--set: clients.1.name: required field is missing (from clients.1.think=1s)'],
  ] as const) {
    const r = lagsim(['validate', 'scenarios/ghost-post.yaml', '--set', set]);
    assert.equal(r.stderr, `${line}\n`);
    assert.equal(r.status, ExitCode.badInput);
  }
});

// ---- 4. --strategy names its source ---------------------------------------------------------------

test('an unknown --strategy names --strategy and the known names; strategyFor takes a source', () => {
  const scenario = parseScenarioText(YAML_TEXT, 'x.yaml', dataFilesIn('.'));
  assert.equal(
    inputErrorLine(() => withStrategy(scenario, 'magic')),
    '--strategy: unknown strategy "magic" (expected one of: none, pin, fallback, token, sticky)',
  );
  assert.equal(withStrategy(scenario, 'pin').strategy.name, 'pin');
  assert.equal(
    inputErrorLine(() => withStrategy(scenario, 'magic', { file: '--baseline' })),
    '--baseline: unknown strategy "magic" (expected one of: none, pin, fallback, token, sticky)',
  );
  // without a source, as before: the path only (sweep adds --vary in front)
  assert.equal(inputErrorLine(() => strategyFor(scenario, 'magic')), 'strategy.name: unknown strategy "magic" (expected one of: none, pin, fallback, token, sticky)');
});

test('CLI: run --strategy magic is one line naming --strategy, exit 2', { skip: !BUILT && 'dist/ not built' }, () => {
  const r = lagsim(['run', 'scenarios/ghost-post.yaml', '--duration', '1s', '--strategy', 'magic']);
  assert.equal(r.stderr, '--strategy: unknown strategy "magic" (expected one of: none, pin, fallback, token, sticky)\n');
  assert.equal(r.status, ExitCode.badInput);
  assert.equal(r.stdout, '');
});

// ---- 5. the scenario name is a folder name -------------------------------------------------------

test('name may not leave or hide in results/: no / or \\, no leading dot, no control characters, at most 80', () => {
  const expected = (got: string) =>
    `--set: name: expected a name usable as a folder name (no / or \\, not starting with ".", no control or text-direction characters, at most 80 characters), got ${JSON.stringify(got)}`;
  for (const bad of ['../scratch/escaped', '..', '.', '.hidden', 'a/b', 'a\\b', '..\\up', 'nul\u0000byte', 'tab\there', 'line\nbreak', 'x'.repeat(81)]) {
    assert.equal(withSets(`name=${JSON.stringify(bad)}`), expected(bad), JSON.stringify(bad));
  }
  assert.equal(withSets('name=""'), '--set: name: expected a non-empty string');
  for (const good of ['ghost-post', 'Ghost post (v2)', 'a..b', 'v1.2', 'x'.repeat(80), 'читатели', '東京-レプリカ']) {
    assert.equal(parseScenarioText(YAML_TEXT, 'x.yaml', dataFilesIn('.'), [`name=${JSON.stringify(good)}`]).name, good);
  }
  const text = JSON.stringify(scenarioJsonSchema());
  assert.ok(text.includes(JSON.stringify(SCENARIO_NAME_RE.source)), 'the JSON Schema carries the pattern');
});

test('CLI: sweep with name=../scratch/escaped is one line, exit 2, and writes nothing', { skip: !BUILT && 'dist/ not built' }, () => {
  const outside = join(REPO_ROOT, 'scratch');
  const before = existsSync(outside);
  const r = lagsim(['sweep', 'scenarios/ghost-post.yaml', '--set', 'name=../scratch/escaped', '--vary', 'strategy.name=none,pin']);
  assert.equal(
    r.stderr,
    '--set: name: expected a name usable as a folder name (no / or \\, not starting with ".", no control or text-direction characters, at most 80 characters), got "../scratch/escaped"\n',
  );
  assert.equal(r.status, ExitCode.badInput);
  assert.equal(existsSync(outside), before);
});

// ---- 6. hostile values (issue 14) ------------------------------------------------------------------

test('YAML tags outside the core schema are refused with their place, in files and in --set', () => {
  assert.equal(
    inputErrorLine(() => parseScenarioText(YAML_TEXT.replace('name: ghost-post', 'name: !!binary aGk='), 'x.yaml', dataFilesIn('.'))),
    'x.yaml: line 1, column 7: unsupported YAML tag !!binary (scenarios are plain YAML)',
  );
  assert.equal(withSets('name=!!timestamp 2020-01-01'), '--set: name: value is not valid YAML: unsupported YAML tag !!timestamp (scenarios are plain YAML)');
  assert.equal(withSets('name=!foo bar'), '--set: name: value is not valid YAML: unsupported YAML tag !foo (scenarios are plain YAML)');
  assert.equal(parseScenarioText(YAML_TEXT, 'x.yaml', dataFilesIn('.'), ['name=!!str 12']).name, '12');
});

test('an empty file is the file\'s mistake, whatever --set adds', () => {
  assert.equal(
    inputErrorLine(() => parseScenarioText('', 'empty.yaml', dataFilesIn('.'), ['duration=1s'])),
    'empty.yaml: the file is empty (expected a scenario with name, duration, cluster and clients)',
  );
});

test('whole numbers beyond 2^53 and fields of an option-less strategy are said in words', () => {
  assert.equal(withSets('keyspace.count=-9007199254740992'), '--set: keyspace.count: expected a whole number of at most 2^53 − 1 in size, got -9007199254740992');
  assert.equal(withSets('keyspace.count=1e300'), '--set: keyspace.count: expected a whole number of at most 2^53 − 1 in size, got 1e+300');
  assert.equal(withSets('strategyOptions.none={x: 1}'), '--set: strategyOptions.none.x: unknown field (this takes no fields)');
});

test('weights are at most 1e9, so that their sums stay finite', () => {
  const mixture = 'cluster.replicas.0.lag={dist: mixture, of: [{weight: 1e308, dist: constant, value: 1ms}, {weight: 1e308, dist: constant, value: 2ms}]}';
  assert.equal(withSets(mixture), '--set: cluster.replicas.0.lag.of.0.weight: expected a number <= 1000000000, got 1e+308');
  assert.equal(withSets('clients.0.actions.0.weight=2e9'), '--set: clients.0.actions.0.weight: expected a number <= 1000000000, got 2000000000');
});
