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
  // On a drift, say where: the first line that differs, or the first line one of them has and the other lacks.
  const currentLines = current.split('\n');
  const renderedLines = rendered.split('\n');
  let first = 0;
  while (first < Math.max(currentLines.length, renderedLines.length) && renderedLines[first] === currentLines[first]) first++;
  const show = (line: string | undefined): string => (line === undefined ? '(no such line)' : JSON.stringify(line));
  assert.equal(
    rendered,
    current,
    `docs/tutorial.md drifted at line ${first + 1} (rendered ${renderedLines.length} lines, doc has ${currentLines.length}):\n` +
      `  now:    ${show(renderedLines[first])}\n  in doc: ${show(currentLines[first])}\nrun npm run tutorial`,
  );
});
