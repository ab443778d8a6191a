// The simulation path draws every random number from the run's named streams and reads time only
// from the simulated clock (semantics.md section 5): no Math.random, Date.now, performance.now,
// setTimeout or new Date (nor their close cousins) in src/engine, src/model, src/strategies and
// src/checks. The sources are parsed with the TypeScript compiler, so comments and strings that
// mention these names do not count, and aliases such as `globalThis.setTimeout` do.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { REPO_ROOT } from '../helpers/sim.js';

const SIMULATION_PATH = ['src/engine', 'src/model', 'src/strategies', 'src/checks'];

/** Member accesses that read the wall clock or an unseeded generator: object → members. */
const FORBIDDEN_MEMBERS: Record<string, string[]> = {
  Math: ['random'],
  Date: ['now'],
  performance: ['now'],
  process: ['hrtime', 'uptime'],
  crypto: ['randomUUID', 'getRandomValues', 'randomBytes', 'randomInt'],
};
/** Globals that schedule by wall-clock time. */
const FORBIDDEN_CALLS = new Set(['setTimeout', 'setInterval', 'setImmediate']);

/** Every forbidden use in `source`, as "line: what". */
function forbiddenUses(source: string, fileName = 'x.ts'): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const at = (node: ts.Node): number => file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
  const nameOf = (node: ts.Expression): string | undefined => {
    if (ts.isIdentifier(node)) return node.text;
    // globalThis.Math, window.setTimeout, …: look through the global object.
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && ['globalThis', 'window', 'global'].includes(node.expression.text)) {
      return node.name.text;
    }
    return undefined;
  };
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
      const object = nameOf(node.expression);
      const member = ts.isPropertyAccessExpression(node)
        ? node.name.text
        : ts.isStringLiteralLike(node.argumentExpression)
          ? node.argumentExpression.text
          : undefined;
      if (object !== undefined && member !== undefined && FORBIDDEN_MEMBERS[object]?.includes(member)) {
        found.push(`${at(node)}: ${object}.${member}`);
      }
      if (member !== undefined && FORBIDDEN_CALLS.has(member) && ts.isIdentifier(node.expression) && ['globalThis', 'window', 'global'].includes(node.expression.text)) {
        found.push(`${at(node)}: ${member}`);
      }
    } else if (ts.isIdentifier(node) && FORBIDDEN_CALLS.has(node.text)) {
      // A member or declared name (`x.setTimeout`, `{ setTimeout: 1 }`) is not the global.
      const isOwnName = (node.parent as { name?: ts.Node }).name === node;
      if (!isOwnName) found.push(`${at(node)}: ${node.text}`);
    } else if (ts.isNewExpression(node) && nameOf(node.expression) === 'Date') {
      found.push(`${at(node)}: new Date`);
    } else if (ts.isCallExpression(node) && nameOf(node.expression) === 'Date') {
      found.push(`${at(node)}: Date()`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

describe('lint: no wall clock and no unseeded randomness in the simulation path', () => {
  it('the scanner finds each forbidden form, and ignores comments, strings and unrelated names', () => {
    const bad = [
      'const a = Math.random();',
      'const b = Date.now();',
      'const c = performance.now();',
      'setTimeout(() => {}, 1);',
      'const d = new Date();',
      'const e = globalThis.setTimeout;',
      "const f = Math['random'];",
      'const g = new globalThis.Date(0);',
      'const h = process.hrtime.bigint();',
    ];
    bad.forEach((line) => assert.equal(forbiddenUses(line).length, 1, line));
    const clean = [
      '// Math.random() and Date.now() are banned here; so is setTimeout',
      '/* new Date() */ const s = "performance.now() in a string";',
      'const t = `Math.random ${1}`;',
      'const u = sim.nowUs; const v = stream(); const w = this.random; const x = session.setTimeout;',
      'interface P { setTimeout: number }',
    ];
    clean.forEach((line) => assert.deepEqual(forbiddenUses(line), [], line));
  });

  it(`finds none in ${SIMULATION_PATH.join(', ')}`, () => {
    const files = SIMULATION_PATH.flatMap((dir) => tsFiles(join(REPO_ROOT, dir)));
    assert.ok(files.length > 20, `only ${files.length} source files found`);
    const problems = files.flatMap((path) =>
      forbiddenUses(readFileSync(path, 'utf8'), path).map((use) => `${relative(REPO_ROOT, path)}:${use}`),
    );
    assert.deepEqual(problems, []);
  });
});
