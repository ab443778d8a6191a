/**
 * `npm run results`: regenerates results/<scenario>/ for every scenario in scenarios/ (see
 * resultsPlan.ts), one sweep after the other, each on every core. Outputs are byte-identical from
 * one machine and run to the next, so a diff in results/ after this is a change in the model.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../src/text/version.js';
import { resultsPlan } from './resultsPlan.js';

const only = process.argv.slice(2);
const plan = resultsPlan(PROJECT_ROOT).filter((run) => only.length === 0 || only.some((name) => run.file.includes(name)));
let failed = 0;
for (const run of plan) {
  const argv = [join(PROJECT_ROOT, 'bin', 'lagsim.js'), 'sweep', run.file, ...run.args, '--out', run.out, '--jobs', String(availableParallelism())];
  process.stderr.write(`\n$ lagsim ${argv.slice(1).join(' ')}\n`);
  const child = spawnSync(process.execPath, argv, { cwd: PROJECT_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (child.status !== 0) {
    failed++;
    process.stderr.write(`results: ${run.file} failed (exit ${child.status ?? child.signal})\n`);
  }
}
process.stderr.write(`\nresults: ${plan.length - failed} of ${plan.length} scenarios regenerated in results/\n`);
process.exitCode = failed === 0 ? 0 : 1;
