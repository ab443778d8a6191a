// The tutorial's outputs are generated: this fails when what the commands print today drifts from
// docs/tutorial.md (regenerate with `npm run tutorial`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderTutorial } from '../../scripts/tutorial.js';
import { REPO_ROOT } from '../helpers/sim.js';

test('docs/tutorial.md shows what its commands print today', () => {
  const source = readFileSync(join(REPO_ROOT, 'docs', 'tutorial.src.md'), 'utf8');
  const current = readFileSync(join(REPO_ROOT, 'docs', 'tutorial.md'), 'utf8');
  const rendered = renderTutorial(source);
  const currentLines = current.split('\n');
  const renderedLines = rendered.split('\n');
  const first = renderedLines.findIndex((line, i) => line !== currentLines[i]);
  assert.equal(first, -1, `docs/tutorial.md drifted at line ${first + 1}:\n  now:    ${renderedLines[first]}\n  in doc: ${currentLines[first]}\nrun npm run tutorial`);
});
