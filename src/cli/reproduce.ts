/** What a command was running, so that a failure can print the command that reproduces it. */
export interface RunContext {
  command: string;
  file?: string;
  seed?: number;
  overrides: string[];
  strategy?: string;
}

function quote(argument: string): string {
  return /^[\w@%+=:,./-]+$/.test(argument) ? argument : `'${argument.replace(/'/g, `'\\''`)}'`;
}

export function reproduceCommand(context: RunContext): string {
  const parts = ['npx', 'lagsim', context.command];
  if (context.file !== undefined) parts.push(quote(context.file));
  const sets = context.overrides.filter((o) => !o.startsWith('seed='));
  for (const assignment of sets) parts.push('--set', quote(assignment));
  if (context.strategy !== undefined) parts.push('--strategy', context.strategy);
  if (context.seed !== undefined) parts.push('--seed', String(context.seed));
  return parts.join(' ');
}
