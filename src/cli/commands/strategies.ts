import { optionHelp } from '../../strategies/base.js';
import { strategies } from '../../strategies/index.js';
import { ExitCode } from '../../text/exitCodes.js';

/** `lagsim strategies`: each strategy with its options, defaults, guarantee and cost. */
export function strategiesCommand(): ExitCode {
  const lines: string[] = [];
  for (const entry of Object.values(strategies)) {
    lines.push(`${entry.name}: ${entry.summary}`);
    lines.push(`  guarantee: ${entry.guarantee}`);
    lines.push(`  cost:      ${entry.cost}`);
    for (const option of optionHelp(entry)) lines.push(`  ${option.name} (default: ${option.default}): ${option.help}`);
    lines.push('');
  }
  process.stdout.write(lines.join('\n'));
  return ExitCode.ok;
}
