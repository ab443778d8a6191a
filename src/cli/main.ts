import { Command, CommanderError, Option, type OptionValues } from 'commander';
import { InputError } from '../text/errors.js';
import { ExitCode } from '../text/exitCodes.js';
import { givenOptions, reproduceCommand, type RunContext } from '../text/reproduce.js';
import { COMMANDS } from './commands/index.js';
import type { OptionSpec } from './options.js';
import { LAGSIM_VERSION } from '../text/version.js';
import { maskSecrets, messages } from '../text/messages.js';
import { LivelockError } from '../engine/simulation.js';
import { parseMaxOperations, setMaxOperations } from '../run/load.js';
import { DEFAULT_MAX_OPERATIONS } from '../scenario/workBudget.js';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Commander's "error: ...\n(Did you mean X?)" as one line: "error: ... (did you mean X?)". */
export function oneLineError(text: string): string {
  return text.replace(/\n\(Did you mean (.*)\?\)\n?$/, ' (did you mean $1?)\n');
}

/** An option's help: its description, then its default as "(default: X)" unless it has none to show (an empty list). */
function describeOption(option: Option): string {
  const value: unknown = option.defaultValue;
  const shown = option.defaultValueDescription ?? (value === undefined || (Array.isArray(value) && value.length === 0) ? undefined : String(value));
  return shown === undefined ? option.description : `${option.description} (default: ${shown})`;
}

/** A command's option for commander: flags, help, default, and a list for a repeatable one. */
function commanderOption(spec: OptionSpec): Option {
  const option = new Option(spec.flags, spec.help);
  if (spec.repeatable) option.argParser(collect).default([]);
  else if (spec.defaultValue !== undefined) option.default(spec.defaultValue);
  if (spec.required) option.makeOptionMandatory();
  return option;
}

/** The options a reproduce line repeats as given (RunContext.options), in the command's order. */
function reproducedOptions(options: readonly (readonly [OptionSpec, Option])[], values: OptionValues): string[] {
  const repeated = options.filter(([spec]) => spec.reproduce);
  return givenOptions(repeated.map(([, option]) => [option.long!, values[option.attributeName()] as string | boolean | string[] | undefined]));
}

/** The program: the global options, then every command of the table (commands/index.ts). */
function program(context: RunContext, finished: (code: ExitCode) => void): Command {
  const root = new Command('lagsim')
    .description('Deterministic simulator of read replicas, replication lag and the routing strategies that hide it')
    .version(LAGSIM_VERSION)
    .exitOverride()
    // "Did you mean" for a mistyped command or option, on the error's own line (bad input is one line).
    .showSuggestionAfterError(true)
    .configureOutput({ outputError: (text, write) => write(oneLineError(text)) })
    // One format for defaults: "(default: X)", whether commander knows X or the description says it.
    .configureHelp({ optionDescription: describeOption })
    .option('--max-operations <n>', 'refuse a run estimated to start more operations (with the steps its periods add: faults, polls, stalls) than this, e.g. 1e9 (see the estimate in the refusal)', String(DEFAULT_MAX_OPERATIONS))
    .hook('preAction', () => {
      const given = root.getOptionValueSource('maxOperations') === 'cli' ? (root.opts()['maxOperations'] as string) : undefined;
      if (given === undefined) return;
      setMaxOperations(parseMaxOperations(given));
      context.maxOperations = given;
    });
  for (const spec of COMMANDS) {
    const command = root.command(spec.name).description(spec.description);
    if (spec.argument !== undefined) command.argument(...spec.argument);
    const options = spec.options.map((option) => [option, commanderOption(option)] as const);
    for (const [, option] of options) command.addOption(option);
    command.action(async (...args: unknown[]) => {
      const argument = spec.argument === undefined ? undefined : (args[0] as string | string[]);
      const values = (spec.argument === undefined ? args[0] : args[1]) as OptionValues;
      context.command = spec.name;
      if (typeof argument === 'string') context.file = argument;
      else if (argument !== undefined) context.inputs = argument;
      context.options = reproducedOptions(options, values);
      finished(await spec.run(argument, values, context));
    });
  }
  return root;
}

/** Runs one command line; resolves to the process exit code. */
export async function main(argv: readonly string[]): Promise<ExitCode> {
  const context: RunContext = { command: '', overrides: [] };
  let exitCode: ExitCode = ExitCode.ok;
  try {
    await program(context, (code) => (exitCode = code)).parseAsync(argv as string[]);
    return exitCode;
  } catch (error) {
    return reportFailure(error, context);
  }
}

/** Errors of the machine, not of lagsim nor of the input: what they mean, in one line. */
const ENVIRONMENT_CODES: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
};

function environmentRefusal(error: unknown): string | null {
  if (!(error instanceof Error)) return null;
  const e = error as NodeJS.ErrnoException;
  // An error from a worker thread arrives as its message only ("ENOSPC: no space left on device, write").
  const code = e.code ?? /^(E[A-Z]+):/.exec(e.message)?.[1];
  if (code === undefined || !(code in ENVIRONMENT_CODES)) return null;
  return messages.environmentFailure(e.path ?? '', ENVIRONMENT_CODES[code]!, code);
}

function reportFailure(error: unknown, context: RunContext): ExitCode {
  if (error instanceof CommanderError) {
    // Commander has already printed its one line (or the help text). Help asked for (--help, `help`)
    // is a success; help shown because no command was given (`lagsim` alone) is bad input.
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return ExitCode.ok;
    if (error.code === 'commander.help') return error.exitCode === 0 ? ExitCode.ok : ExitCode.badInput;
    return ExitCode.badInput;
  }
  if (error instanceof InputError) {
    process.stderr.write(`${maskSecrets(error.format())}\n`);
    return ExitCode.badInput;
  }
  const refusal = environmentRefusal(error);
  if (refusal !== null) {
    process.stderr.write(`${maskSecrets(refusal)}\n`);
    return ExitCode.environment;
  }
  if (error instanceof LivelockError) {
    process.stderr.write(`${messages.livelock(context.file ?? 'the scenario', error.atUs)}\n`);
    return ExitCode.badInput;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`lagsim: internal error: ${maskSecrets(message)}\n`);
  if (context.command !== '') {
    const seed = context.seed !== undefined ? `seed ${context.seed}` : context.seeds !== undefined ? `seeds ${context.seeds}` : "the scenario's seed";
    process.stderr.write(`${seed}; reproduce with: ${reproduceCommand(context)}\n`);
  }
  if (process.env['LAGSIM_DEBUG'] && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  return ExitCode.internalError;
}
