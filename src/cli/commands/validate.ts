import { loadScenario } from '../../run/load.js';
import { ExitCode } from '../../text/exitCodes.js';

/** `lagsim validate`: the scenario is valid (exit 0) or one line says where it is not (exit 2). */
export function validateCommand(file: string, overrides: string[]): ExitCode {
  const scenario = loadScenario(file, overrides);
  process.stdout.write(`${file}: valid scenario "${scenario.name}"\n`);
  return ExitCode.ok;
}
