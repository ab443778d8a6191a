import { maskSecrets } from './messages.js';

/** What a command was running, so that a failure can print the command that reproduces it. */
export interface RunContext {
  command: string;
  file?: string;
  /** Further arguments after the file (merge's shard files and folders). */
  inputs?: string[];
  seed?: number;
  /** The seeds of a command that runs many (compare, sweep, plan), as given. */
  seeds?: string;
  overrides: string[];
  strategy?: string;
  /** The command's other options as given, in order: each option, then its value if it takes one. */
  options?: string[];
  /** lagsim --max-operations, as given. */
  maxOperations?: string;
}

/** An argument as a POSIX shell reads it back: bare when it is safe, else in single quotes. */
export function quote(argument: string): string {
  return /^[\w@%+=:,./-]+$/.test(argument) ? argument : `'${argument.replace(/'/g, `'\\''`)}'`;
}

/** The options given, for RunContext.options: `--name value` for a string, `--name` for true, nothing when absent. */
export function givenOptions(options: readonly (readonly [name: string, value: string | boolean | readonly string[] | undefined])[]): string[] {
  const out: string[] = [];
  for (const [name, value] of options) {
    if (value === undefined || value === false) continue;
    if (value === true) out.push(name);
    else if (typeof value === 'string') out.push(name, value);
    else for (const item of value) out.push(name, item);
  }
  return out;
}

export function reproduceCommand(context: RunContext): string {
  const parts = ['npx', 'lagsim', context.command];
  if (context.maxOperations !== undefined) parts.push('--max-operations', quote(context.maxOperations));
  if (context.file !== undefined) parts.push(quote(context.file));
  for (const input of context.inputs ?? []) parts.push(quote(input));
  // A run's seed is given as --seed (the scenario's, or the one --seed/--set chose): drop seed= from --set.
  const sets = context.seed === undefined ? context.overrides : context.overrides.filter((o) => !o.startsWith('seed='));
  for (const assignment of sets) parts.push('--set', quote(assignment));
  if (context.strategy !== undefined) parts.push('--strategy', quote(context.strategy));
  if (context.seed !== undefined) parts.push('--seed', String(context.seed));
  for (const option of context.options ?? []) parts.push(quote(option));
  return maskSecrets(parts.join(' '));
}
