// npm's `prepare`: builds dist/ from the TypeScript sources, unless it is already built from them.
// npm runs `prepare` on `npm install`, and again the first time `npx lagsim` is used in this folder
// (npx links the folder into its cache as a dependency and prepares it): rebuilding then cost ten
// seconds and deleted the dist/ that any lagsim already running was loading. So the build is skipped
// when no source is newer than the last one. Plain JavaScript: it runs before anything is compiled.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'dist', '.built');
// What tsconfig.json compiles, and what decides how.
const inputs = ['src', 'test', 'bench', 'scripts', 'tsconfig.json', 'package.json', 'package-lock.json'];

/** The newest modification time under `path` (a file or a folder), 0 if it does not exist. */
function newestMs(path) {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMs(join(path, entry)));
  return newest;
}

const builtMs = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
if (builtMs > 0 && Math.max(...inputs.map((input) => newestMs(join(root, input)))) < builtMs) process.exit(0);

rmSync(join(root, 'dist'), { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const build = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
writeFileSync(stamp, '');
