/**
 * The long fuzz run: `npm run fuzz -- --runs 5000 [--seed N] [--cli]`. Prints each finding (the mutation
 * and what went wrong) and a count; exits 1 when there is any. Add findings to FOUND in
 * test/fuzz/scenarioMutations.ts once fixed.
 */
import fc from 'fast-check';
import { mutationArbitrary, violation } from '../test/fuzz/scenarioMutations.js';
import { cliViolation, invocationArbitrary } from '../test/fuzz/cliArguments.js';

const argv = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const i = argv.indexOf(name);
  return i < 0 ? fallback : Number(argv[i + 1]);
};
const runs = option('--runs', 2000);
const seed = option('--seed', 1);
// --cli: command lines (each a process: about 0.3 s), instead of scenario mutations.
const cli = argv.includes('--cli');
const samples: unknown[] = cli ? fc.sample(invocationArbitrary(), { seed, numRuns: runs }) : fc.sample(mutationArbitrary(), { seed, numRuns: runs });
let findings = 0;
samples.forEach((mutation, i) => {
  const problem = cli ? cliViolation(mutation as Parameters<typeof cliViolation>[0]) : violation(mutation as Parameters<typeof violation>[0]);
  if (problem !== null) {
    findings++;
    process.stdout.write(`${JSON.stringify(mutation)}\n  ${problem}\n`);
  }
  if (process.stderr.isTTY && i % 50 === 0) process.stderr.write(`\rfuzz: ${i}/${runs}`);
});
process.stdout.write(`fuzz: ${runs} mutations (seed ${seed}), ${findings} findings\n`);
process.exitCode = findings === 0 ? 0 : 1;
