import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSamplesCsv, parseScenarioText } from '../../src/scenario/parse.js';
import { dataFilesIn, loadScenario } from '../../src/run/load.js';
import { inputErrorLine } from '../helpers/inputError.js';
import { YAML_TEXT } from '../helpers/scenarioText.js';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'lagsim-scenario-'));
}

test('loads YAML and JSON files', () => {
  const dir = tmp();
  writeFileSync(join(dir, 's.yaml'), YAML_TEXT);
  const s = loadScenario(join(dir, 's.yaml'));
  assert.equal(s.name, 'ghost-post');
  assert.equal(s.duration, 600_000_000);
  assert.equal(s.cluster.replicas[0]!.name, 'us-west');
  const json = {
    name: 'j',
    duration: 1000,
    cluster: { leader: { region: 'a' }, replicas: [{ region: 'a', lag: 5 }] },
    clients: [{ name: 'c', region: 'a', sessions: 1, think: '1s', actions: [{ do: 'read', key: 'own' }] }],
  };
  writeFileSync(join(dir, 's.json'), JSON.stringify(json));
  assert.equal(loadScenario(join(dir, 's.json')).duration, 1_000_000);
});

test('missing file', () => {
  assert.equal(inputErrorLine(() => loadScenario('missing.yaml')), 'missing.yaml: file not found');
});

test('malformed YAML gives line and column', () => {
  const text = 'name: x\nduration: 10m\ncluster:\n    leader: {region: a\n';
  assert.equal(
    inputErrorLine(() => parseScenarioText(text, 'x.yaml', dataFilesIn('.'))),
    'x.yaml: line 5, column 1: Flow map in block collection must be sufficiently indented and end with a }',
  );
  assert.equal(inputErrorLine(() => parseScenarioText('a: 1\na: 2\n', 'x.yaml', dataFilesIn('.'))), 'x.yaml: line 2, column 1: Map keys must be unique');
  assert.equal(
    inputErrorLine(() => parseScenarioText('a: 1\n---\nb: 2\n', 'x.yaml', dataFilesIn('.'))),
    'x.yaml: line 2, column 1: expected one YAML document, found several (---)',
  );
  assert.equal(inputErrorLine(() => parseScenarioText('', 'x.yaml', dataFilesIn('.'))), 'x.yaml: the file is empty (expected a scenario with name, duration, cluster and clients)');
});

test('validation errors carry the file name', () => {
  const text = YAML_TEXT.replace('median: 300ms', 'median: fast');
  assert.equal(
    inputErrorLine(() => parseScenarioText(text, 'scenarios/x.yaml', dataFilesIn('.'))),
    'scenarios/x.yaml: cluster.replicas.0.lag.median: expected a duration such as 300ms, 1.5s or 250us, got "fast"',
  );
});

test('--set overrides are applied before validation', () => {
  const s = parseScenarioText(YAML_TEXT, 'x.yaml', dataFilesIn('.'), [
    'cluster.replicas.0.lag=500ms',
    'strategy={name: token, track: session}',
    'clients.0.sessions=10',
  ]);
  assert.deepStrictEqual(s.cluster.replicas[0]!.lag, { dist: 'constant', value: 500_000 });
  assert.deepStrictEqual(s.strategy, { name: 'token', mode: 'route', poll: 0, timeout: 1_000_000, track: 'session' });
  assert.equal(s.clients[0]!.sessions, 10);
  assert.equal(
    inputErrorLine(() => parseScenarioText(YAML_TEXT, 'x.yaml', dataFilesIn('.'), ['cluster.replicas.0.lag=fast'])),
    '--set: cluster.replicas.0.lag: expected a duration such as 300ms, 1.5s or 250us, got "fast"',
  );
  assert.equal(
    inputErrorLine(() => parseScenarioText(YAML_TEXT, 'x.yaml', dataFilesIn('.'), ['strategy={name: tokn}'])),
    '--set: strategy.name: unknown strategy "tokn", did you mean "token"? (expected one of: none, pin, fallback, token, sticky)',
  );
  assert.equal(
    inputErrorLine(() => parseScenarioText(YAML_TEXT, 'x.yaml', dataFilesIn('.'), ['cluster.replicas.3.lag=1s'])),
    '--set: cluster.replicas.3.lag: index 3 is past the end of cluster.replicas (1 item)',
  );
});

test('empirical file: one column, a named column, relative to the scenario folder', () => {
  const dir = tmp();
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'data', 'lag.csv'), '120\n80.5\n\n300\n');
  writeFileSync(join(dir, 'data', 'wide.csv'), 'time,replay_lag\n1,10\n2,\n3,"20"\n');
  const text = YAML_TEXT.replace(
    'lag: { dist: lognormal, median: 300ms, p99: 1.2s }',
    'lag: { dist: mixture, of: [{weight: 1, dist: empirical, file: data/lag.csv}, {weight: 1, dist: empirical, file: data/wide.csv, column: replay_lag}] }',
  );
  writeFileSync(join(dir, 's.yaml'), text);
  const s = loadScenario(join(dir, 's.yaml'));
  assert.deepStrictEqual(s.cluster.replicas[0]!.lag, {
    dist: 'mixture',
    of: [
      { weight: 1, dist: { dist: 'empirical', file: 'data/lag.csv', samples: [120_000, 80_500, 300_000] } },
      { weight: 1, dist: { dist: 'empirical', file: 'data/wide.csv', column: 'replay_lag', samples: [10_000, 20_000] } },
    ],
  });
});

test('empirical file errors', () => {
  const dir = tmp();
  writeFileSync(join(dir, 'empty.csv'), 'replay_lag\n\n');
  const scenario = (lag: string) => {
    const path = join(dir, 's.yaml');
    writeFileSync(path, YAML_TEXT.replace('lag: { dist: lognormal, median: 300ms, p99: 1.2s }', `lag: ${lag}`));
    return path;
  };
  const p1 = scenario('{ dist: empirical, file: lag.csv }');
  assert.equal(inputErrorLine(() => loadScenario(p1)), `${p1}: cluster.replicas.0.lag.file: file not found: lag.csv`);
  const p2 = scenario('{ dist: empirical, file: empty.csv }');
  assert.equal(inputErrorLine(() => loadScenario(p2)), `${p2}: cluster.replicas.0.lag.file: no numbers in empty.csv`);
  const p3 = scenario('{ dist: empirical, file: empty.csv, column: lag }');
  assert.equal(inputErrorLine(() => loadScenario(p3)), `${p3}: cluster.replicas.0.lag.file: no column "lag" in empty.csv (columns: replay_lag)`);
});

test('parseSamplesCsv', () => {
  assert.deepStrictEqual(parseSamplesCsv('ms\n1\n2.5\n', 'a.csv'), [1000, 2500]);
  assert.deepStrictEqual(parseSamplesCsv('\uFEFF1\r\n2\r\n', 'a.csv'), [1000, 2000]);
  assert.throws(() => parseSamplesCsv('a,b\n1,2\n', 'a.csv'), { message: 'a.csv has 2 columns (pick one with column: NAME)' });
  assert.throws(() => parseSamplesCsv('1\nabc\n', 'a.csv'), { message: 'a.csv line 2: expected a number of milliseconds, got "abc"' });
  assert.throws(() => parseSamplesCsv('1\n-3\n', 'a.csv'), { message: 'a.csv line 2: expected a non-negative number of milliseconds, got -3' });
  assert.throws(() => parseSamplesCsv('', 'a.csv'), { message: 'no numbers in a.csv' });
});

test('a think time read from a file must have a positive mean', () => {
  const dir = tmp();
  writeFileSync(join(dir, 'zero.csv'), '0\n0\n');
  const path = join(dir, 's.yaml');
  writeFileSync(path, YAML_TEXT.replace('think: { dist: exponential, mean: 3s }', 'think: { dist: empirical, file: zero.csv }'));
  assert.equal(inputErrorLine(() => loadScenario(path)), `${path}: clients.0.think: expected a think time whose typical draw is at least 1us (the clock ticks in microseconds; draws of 0us would never let time advance)`);
});
