import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scenarioJsonSchema } from '../../src/scenario/jsonSchema.js';
import { REPO_ROOT, shippedScenarios } from '../helpers/sim.js';

const TOP_LEVEL = [
  'name', 'description', 'seed', 'duration', 'warmup', 'keyspace', 'cluster', 'network',
  'clients', 'balancer', 'strategy', 'strategyOptions', 'faults', 'report', 'monitor', 'migrations',
];

test('the JSON Schema parses as JSON and has every top-level field', () => {
  const text = JSON.stringify(scenarioJsonSchema(), null, 2);
  const schema = JSON.parse(text) as {
    type: string;
    properties: Record<string, { description?: string }>;
    required: string[];
    additionalProperties: boolean;
    $defs: Record<string, unknown>;
  };
  assert.equal(schema.type, 'object');
  assert.deepStrictEqual(Object.keys(schema.properties).sort(), [...TOP_LEVEL].sort());
  for (const key of TOP_LEVEL) assert.ok(schema.properties[key]?.description, `description of ${key}`);
  assert.deepStrictEqual([...schema.required].sort(), ['clients', 'cluster', 'duration', 'name']);
  assert.equal(schema.additionalProperties, false);
  for (const def of ['Duration', 'Dist', 'MixtureComponent']) assert.ok(schema.$defs[def], `$defs.${def}`);
  // every $ref points at a definition that exists
  for (const m of text.matchAll(/"\$ref": "#\/\$defs\/([^"]+)"/g)) assert.ok(schema.$defs[m[1]!], `$defs.${m[1]}`);
});

test('the JSON Schema describes the input side (durations as strings, defaults)', () => {
  const schema = scenarioJsonSchema() as { properties: Record<string, Record<string, unknown>>; $defs: Record<string, Record<string, unknown>> };
  const duration = JSON.stringify(schema.$defs['Duration']);
  assert.match(duration, /"type":"string"/);
  assert.match(duration, /"type":"number"/);
  assert.equal(schema.properties['seed']!['default'], 1);
  const strategy = JSON.stringify(schema.properties['strategy']);
  for (const name of ['none', 'pin', 'fallback', 'token', 'sticky']) assert.match(strategy, new RegExp(`"const":"${name}"`));
});

test('schema/scenario.schema.json is what `lagsim schema` prints today (regenerate: npm run docs)', () => {
  const committed = readFileSync(join(REPO_ROOT, 'schema', 'scenario.schema.json'), 'utf8');
  assert.equal(committed, `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
});

test('the schema names itself without claiming a web domain', () => {
  const id = scenarioJsonSchema()['$id'];
  assert.equal(typeof id, 'string');
  assert.doesNotMatch(id as string, /^https?:/);
});

test('every shipped scenario points editors at the committed schema', () => {
  for (const file of shippedScenarios()) {
    const first = readFileSync(file, 'utf8').split('\n')[0];
    assert.equal(first, '# yaml-language-server: $schema=../schema/scenario.schema.json', file);
  }
});
