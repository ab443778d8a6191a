import { scenarioJsonSchema } from '../../scenario/jsonSchema.js';
import { ExitCode } from '../../text/exitCodes.js';

/** `lagsim schema`: the JSON Schema of scenario files, generated from the schema that validates them. */
export function schemaCommand(): ExitCode {
  process.stdout.write(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
  return ExitCode.ok;
}
