import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  StrategySchemas,
  strategyFor,
  validateScenario,
  type Dist,
  type Scenario,
} from '../../src/scenario/schema.js';
import { InputError } from '../../src/text/errors.js';

/** A minimal valid scenario document (as parsed from YAML). */
function minimal(): Record<string, any> {
  return {
    name: 'ghost-post',
    duration: '10m',
    cluster: {
      leader: { region: 'us-east' },
      replicas: [{ region: 'us-west', lag: '300ms' }],
    },
    network: { latency: { 'us-east/us-west': 35 } },
    clients: [
      {
        name: 'users',
        region: 'us-west',
        sessions: 500,
        think: { dist: 'exponential', mean: '3s' },
        actions: [
          { do: 'write', key: 'new' },
          { weight: 3, do: 'read', key: 'lastWritten' },
        ],
      },
    ],
  };
}

function errorOf(doc: unknown, file = 'x.yaml'): string {
  try {
    validateScenario(doc, file);
  } catch (e) {
    if (e instanceof InputError) return e.format();
    throw e;
  }
  assert.fail('expected an InputError');
}

function lagOf(lag: unknown): Dist {
  const doc = minimal();
  doc.cluster.replicas[0].lag = lag;
  return validateScenario(doc, 'x.yaml').cluster.replicas[0]!.lag;
}

test('a minimal scenario normalizes with every default', () => {
  const s = validateScenario(minimal(), 'x.yaml');
  const expected: Scenario = {
    name: 'ghost-post',
    seed: 1,
    duration: 600_000_000,
    warmup: 0,
    keyspace: { count: 1000, topicSize: 1, preload: true, placement: 'hash' },
    cluster: {
      shards: 1,
      leader: { region: 'us-east' },
      replicas: [
        {
          name: 'replica',
          region: 'us-west',
          count: 1,
          weight: 1,
          lag: { dist: 'constant', value: 300_000 },
          lagHold: 1_000_000,
        },
      ],
    },
    network: { latency: { 'us-east/us-west': { dist: 'constant', value: 35_000 } } },
    clients: [
      {
        name: 'users',
        region: 'us-west',
        sessions: 500,
        think: { dist: 'exponential', mean: 3_000_000 },
        ownKeys: 1,
        popularity: { kind: 'uniform' },
        order: 'random',
        actions: [
          { weight: 1, do: 'write', key: { kind: 'new' }, count: 1 },
          { weight: 3, do: 'read', key: { kind: 'lastWritten' }, count: 1 },
        ],
      },
    ],
    balancer: { policy: 'random', poll: 1_000_000 },
    strategy: { name: 'none' },
    strategyOptions: {},
    faults: { failoverTime: 5_000_000, duringFailover: 'fail', events: [] },
  };
  assert.deepStrictEqual(s, expected);
});

test('network defaults to no latencies when every region is the same', () => {
  const doc = minimal();
  delete doc.network;
  doc.cluster.replicas[0].region = 'us-east';
  doc.clients[0].region = 'us-east';
  assert.deepStrictEqual(validateScenario(doc, 'x.yaml').network, { latency: {} });
});

test('optional fields are kept and converted', () => {
  const doc = minimal();
  Object.assign(doc, { description: 'd', seed: 7, warmup: '30s' });
  doc.cluster.leader = { region: 'us-east', service: '1ms', concurrency: 4 };
  Object.assign(doc.cluster.replicas[0], { name: 'w', count: 2, weight: 0.5, lagHold: 0, apply: '250us', service: 2, concurrency: 16 });
  doc.balancer = { policy: 'weighted', maxLag: '1s', poll: '500ms' };
  const s = validateScenario(doc, 'x.yaml');
  assert.equal(s.description, 'd');
  assert.equal(s.seed, 7);
  assert.equal(s.warmup, 30_000_000);
  assert.deepStrictEqual(s.cluster.leader, { region: 'us-east', service: { dist: 'constant', value: 1000 }, concurrency: 4 });
  assert.deepStrictEqual(s.cluster.replicas[0], {
    name: 'w',
    region: 'us-west',
    count: 2,
    weight: 0.5,
    lag: { dist: 'constant', value: 300_000 },
    lagHold: 0,
    apply: { dist: 'constant', value: 250 },
    service: { dist: 'constant', value: 2000 },
    concurrency: 16,
  });
  assert.deepStrictEqual(s.balancer, { policy: 'weighted', maxLag: 1_000_000, poll: 500_000 });
});

test('every distribution normalizes to microseconds', () => {
  assert.deepStrictEqual(lagOf(300), { dist: 'constant', value: 300_000 });
  assert.deepStrictEqual(lagOf({ dist: 'constant', value: '1s' }), { dist: 'constant', value: 1_000_000 });
  assert.deepStrictEqual(lagOf({ dist: 'uniform', min: '100ms', max: '1s' }), { dist: 'uniform', min: 100_000, max: 1_000_000 });
  assert.deepStrictEqual(lagOf({ dist: 'exponential', mean: '250us' }), { dist: 'exponential', mean: 250 });
  assert.deepStrictEqual(lagOf({ dist: 'normal', mean: 300, sd: 50 }), { dist: 'normal', mean: 300_000, sd: 50_000 });
  assert.deepStrictEqual(lagOf({ dist: 'lognormal', median: '300ms', sigma: 0.5 }), { dist: 'lognormal', median: 300_000, sigma: 0.5 });
  assert.deepStrictEqual(lagOf({ dist: 'pareto', scale: '10ms', shape: 1.5 }), { dist: 'pareto', scale: 10_000, shape: 1.5 });
  assert.deepStrictEqual(lagOf({ dist: 'empirical', samples: [1, '2ms', '1.5s'] }), { dist: 'empirical', samples: [1000, 2000, 1_500_000] });
});

test('lognormal p99 becomes sigma = ln(p99/median)/z99', () => {
  const d = lagOf({ dist: 'lognormal', median: '300ms', p99: '1.2s' });
  assert.equal(d.dist, 'lognormal');
  if (d.dist !== 'lognormal') return;
  assert.equal(d.median, 300_000);
  assert.equal(d.sigma, Math.log(4) / 2.3263478740408408);
  assert.ok(Math.abs(d.sigma - 0.59591) < 1e-5);
  assert.ok(!('p99' in d));
});

test('mixture items are flattened {weight, ...Dist} and become {weight, dist}', () => {
  const d = lagOf({
    dist: 'mixture',
    of: [
      { weight: 0.95, dist: 'normal', mean: '300ms', sd: '50ms' },
      { weight: 0.05, dist: 'uniform', min: '2s', max: '8s' },
      { dist: 'mixture', of: [{ weight: 1, dist: 'constant', value: 1 }] },
    ],
  });
  assert.deepStrictEqual(d, {
    dist: 'mixture',
    of: [
      { weight: 0.95, dist: { dist: 'normal', mean: 300_000, sd: 50_000 } },
      { weight: 0.05, dist: { dist: 'uniform', min: 2_000_000, max: 8_000_000 } },
      { weight: 1, dist: { dist: 'mixture', of: [{ weight: 1, dist: { dist: 'constant', value: 1000 } }] } },
    ],
  });
});

test('key selectors, shared:NAME, popularity and open-loop groups', () => {
  const doc = minimal();
  doc.keyspace = { count: 100, topicSize: 4, preload: false, placement: 'position' };
  doc.clients[0] = {
    name: 'forum',
    region: 'us-west',
    rate: 2.5,
    think: '1s',
    ownKeys: 3,
    popularity: { zipf: 1.1 },
    order: 'cycle',
    actions: [
      { do: 'write', key: 'shared:counter' },
      { do: 'read', key: 'popular', count: 5 },
      { do: 'read', key: 'own' },
      { do: 'read', key: 'topic' },
      { do: 'write', key: 'topicHead' },
      { do: 'write', key: 'reply', weight: 0 },
    ],
  };
  const s = validateScenario(doc, 'x.yaml');
  assert.deepStrictEqual(s.keyspace, { count: 100, topicSize: 4, preload: false, placement: 'position' });
  const g = s.clients[0]!;
  assert.equal(g.rate, 2.5);
  assert.equal(g.steps, 1);
  assert.equal(g.sessions, undefined);
  assert.ok(!('sessions' in g));
  assert.deepStrictEqual(g.popularity, { kind: 'zipf', s: 1.1 });
  assert.equal(g.order, 'cycle');
  assert.deepStrictEqual(
    g.actions.map((a) => a.key),
    [{ kind: 'shared', name: 'counter' }, { kind: 'popular' }, { kind: 'own' }, { kind: 'topic' }, { kind: 'topicHead' }, { kind: 'reply' }],
  );
  assert.equal(g.actions[1]!.count, 5);
  doc.clients[0].steps = 4;
  assert.equal(validateScenario(doc, 'x.yaml').clients[0]!.steps, 4);
});

test('strategies normalize with their defaults', () => {
  const doc = minimal();
  const cases: Array<[unknown, unknown]> = [
    [{ name: 'none' }, { name: 'none' }],
    [{ name: 'pin' }, { name: 'pin', window: 2_000_000, scope: 'session' }],
    [{ name: 'pin', window: '5s', scope: 'request' }, { name: 'pin', window: 5_000_000, scope: 'request' }],
    [{ name: 'fallback' }, { name: 'fallback' }],
    [{ name: 'token' }, { name: 'token', mode: 'route', poll: 0, timeout: 1_000_000, track: 'writes' }],
    [{ name: 'token', mode: 'wait', timeout: '500ms', track: 'causal', poll: '100ms' }, { name: 'token', mode: 'wait', poll: 100_000, timeout: 500_000, track: 'causal' }],
    [{ name: 'sticky' }, { name: 'sticky', vnodes: 100, pinAfterWrite: null }],
    [{ name: 'sticky', vnodes: 10, pinAfterWrite: '1s' }, { name: 'sticky', vnodes: 10, pinAfterWrite: 1_000_000 }],
    [{ name: 'sticky', pinAfterWrite: false }, { name: 'sticky', vnodes: 100, pinAfterWrite: null }],
    [{ name: 'sticky', pinAfterWrite: 'off' }, { name: 'sticky', vnodes: 100, pinAfterWrite: null }],
  ];
  for (const [input, output] of cases) {
    doc.strategy = input;
    assert.deepStrictEqual(validateScenario(doc, 'x.yaml').strategy, output);
  }
  doc.strategyOptions = { token: { mode: 'wait' }, none: {} };
  assert.deepStrictEqual(validateScenario(doc, 'x.yaml').strategyOptions, {
    token: { mode: 'wait', poll: 0, timeout: 1_000_000, track: 'writes' },
    none: {},
  });
});

test('strategyFor: strategyOptions first, then a matching strategy, then defaults', () => {
  const doc = minimal();
  doc.strategy = { name: 'pin', window: '5s' };
  doc.strategyOptions = { token: { mode: 'wait', timeout: '500ms' }, pin: { window: '9s' } };
  const s = validateScenario(doc, 'x.yaml');
  // 1. from strategyOptions.<name> (even when strategy has the same name)
  assert.deepStrictEqual(strategyFor(s, 'token'), { name: 'token', mode: 'wait', poll: 0, timeout: 500_000, track: 'writes' });
  assert.deepStrictEqual(strategyFor(s, 'pin'), { name: 'pin', window: 9_000_000, scope: 'session' });
  // 2. from strategy when the name matches
  delete doc.strategyOptions.pin;
  const s2 = validateScenario(doc, 'x.yaml');
  assert.deepStrictEqual(strategyFor(s2, 'pin'), { name: 'pin', window: 5_000_000, scope: 'session' });
  // 3. defaults
  assert.deepStrictEqual(strategyFor(s2, 'sticky'), { name: 'sticky', vnodes: 100, pinAfterWrite: null });
  assert.deepStrictEqual(strategyFor(s2, 'fallback'), { name: 'fallback' });
  assert.deepStrictEqual(StrategySchemas.pin.parse({}), { window: 2_000_000, scope: 'session' });
  assert.throws(
    () => strategyFor(s2, 'tokn'),
    (e: unknown) =>
      e instanceof InputError &&
      e.format() === 'strategy.name: unknown strategy "tokn", did you mean "token"? (expected one of: none, pin, fallback, token, sticky)',
  );
});

test('bad input: exact one-line messages', () => {
  const cases: Array<[(d: Record<string, any>) => void, string]> = [
    [(d) => (d.cluster.replicas[0].lag = 'fast'), 'x.yaml: cluster.replicas.0.lag: expected a duration such as 300ms, 1.5s or 250us, got "fast"'],
    [(d) => (d.cluster.replicas[0].lag = '300'), 'x.yaml: cluster.replicas.0.lag: expected a duration such as 300ms, 1.5s or 250us, got "300"'],
    [(d) => (d.cluster.replicas[0].lag = '3 weeks'), 'x.yaml: cluster.replicas.0.lag: expected a duration such as 300ms, 1.5s or 250us, got "3 weeks"'],
    [(d) => (d.cluster.replicas[0].lag = -3), 'x.yaml: cluster.replicas.0.lag: expected a non-negative duration, got -3'],
    [(d) => (d.cluster.replicas[0].lag = Number.NaN), 'x.yaml: cluster.replicas.0.lag: expected a duration such as 300ms, 1.5s or 250us, got NaN'],
    [(d) => (d.cluster.replicas[0].lag = true), 'x.yaml: cluster.replicas.0.lag: expected a duration such as 300ms or a distribution such as {dist: exponential, mean: 3s}, got true'],
    [(d) => (d.cluster.replicas[0].lag = { dist: 'gauss' }), 'x.yaml: cluster.replicas.0.lag.dist: unknown distribution "gauss" (expected one of: constant, uniform, exponential, normal, lognormal, pareto, empirical, mixture)'],
    [(d) => (d.cluster.replicas[0].lag = { value: 3 }), 'x.yaml: cluster.replicas.0.lag.dist: required field is missing (expected one of: constant, uniform, exponential, normal, lognormal, pareto, empirical, mixture)'],
    [(d) => (d.cluster.replicas[0].lag = { dist: 'uniform', min: 3, max: 1 }), 'x.yaml: cluster.replicas.0.lag.max: expected max >= min (3 ms), got 1 ms'],
    [(d) => (d.cluster.replicas[0].lag = { dist: 'uniform', min: 3 }), 'x.yaml: cluster.replicas.0.lag.max: required field is missing'],
    [(d) => (d.cluster.replicas[0].lag = { dist: 'exponential', mean: 0 }), 'x.yaml: cluster.replicas.0.lag.mean: expected a duration greater than 0'],
    [(d) => (d.cluster.replicas[0].lag = { dist: 'lognormal', median: '300ms' }), 'x.yaml: cluster.replicas.0.lag: expected one of sigma or p99 (the spread of the lognormal)'],
    [(d) => (d.cluster.replicas[0].lag = { dist: 'lognormal', median: '300ms', sigma: 1, p99: '1s' }), 'x.yaml: cluster.replicas.0.lag.p99: give only one of sigma or p99, not both'],
    [(d) => (d.cluster.replicas[0].lag = { dist: 'lognormal', median: '300ms', p99: '200ms' }), 'x.yaml: cluster.replicas.0.lag.p99: expected p99 greater than median (300 ms), got 200 ms'],
    [(d) => (d.cluster.replicas[0].lag = { dist: 'pareto', scale: '1ms', shape: 0 }), 'x.yaml: cluster.replicas.0.lag.shape: expected a number > 0, got 0'],
    [(d) => (d.cluster.replicas[0].lag = { dist: 'empirical' }), 'x.yaml: cluster.replicas.0.lag: expected one of samples or file'],
    [(d) => (d.cluster.replicas[0].lag = { dist: 'empirical', samples: [1], file: 'a.csv' }), 'x.yaml: cluster.replicas.0.lag.file: give only one of samples or file, not both'],
    [(d) => (d.cluster.replicas[0].lag = { dist: 'empirical', samples: [1], column: 'lag' }), 'x.yaml: cluster.replicas.0.lag.column: column applies only with file'],
    [(d) => (d.cluster.replicas[0].lag = { dist: 'mixture', of: [{ weight: 0, dist: 'constant', value: 1 }] }), 'x.yaml: cluster.replicas.0.lag.of: weights sum to 0 (expected at least one positive weight)'],
    [(d) => (d.cluster.replicas[0].lag = { dist: 'mixture', of: [{ weight: -1, dist: 'constant', value: 1 }] }), 'x.yaml: cluster.replicas.0.lag.of.0.weight: expected a number >= 0, got -1'],
    [(d) => (d.cluster.replicas[0].lag = { dist: 'mixture', of: [{ weight: 1, dist: 'constant', value: 'x' }] }), 'x.yaml: cluster.replicas.0.lag.of.0.value: expected a duration such as 300ms, 1.5s or 250us, got "x"'],
    [(d) => (d.cluster.replicas[0].lag = { dist: 'mixture', of: [{ weight: 1, dist: 'constant', value: 1, p99: 2 }] }), 'x.yaml: cluster.replicas.0.lag.of.0.p99: unknown field (expected one of: dist, value, weight)'],
    [(d) => delete d.cluster.replicas[0].lag, 'x.yaml: cluster.replicas.0.lag: required field is missing'],
    [(d) => (d.cluster.replicas = []), 'x.yaml: cluster.replicas: expected at least one replica group'],
    [(d) => (d.cluster.replicas[0].weight = -1), 'x.yaml: cluster.replicas.0.weight: expected a number >= 0, got -1'],
    [(d) => (d.cluster.replicas[0].count = 0), 'x.yaml: cluster.replicas.0.count: expected a whole number >= 1, got 0'],
    [(d) => (d.cluster.replicas[0].count = 1.5), 'x.yaml: cluster.replicas.0.count: expected a whole number, got 1.5'],
    [(d) => (d.cluster.replicas[0].region = 'us/west'), 'x.yaml: cluster.replicas.0.region: expected a region name without "/" or spaces, got "us/west"'],
    [(d) => d.cluster.replicas.push({ region: 'us-west', lag: 1 }), 'x.yaml: cluster.replicas.1.name: duplicate replica group name "replica" (names must be unique)'],
    [(d) => (d.clients[0].thinkk = '1s'), 'x.yaml: clients.0.thinkk: unknown field, did you mean "think"? (expected one of: name, region, sessions, rate, steps, schedule, interpolate, arrivals, think, ownKeys, popularity, order, actions, reactions)'],
    [
      (d) => {
        d.clients[0].thinkk = d.clients[0].think;
        delete d.clients[0].think;
      },
      'x.yaml: clients.0.thinkk: unknown field, did you mean "think"? (expected one of: name, region, sessions, rate, steps, schedule, interpolate, arrivals, think, ownKeys, popularity, order, actions, reactions)',
    ],
    [(d) => (d.faultz = {}), 'x.yaml: faultz: unknown field, did you mean "faults"? (expected one of: name, description, seed, duration, warmup, keyspace, cluster, network, clients, balancer, strategy, strategyOptions, faults, report, monitor, migrations)'],
    [(d) => (d.faults = { events: [{ at: '1s', crash: 'replica-0-9' }] }), 'x.yaml: faults.events.0.crash: unknown node "replica-0-9" (expected one of: leader-0, replica-0-1)'],
    [(d) => (d.faults = { events: [{ at: '1s', pause: 'leader-0' }] }), 'x.yaml: faults.events.0.pause: "leader-0" is a leader: pause applies to replicas (crash a leader instead)'],
    [(d) => (d.faults = { events: [{ crash: 'leader-0' }] }), 'x.yaml: faults.events.0: expected one of at (a time) or every (a distribution of times between occurrences)'],
    [(d) => (d.faults = { events: [{ at: '1s', partition: ['us-east', 'mars'], for: '1s' }] }), 'x.yaml: faults.events.0.partition.1: unknown region "mars" (expected one of: us-east, us-west)'],
    [(d) => (d.clients = []), 'x.yaml: clients: expected at least one client group'],
    [(d) => (d.clients[0].actions = []), 'x.yaml: clients.0.actions: expected at least one action'],
    [(d) => (d.clients[0].actions = [{ do: 'read', key: 'own', weight: 0 }]), 'x.yaml: clients.0.actions: weights sum to 0 (expected at least one positive weight)'],
    [(d) => (d.clients[0].actions[0].weight = -2), 'x.yaml: clients.0.actions.0.weight: expected a number >= 0, got -2'],
    [(d) => (d.clients[0].actions[0].do = 'update'), 'x.yaml: clients.0.actions.0.do: expected one of: read, write, got "update"'],
    [(d) => (d.clients[0].actions[1].key = 'popluar'), 'x.yaml: clients.0.actions.1.key: unknown key selector "popluar" (expected one of: new, own, lastWritten, popular, topic, topicHead, reply, shared:NAME)'],
    [(d) => (d.clients[0].actions[1].key = 'shared:'), 'x.yaml: clients.0.actions.1.key: unknown key selector "shared:" (expected one of: new, own, lastWritten, popular, topic, topicHead, reply, shared:NAME)'],
    [(d) => (d.clients[0].actions[1].count = 3), 'x.yaml: clients.0.actions.1.count: count applies only to key: popular (key: lastWritten picks its keys itself)'],
    [(d) => (d.clients[0].actions[0] = { do: 'write', key: 'topic' }), 'x.yaml: clients.0.actions.0.key: a write touches one key, but key: topic selects a whole topic (use topicHead or reply)'],
    [(d) => (d.clients[0].actions[0] = { do: 'write', key: 'popular', count: 2 }), 'x.yaml: clients.0.actions.0.count: a write touches one key (expected count 1)'],
    [(d) => (d.clients[0].popularity = 'zipf'), 'x.yaml: clients.0.popularity: expected uniform or {zipf: S} with S > 0, got "zipf"'],
    [(d) => (d.clients[0].popularity = { zipf: 0 }), 'x.yaml: clients.0.popularity.zipf: expected a number > 0, got 0'],
    [(d) => (d.clients[0].rate = 3), 'x.yaml: clients.0: expected exactly one of sessions (closed loop) or rate (open loop), got both'],
    [(d) => delete d.clients[0].sessions, 'x.yaml: clients.0: expected exactly one of sessions (closed loop) or rate (open loop), got neither'],
    [(d) => (d.clients[0].steps = 3), 'x.yaml: clients.0.steps: steps applies only to open-loop groups (with rate)'],
    [(d) => (d.clients[0].think = 0), 'x.yaml: clients.0.think: expected a think time whose typical draw is at least 1us (the clock ticks in microseconds; draws of 0us would never let time advance)'],
    [(d) => (d.clients[0].think = { dist: 'normal', mean: 0, sd: 0 }), 'x.yaml: clients.0.think: expected a think time whose typical draw is at least 1us (the clock ticks in microseconds; draws of 0us would never let time advance)'],
    [(d) => delete d.clients[0].think, 'x.yaml: clients.0.think: required field is missing'],
    [(d) => d.clients.push({ ...d.clients[0] }), 'x.yaml: clients.1.name: duplicate client group name "users" (names must be unique)'],
    [(d) => (d.strategy = { name: 'tokn' }), 'x.yaml: strategy.name: unknown strategy "tokn", did you mean "token"? (expected one of: none, pin, fallback, token, sticky)'],
    [(d) => (d.strategy = { window: '2s' }), 'x.yaml: strategy.name: required field is missing (expected one of: none, pin, fallback, token, sticky)'],
    [(d) => (d.strategy = 'pin'), 'x.yaml: strategy: expected a mapping such as {name: pin, window: 2s}, got "pin"'],
    [(d) => (d.strategy = { name: 'pin', timeout: 3 }), 'x.yaml: strategy.timeout: unknown field (expected one of: name, window, scope)'],
    [(d) => (d.strategy = { name: 'token', mode: 'block' }), 'x.yaml: strategy.mode: expected one of: route, wait, leader, got "block"'],
    [(d) => (d.strategy = { name: 'sticky', pinAfterWrite: 'fast' }), 'x.yaml: strategy.pinAfterWrite: expected a duration such as 500ms, or off, got "fast"'],
    [(d) => (d.strategyOptions = { tokn: {} }), 'x.yaml: strategyOptions.tokn: unknown field, did you mean "token"? (expected one of: none, pin, fallback, token, sticky)'],
    [(d) => (d.strategyOptions = { pin: { name: 'pin' } }), 'x.yaml: strategyOptions.pin.name: unknown field (expected one of: window, scope)'],
    [(d) => (d.network.latency = {}), 'x.yaml: network.latency: missing latency pair us-west/us-east (client group "users" talks across these regions; either order works)'],
    [(d) => (d.network.latency = { 'us-west/us-east': 1, 'us-east/us-west': 2 }), 'x.yaml: network.latency.us-east/us-west: same region pair as us-west/us-east (latency is symmetric: give it once)'],
    [(d) => (d.network.latency = { 'us-east-us-west': 1 }), 'x.yaml: network.latency.us-east-us-west: expected a region pair such as us-east/us-west, got "us-east-us-west"'],
    [(d) => (d.network.latency['us-east/us-west'] = 'far'), 'x.yaml: network.latency.us-east/us-west: expected a duration such as 300ms, 1.5s or 250us, got "far"'],
    [(d) => (d.seed = -1), 'x.yaml: seed: expected a whole number >= 0, got -1'],
    [(d) => (d.seed = 'abc'), 'x.yaml: seed: expected a number, got "abc"'],
    [(d) => delete d.duration, 'x.yaml: duration: required field is missing'],
    [(d) => (d.duration = 0), 'x.yaml: duration: expected a duration greater than 0'],
    [(d) => delete d.name, 'x.yaml: name: required field is missing'],
    [(d) => (d.name = ''), 'x.yaml: name: expected a non-empty string'],
    [(d) => (d.balancer = { policy: 'fastest' }), 'x.yaml: balancer.policy: expected one of: random, round-robin, least-outstanding, weighted, got "fastest"'],
    [(d) => (d.balancer = { poll: 0 }), 'x.yaml: balancer.poll: expected a duration greater than 0'],
    [(d) => (d.keyspace = { count: 4, topicSize: 8 }), 'x.yaml: keyspace.topicSize: expected topicSize <= keyspace.count (4), got 8'],
    [(d) => (d.keyspace = { preload: 'yes' }), 'x.yaml: keyspace.preload: expected true or false, got "yes"'],
    [(d) => (d.cluster = []), 'x.yaml: cluster: expected a mapping, got a list'],
  ];
  for (const [mutate, message] of cases) {
    const doc = minimal();
    mutate(doc);
    assert.equal(errorOf(doc), message);
  }
});

test('a document that is not a mapping', () => {
  assert.equal(errorOf(null), 'x.yaml: the file is empty (expected a scenario with name, duration, cluster and clients)');
  assert.equal(errorOf([1]), 'x.yaml: expected a scenario: a mapping with name, duration, cluster and clients, got a list');
});

test('errors under a --set path are attributed to --set', () => {
  const doc = minimal();
  doc.cluster.replicas[0].lag = 'fast';
  assert.throws(
    () => validateScenario(doc, 'x.yaml', ['cluster.replicas.0.lag']),
    (e: unknown) => e instanceof InputError && e.format() === '--set: cluster.replicas.0.lag: expected a duration such as 300ms, 1.5s or 250us, got "fast"',
  );
  assert.throws(
    () => validateScenario(doc, 'x.yaml', ['cluster.replicas.0.lagHold']),
    (e: unknown) => e instanceof InputError && e.file === 'x.yaml' && e.path === 'cluster.replicas.0.lag',
  );
});
