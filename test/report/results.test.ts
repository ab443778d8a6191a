// The committed results/ are what `npm run results` makes today: every shipped scenario's sweep is
// run again (same arguments, from scripts/resultsPlan.ts) and must give byte-identical files.
// When the model changes on purpose, rerun `npm run results` and commit the new files.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { resultsPlan } from '../../scripts/resultsPlan.js';
import { REPO_ROOT, tempDir } from '../helpers/sim.js';
import { BUILT, lagsim, sameTree } from '../cli/sweepCli.js';

describe('results/', { skip: !BUILT && 'dist/ not built (npm test builds it)' }, () => {
  const plan = resultsPlan(REPO_ROOT);

  it('has a folder for every shipped scenario', () => {
    assert.ok(plan.length > 0);
    for (const run of plan) assert.ok(existsSync(join(REPO_ROOT, run.out, 'index.html')), `${run.out}/ is missing: run npm run results`);
  });

  for (const run of plan) {
    it(`${run.out}/ is byte-identical when regenerated`, () => {
      const { dir, cleanup } = tempDir();
      try {
        const out = join(dir, 'out');
        const r = lagsim(REPO_ROOT, ['sweep', run.file, ...run.args, '--out', out, '--jobs', String(availableParallelism())]);
        assert.equal(r.status, 0, r.stderr);
        const difference = sameTree(join(REPO_ROOT, run.out), out);
        assert.equal(difference, null, `${run.out}: ${difference} (if the model changed on purpose: npm run results)`);
      } finally {
        cleanup();
      }
    });
  }
});
