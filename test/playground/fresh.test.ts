// The committed page (docs/playground/index.html) is built from src/ and scenarios/: it must be what
// a build gives today, or the page would run an older simulator than `lagsim run`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildPlayground } from '../../src/playground/build.js';
import { LAGSIM_VERSION } from '../../src/text/version.js';
import { REPO_ROOT } from '../helpers/sim.js';

test('docs/playground/index.html is what `npm run playground` builds today', async () => {
  const { html } = await buildPlayground(REPO_ROOT, LAGSIM_VERSION);
  const committed = readFileSync(join(REPO_ROOT, 'docs', 'playground', 'index.html'), 'utf8');
  assert.ok(html === committed, 'docs/playground/index.html is stale: regenerate it with npm run playground');
});
