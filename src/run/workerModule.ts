import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from '../text/version.js';

/**
 * A worker thread's script. Workers load compiled JavaScript: from dist/ it is `file` beside the
 * module at `from` (its import.meta.url); when that module runs from TypeScript sources (a
 * TypeScript loader), the compiled copy at `distPath` under dist/ (build first). `purpose` says
 * what needs it, in the error when it is missing.
 */
export function workerModuleUrl(from: string, file: string, distPath: readonly string[], purpose: string): URL {
  if (fileURLToPath(from).endsWith('.js')) return new URL(file, from);
  const compiled = join(PROJECT_ROOT, 'dist', ...distPath);
  if (!existsSync(compiled)) throw new Error(`${purpose} needs the compiled ${compiled}: run npx tsc -p tsconfig.json first`);
  return pathToFileURL(compiled);
}
