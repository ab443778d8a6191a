// `lagsim validate`, `lagsim strategies` and `lagsim schema` end to end, from dist/: validate says one
// exact line on a valid file (exit 0) and on an invalid one (exit 2); strategies lists every
// strategy of the registry with its summary, guarantee, cost and options; schema prints a JSON
// Schema that every shipped scenario satisfies (checked with a small validator of the keywords the
// generated schema uses, which refuses any other keyword rather than skip it).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename, relative } from 'node:path';
import YAML from 'yaml';
import { ExitCode } from '../../src/text/exitCodes.js';
import { messages } from '../../src/text/messages.js';
import { scenarioJsonSchema } from '../../src/scenario/jsonSchema.js';
import { ScenarioSchema } from '../../src/scenario/schema.js';
import { strategies } from '../../src/strategies/index.js';
import { optionHelp } from '../../src/strategies/base.js';
import { REPO_ROOT, shippedScenarios, tempDir } from '../helpers/sim.js';
import { BUILT, lagsim, SMALL_SCENARIO, writeSmallScenario } from './sweepCli.js';

describe('lagsim validate', { skip: !BUILT && 'dist/ not built (npm test builds it)' }, () => {
  for (const path of shippedScenarios()) {
    const file = relative(REPO_ROOT, path);
    it(`accepts ${basename(path)}: one line naming it, exit 0`, () => {
      const { name } = YAML.parse(readFileSync(path, 'utf8')) as { name: string };
      const r = lagsim(REPO_ROOT, ['validate', file]);
      assert.equal(r.status, ExitCode.ok, r.stderr);
      assert.equal(r.stdout, `${file}: valid scenario "${name}"\n`);
      assert.equal(r.stderr, '');
    });
  }

  const invalid: [what: string, text: string, set: string[], line: string][] = [
    ['a bad field in the file', SMALL_SCENARIO.replace(/^duration: 20s$/m, 'duration: soon'), [], `small.yaml: duration: ${messages.expectedDuration('soon')}`],
    [
      'a bad --set',
      SMALL_SCENARIO,
      ['--set', 'cluster.replicas.0.lag.median=-5ms'],
      `--set: cluster.replicas.0.lag.median: ${messages.negativeDuration('-5ms')}`,
    ],
    ['a file that is not a scenario', '- just\n- a list\n', [], `small.yaml: ${messages.expectedScenarioMapping([])}`],
  ];
  for (const [what, text, set, line] of invalid) {
    it(`refuses ${what}: one line, exit 2`, () => {
      const { dir, cleanup } = tempDir();
      try {
        const file = writeSmallScenario(dir, text);
        const r = lagsim(dir, ['validate', file, ...set]);
        assert.equal(r.status, ExitCode.badInput, r.stderr);
        assert.equal(r.stderr.trim(), line);
        assert.equal(r.stdout, '');
      } finally {
        cleanup();
      }
    });
  }
});

describe('lagsim strategies', { skip: !BUILT && 'dist/ not built (npm test builds it)' }, () => {
  it('lists every registered strategy, in the registry’s order, with its summary, guarantee, cost and options', () => {
    const r = lagsim(REPO_ROOT, ['strategies']);
    assert.equal(r.status, ExitCode.ok, r.stderr);
    assert.equal(r.stderr, '');
    const entries = Object.values(strategies);
    assert.ok(entries.length >= 5, `${entries.length} strategies registered`);
    // The unindented lines are the strategies, one each, in the registry's order.
    const heads = r.stdout.split('\n').filter((line) => line !== '' && !line.startsWith(' '));
    assert.deepEqual(heads, entries.map((entry) => `${entry.name}: ${entry.summary}`));
    // Each strategy's block, as the registry describes it.
    for (const entry of entries) {
      const block = [
        `${entry.name}: ${entry.summary}`,
        `  guarantee: ${entry.guarantee}`,
        `  cost:      ${entry.cost}`,
        ...optionHelp(entry).map((option) => `  ${option.name} (default: ${option.default}): ${option.help}`),
      ].join('\n');
      assert.ok(`${r.stdout}\n`.includes(`${block}\n\n`), `the block of ${entry.name}:\n${block}\n--- in ---\n${r.stdout}`);
      // One definition: every option's help and default are read off the schema the scenario validates with.
      for (const option of optionHelp(entry)) {
        assert.notEqual(option.default, 'required', `${entry.name}.${option.name} has a default`);
        assert.ok(option.help.length > 10 && (entry.options.shape as Record<string, { description?: string }>)[option.name]!.description!.startsWith(option.help));
      }
    }
  });
});

type JsonSchema = Record<string, unknown>;

/** Keywords that describe and never constrain. */
const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', 'default', 'examples', '$defs']);

/**
 * The errors of `value` against `schema` (empty: valid), for the JSON Schema keywords that `lagsim
 * schema` uses; any other keyword is an error of the test (it would otherwise be ignored silently).
 */
function schemaErrors(value: unknown, schema: JsonSchema | boolean, root: JsonSchema, at = '$'): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${at}: not allowed`];
  const errors: string[] = [];
  const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
  for (const [keyword, arg] of Object.entries(schema)) {
    if (ANNOTATIONS.has(keyword)) continue;
    switch (keyword) {
      case '$ref': {
        const match = /^#\/\$defs\/(.+)$/.exec(arg as string);
        if (match === null) throw new Error(`${at}: unsupported $ref ${String(arg)}`);
        const target = (root['$defs'] as Record<string, JsonSchema>)[match[1]!];
        if (target === undefined) throw new Error(`${at}: $ref to a missing definition ${String(arg)}`);
        errors.push(...schemaErrors(value, target, root, at));
        break;
      }
      case 'type': {
        const types = Array.isArray(arg) ? (arg as string[]) : [arg as string];
        const fits = (type: string): boolean => {
          if (type === 'object') return isObject;
          if (type === 'array') return Array.isArray(value);
          if (type === 'null') return value === null;
          if (type === 'integer') return Number.isInteger(value);
          return typeof value === type;
        };
        if (!types.some(fits)) errors.push(`${at}: expected ${types.join(' or ')}, got ${JSON.stringify(value)}`);
        break;
      }
      case 'properties':
        if (isObject) {
          for (const [key, sub] of Object.entries(arg as Record<string, JsonSchema>)) {
            if (key in value) errors.push(...schemaErrors((value as Record<string, unknown>)[key], sub, root, `${at}.${key}`));
          }
        }
        break;
      case 'additionalProperties':
        if (isObject) {
          const known = Object.keys((schema['properties'] as Record<string, unknown> | undefined) ?? {});
          for (const [key, sub] of Object.entries(value)) {
            if (!known.includes(key)) errors.push(...schemaErrors(sub, arg as JsonSchema | boolean, root, `${at}.${key}`));
          }
        }
        break;
      case 'propertyNames':
        if (isObject) for (const key of Object.keys(value)) errors.push(...schemaErrors(key, arg as JsonSchema, root, `${at}[${key}]`));
        break;
      case 'required':
        if (isObject) for (const key of arg as string[]) if (!(key in value)) errors.push(`${at}: missing ${key}`);
        break;
      case 'items':
        if (Array.isArray(value)) {
          const skip = ((schema['prefixItems'] as unknown[] | undefined) ?? []).length;
          value.slice(skip).forEach((item, i) => errors.push(...schemaErrors(item, arg as JsonSchema | boolean, root, `${at}[${skip + i}]`)));
        }
        break;
      case 'prefixItems':
        if (Array.isArray(value)) {
          (arg as JsonSchema[]).forEach((sub, i) => {
            if (i < value.length) errors.push(...schemaErrors(value[i], sub, root, `${at}[${i}]`));
          });
        }
        break;
      case 'minItems':
        if (Array.isArray(value) && value.length < (arg as number)) errors.push(`${at}: fewer than ${String(arg)} items`);
        break;
      case 'maxItems':
        if (Array.isArray(value) && value.length > (arg as number)) errors.push(`${at}: more than ${String(arg)} items`);
        break;
      case 'minLength':
        if (typeof value === 'string' && [...value].length < (arg as number)) errors.push(`${at}: shorter than ${String(arg)}`);
        break;
      case 'maxLength':
        if (typeof value === 'string' && [...value].length > (arg as number)) errors.push(`${at}: longer than ${String(arg)}`);
        break;
      case 'pattern':
        if (typeof value === 'string' && !new RegExp(arg as string, 'u').test(value)) errors.push(`${at}: ${value} does not match ${String(arg)}`);
        break;
      case 'minimum':
        if (typeof value === 'number' && value < (arg as number)) errors.push(`${at}: ${value} < ${String(arg)}`);
        break;
      case 'maximum':
        if (typeof value === 'number' && value > (arg as number)) errors.push(`${at}: ${value} > ${String(arg)}`);
        break;
      case 'exclusiveMinimum':
        if (typeof value === 'number' && value <= (arg as number)) errors.push(`${at}: ${value} <= ${String(arg)}`);
        break;
      case 'exclusiveMaximum':
        if (typeof value === 'number' && value >= (arg as number)) errors.push(`${at}: ${value} >= ${String(arg)}`);
        break;
      case 'const':
        if (JSON.stringify(value) !== JSON.stringify(arg)) errors.push(`${at}: expected ${JSON.stringify(arg)}`);
        break;
      case 'enum':
        if (!(arg as unknown[]).some((option) => JSON.stringify(option) === JSON.stringify(value))) {
          errors.push(`${at}: expected one of ${JSON.stringify(arg)}, got ${JSON.stringify(value)}`);
        }
        break;
      case 'anyOf':
      case 'oneOf': {
        const branches = (arg as JsonSchema[]).map((sub) => schemaErrors(value, sub, root, at));
        const passed = branches.filter((b) => b.length === 0).length;
        if (keyword === 'anyOf' ? passed === 0 : passed !== 1) {
          errors.push(`${at}: ${passed} of the ${keyword} branches match (${branches.map((b) => b[0] ?? 'ok').join(' | ')})`);
        }
        break;
      }
      default:
        throw new Error(`${at}: the test's validator does not know the keyword ${keyword}`);
    }
  }
  return errors;
}

describe('lagsim schema', { skip: !BUILT && 'dist/ not built (npm test builds it)' }, () => {
  const r = BUILT ? lagsim(REPO_ROOT, ['schema']) : { status: null, stdout: '{}', stderr: '' };

  it('prints the generated JSON Schema of scenario files: every field of the scenario format, and no other', () => {
    assert.equal(r.status, ExitCode.ok, r.stderr);
    assert.equal(r.stderr, '');
    const schema = JSON.parse(r.stdout) as JsonSchema;
    assert.equal(r.stdout, `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
    assert.equal(schema['$schema'], 'https://json-schema.org/draft/2020-12/schema');
    assert.equal(schema['type'], 'object');
    assert.deepEqual(Object.keys(schema['properties'] as JsonSchema), Object.keys(ScenarioSchema.in.shape));
    assert.equal(schema['additionalProperties'], false);
  });

  const parsed = (): JsonSchema => JSON.parse(r.stdout) as JsonSchema;
  for (const path of shippedScenarios()) {
    it(`accepts ${basename(path)}`, () => {
      const schema = parsed();
      assert.deepEqual(schemaErrors(YAML.parse(readFileSync(path, 'utf8')), schema, schema), []);
    });
  }

  it('refuses what the scenario format refuses (the validator above can say no)', () => {
    const schema = parsed();
    const good = YAML.parse(SMALL_SCENARIO) as Record<string, unknown>;
    assert.deepEqual(schemaErrors(good, schema, schema), []);
    const { clients: _clients, ...noClients } = good;
    for (const [what, bad] of [
      ['an unknown field', { ...good, colour: 'blue' }],
      ['no clients', noClients],
      ['a duration that is no duration', { ...good, duration: true }],
      ['an unknown strategy', { ...good, strategy: { name: 'bogus' } }],
    ] as const) {
      assert.notDeepEqual(schemaErrors(bad, schema, schema), [], what);
    }
  });
});
