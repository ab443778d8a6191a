// The simulation path draws every random number from the run's named streams and reads time only
// from the simulated clock (semantics.md section 5): no Math.random, Date.now, performance.now,
// setTimeout or new Date (nor their close cousins) in src/engine, src/model, src/strategies,
// src/checks and src/metrics, nor in any module that simulate() (src/run/pipeline.ts) or a sweep's
// task (src/run/sweep/task.ts) imports, directly or not, for its code (the scenario, the history,
// the summary, …). The sources are parsed with the TypeScript compiler, so comments and strings that
// mention these names do not count, and aliases such as `globalThis.setTimeout` do.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { REPO_ROOT } from '../helpers/sim.js';

const SIMULATION_DIRS = ['src/engine', 'src/model', 'src/strategies', 'src/checks', 'src/metrics'];
/** Where a run starts: everything these import for its code runs inside the simulation too. */
const SIMULATION_ENTRIES = ['src/run/pipeline.ts', 'src/run/sweep/task.ts'];

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

/** The project modules `source` imports or re-exports for their code (`import type` runs nothing), as paths relative to `from`'s folder. */
function runtimeImports(source: string, fileName = 'x.ts'): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const add = (specifier: ts.Expression | undefined): void => {
    if (specifier !== undefined && ts.isStringLiteralLike(specifier) && specifier.text.startsWith('.')) {
      found.push(specifier.text.replace(/\.js$/, '.ts'));
    }
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && node.importClause?.isTypeOnly !== true) add(node.moduleSpecifier);
    else if (ts.isExportDeclaration(node) && !node.isTypeOnly) add(node.moduleSpecifier);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node.arguments[0]);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** Every project source that `entries` load, themselves included, following runtime imports. */
function importClosure(entries: readonly string[]): string[] {
  const seen = new Set<string>();
  const queue = entries.map((entry) => join(REPO_ROOT, entry));
  for (let path = queue.pop(); path !== undefined; path = queue.pop()) {
    if (seen.has(path)) continue;
    seen.add(path);
    for (const imported of runtimeImports(readFileSync(path, 'utf8'), path)) queue.push(resolve(dirname(path), imported));
  }
  return [...seen].sort();
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

  it('follows imports and re-exports for their code, not for their types', () => {
    const source = [
      "import { a } from './a.js';",
      "import b, { type B } from '../b.js';",
      "import type { C } from './c.js';",
      "export { d } from './d.js';",
      "export * from './e.js';",
      "export type { F } from './f.js';",
      "import { readFileSync } from 'node:fs';",
      "const g = await import('./g.js');",
    ].join('\n');
    assert.deepEqual(runtimeImports(source), ['./a.ts', '../b.ts', './d.ts', './e.ts', './g.ts']);
  });

  it('the scanned files include what simulate() runs outside the simulation folders', () => {
    const loaded = importClosure(SIMULATION_ENTRIES).map((path) => relative(REPO_ROOT, path));
    for (const path of [
      'src/run/pipeline.ts',
      'src/run/sweep/lagSampler.ts',
      'src/metrics/collector.ts',
      'src/report/historyWriter.ts',
      'src/report/summary.ts',
      'src/scenario/buildModel.ts',
      'src/engine/random.ts',
    ]) {
      assert.ok(loaded.includes(path), `${path} is loaded by ${SIMULATION_ENTRIES.join(' or ')}`);
    }
  });

  it(`finds none in ${SIMULATION_DIRS.join(', ')} and what ${SIMULATION_ENTRIES.join(' and ')} import`, () => {
    const files = [...new Set([...SIMULATION_DIRS.flatMap((dir) => tsFiles(join(REPO_ROOT, dir))), ...importClosure(SIMULATION_ENTRIES)])];
    assert.ok(files.length > 20, `only ${files.length} source files found`);
    const problems = files.flatMap((path) =>
      forbiddenUses(readFileSync(path, 'utf8'), path).map((use) => `${relative(REPO_ROOT, path)}:${use}`),
    );
    assert.deepEqual(problems, []);
  });
});
