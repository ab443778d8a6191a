// A short, seeded run of the CLI fuzzer in every `npm test` (the long run: npm run fuzz -- --cli).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { cliViolation, invocationArbitrary, type Invocation } from './cliArguments.js';
import { BUILT } from '../cli/sweepCli.js';

/** Findings of earlier runs, kept as regression cases. */
export const CLI_FOUND: readonly Invocation[] = [
  { command: 'probe', args: ['--primary', 'postgres://u:s3cretpw@/db'] },
  { command: 'run', args: ['small.yaml', '--history', 'small.yaml'] },
  { command: 'compare', args: ['small.yaml', '--seeds', '9007199254740993..9007199254740993'] },
  { command: 'validate', args: ['/dev/zero'] },
  { command: 'run', args: ['small.yaml', '--timeseries', 'out/t.csv', '--interval', '2us'] },
];

describe('fuzzing the command line: exit 0 or one line of refusal, no secret, input untouched', { skip: !BUILT && 'dist/ not built' }, () => {
  it('every finding of earlier runs stays fixed', () => {
    for (const invocation of CLI_FOUND) assert.equal(cliViolation(invocation), null, JSON.stringify(invocation));
  });

  it('30 seeded command lines', () => {
    fc.assert(
      fc.property(invocationArbitrary(), (invocation) => {
        const problem = cliViolation(invocation);
        assert.equal(problem, null, `lagsim ${invocation.command} ${JSON.stringify(invocation.args)}: ${problem}`);
      }),
      { seed: 14, numRuns: 30 },
    );
  });
});
