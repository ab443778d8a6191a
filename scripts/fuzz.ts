/**
 * The long fuzz run: `npm run fuzz -- --runs 5000 [--seed N] [--fields K] [--hang-seconds S] [--cli]`. Prints each finding
 * (the mutation and what went wrong) and a count; exits 1 when there is any. Add findings to FOUND in
 * test/fuzz/scenarioMutations.ts once fixed.
 *
 * Scenario mutations run in a worker thread (scripts/fuzzWorker.ts) watched from here: one that has
 * not answered after --hang-seconds (default 60) is stopped and reported as a hang, and the run goes on in a fresh
 * worker. `--fields K` changes K fields of one scenario at once (default 1), which reaches
 * combinations one field cannot (a fault that lasts for ever *and* recurs every microsecond).
 */
import fc from 'fast-check';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { mutationsArbitrary, type Mutation } from '../test/fuzz/scenarioMutations.js';
import { cliViolation, invocationArbitrary } from '../test/fuzz/cliArguments.js';

const argv = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const i = argv.indexOf(name);
  return i < 0 ? fallback : Number(argv[i + 1]);
};
const runs = option('--runs', 2000);
const seed = option('--seed', 1);
const fields = option('--fields', 1);
// A mutated scenario runs 2 simulated seconds under a work budget of seconds: far longer is a hang.
const hangSeconds = option('--hang-seconds', 60);
// --cli: command lines (each a process: about 0.3 s, with its own time-out), instead of scenario mutations.
const cli = argv.includes('--cli');

let findings = 0;
const report = (mutation: unknown, problem: string): void => {
  findings++;
  process.stdout.write(`${JSON.stringify(mutation)}\n  ${problem}\n`);
};
const progress = (i: number): void => {
  if (process.stderr.isTTY && i % 50 === 0) process.stderr.write(`\rfuzz: ${i}/${runs}`);
};

if (cli) {
  fc.sample(invocationArbitrary(), { seed, numRuns: runs }).forEach((invocation, i) => {
    const problem = cliViolation(invocation);
    if (problem !== null) report(invocation, problem);
    progress(i);
  });
  finish();
} else {
  const samples = fc.sample(mutationsArbitrary(fields), { seed, numRuns: runs });
  const workerUrl = new URL('./fuzzWorker.js', import.meta.url);
  let worker = new Worker(fileURLToPath(workerUrl));
  let timer: NodeJS.Timeout | null = null;
  const next = (i: number): void => {
    progress(i);
    if (i === samples.length) {
      void worker.terminate();
      return finish();
    }
    const mutations: Mutation[] = samples[i]!;
    const shown = mutations.length === 1 ? mutations[0] : mutations;
    worker.removeAllListeners('message');
    worker.once('message', (answer: { index: number; problem: string | null }) => {
      clearTimeout(timer!);
      if (answer.problem !== null) report(shown, answer.problem);
      next(i + 1);
    });
    timer = setTimeout(() => {
      report(shown, `a hang: no answer after ${hangSeconds} s`);
      void worker.terminate();
      worker = new Worker(fileURLToPath(workerUrl));
      next(i + 1);
    }, hangSeconds * 1000);
    worker.postMessage({ index: i, mutations });
  };
  next(0);
}

function finish(): void {
  process.stdout.write(`fuzz: ${runs} ${cli ? 'command lines' : fields === 1 ? 'mutations' : `mutations of ${fields} fields`} (seed ${seed}), ${findings} findings\n`);
  process.exitCode = findings === 0 ? 0 : 1;
}
