/**
 * The JSON Schema of scenario files (`lagsim schema`), generated from the same zod schema that
 * validates them, describing what a file may contain (the input side: durations as numbers of
 * milliseconds or strings with units, shorthands allowed, defaults shown).
 */
import { z } from 'zod';
import { ScenarioSchema } from './schema.js';

export function scenarioJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(ScenarioSchema, {
    io: 'input',
    target: 'draft-2020-12',
    unrepresentable: 'any',
    reused: 'inline',
    cycles: 'ref',
  }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    // A URN: the schema names itself without claiming a web domain the project does not own.
    $id: 'urn:lagsim:scenario',
    title: 'lagsim scenario',
    description:
      'A lagsim scenario: one simulated system (leaders, lagging read replicas, network) and its workload. ' +
      'A duration is a number of milliseconds or a string with a unit (250us, 300ms, 1.5s, 5m, 1h).',
    ...rest,
  };
}
