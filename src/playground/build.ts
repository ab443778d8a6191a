/**
 * Builds the playground: one self-contained index.html (page script, worker script, shipped
 * scenarios and Vega inlined; no request at run time), bundled with esbuild from src/playground/.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { strategyNames } from '../strategies/index.js';

export interface PlaygroundBuild {
  html: string;
  /** Bytes of the page's and the worker's scripts (minified, before gzip). */
  pageBytes: number;
  workerBytes: number;
}

/**
 * TEMPORARY (until issue 14 moves node:fs reading out of the core): the core's node: imports
 * (scenario/load.ts, report/historyWriter.ts) are reached but never called in the page — no
 * history file, no empirical file on disk — so each resolves to an empty CommonJS module; a call
 * would throw "not a function" rather than do anything.
 */
const nodeStub: Plugin = {
  name: 'node-stub',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: 'node-stub' }));
    b.onLoad({ filter: /.*/, namespace: 'node-stub' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};

/** text/version.ts finds package.json on disk; the page gets the same version as a constant. */
function versionConstant(version: string): Plugin {
  return {
    name: 'lagsim-version',
    setup(b) {
      b.onResolve({ filter: /\/version\.js$/ }, (args) =>
        args.importer.includes(`${join('src', 'text')}`) || args.path.includes('text/version') ? { path: 'version', namespace: 'lagsim-version' } : undefined,
      );
      b.onLoad({ filter: /.*/, namespace: 'lagsim-version' }, () => ({
        contents: `export const LAGSIM_VERSION = ${JSON.stringify(version)}; export const PROJECT_ROOT = '';`,
        loader: 'js',
      }));
    },
  };
}

async function bundle(entry: string, version: string, define: Record<string, string>): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
    define,
    plugins: [nodeStub, versionConstant(version)],
  });
  return result.outputFiles[0]!.text;
}

/** `</script` cannot appear inside an inline script; `<\/script` means the same in JS strings and regexes. */
function inlineSafe(code: string): string {
  return code.replace(/<\/(script)/gi, '<\\/$1');
}

/** The shipped scenarios, by name (file name without .yaml). */
export function shippedScenarios(projectRoot: string): Record<string, string> {
  const folder = join(projectRoot, 'scenarios');
  const out: Record<string, string> = {};
  for (const file of readdirSync(folder).filter((f) => f.endsWith('.yaml')).sort()) out[file.replace(/\.yaml$/, '')] = readFileSync(join(folder, file), 'utf8');
  return out;
}

export async function buildPlayground(projectRoot: string, version: string): Promise<PlaygroundBuild> {
  const source = join(projectRoot, 'src', 'playground');
  const worker = inlineSafe(await bundle(join(source, 'worker.ts'), version, {}));
  const page = inlineSafe(
    await bundle(join(source, 'page.ts'), version, {
      LAGSIM_SCENARIOS: JSON.stringify(shippedScenarios(projectRoot)),
      LAGSIM_STRATEGIES: JSON.stringify(strategyNames),
    }),
  );
  const shell = readFileSync(join(source, 'index.html'), 'utf8');
  const html = shell
    .replace('<!--LAGSIM_VERSION-->', () => version)
    .replace('/*WORKER*/', () => worker)
    .replace('/*PAGE*/', () => page);
  return { html, pageBytes: Buffer.byteLength(page), workerBytes: Buffer.byteLength(worker) };
}
