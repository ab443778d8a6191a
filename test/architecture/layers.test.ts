// The architecture as a test: dependencies point inward (docs/architecture.md), and the core
// (engine, model, strategies, checks, metrics, scenario, text/messages) imports no Node module, so
// the same simulator runs in a browser Web Worker (the playground).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { REPO_ROOT } from '../helpers/sim.js';

/** A folder of src/ may import only from folders of a lower rank (and from itself). */
export const LAYER_RANK: Record<string, number> = {
  text: 0,
  engine: 1,
  model: 2,
  strategies: 3,
  checks: 4,
  metrics: 5,
  scenario: 5,
  report: 6,
  run: 7,
  real: 7,
  playground: 8,
  cli: 9,
};
const CORE = ['engine', 'model', 'strategies', 'checks', 'metrics', 'scenario'];

const SRC = join(REPO_ROOT, 'src');
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));

/** Every module specifier of a source: static imports, re-exports and dynamic import(). */
export function specifiers(source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    found.push((m[1] ?? m[2] ?? m[3]) as string);
  }
  return found;
}

const layerOf = (file: string): string => relative(SRC, file).split(/[\\/]/)[0] as string;
const resolveTs = (from: string, spec: string): string => resolve(dirname(from), spec).replace(/\.js$/, '.ts');

describe('architecture', () => {
  const all = files(SRC);

  it('reads the specifiers of every import form', () => {
    assert.deepEqual(specifiers("import a from 'x';\nimport { b,\n c } from \"../y.js\";\nexport * from './z.js';\nimport 'side';\nconst m = await import('node:fs');"), ['x', '../y.js', './z.js', 'side', 'node:fs']);
  });

  it('has every folder of src/ in the layer table', () => {
    assert.deepEqual([...new Set(all.map(layerOf))].filter((l) => !l.endsWith('.ts') && !(l in LAYER_RANK)), []);
  });

  it('imports only inward: no folder imports from a folder of its own rank or above', () => {
    const upward: string[] = [];
    for (const file of all) {
      const from = layerOf(file);
      for (const spec of specifiers(readFileSync(file, 'utf8'))) {
        if (!spec.startsWith('.')) continue;
        const to = layerOf(resolveTs(file, spec));
        if (to !== from && !((LAYER_RANK[to] ?? Infinity) < (LAYER_RANK[from] ?? -1))) upward.push(`${relative(REPO_ROOT, file)} -> ${spec}`);
      }
    }
    assert.deepEqual(upward, []);
  });

  it('keeps the core platform-neutral: nothing it reaches imports a node: module', () => {
    const reached = new Set<string>();
    const pending = all.filter((f) => CORE.includes(layerOf(f)));
    const offenders: string[] = [];
    while (pending.length > 0) {
      const file = pending.pop() as string;
      if (reached.has(file)) continue;
      reached.add(file);
      for (const spec of specifiers(readFileSync(file, 'utf8'))) {
        if (spec.startsWith('node:') || ['fs', 'path', 'os', 'worker_threads', 'child_process'].includes(spec)) offenders.push(`${relative(REPO_ROOT, file)} imports ${spec}`);
        else if (spec.startsWith('.')) pending.push(resolveTs(file, spec));
      }
    }
    assert.ok(reached.size > 50, `the walk reached ${reached.size} modules`);
    assert.deepEqual(offenders, []);
  });
});
