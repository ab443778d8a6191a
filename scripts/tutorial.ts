// Regenerates docs/tutorial.md from docs/tutorial.src.md: every `<!-- lagsim: ARGS -->` marker is
// followed by a fenced block holding what `lagsim ARGS` prints today (stdout), so the tutorial's
// numbers are generated, never typed. `--check` exits 1 when docs/tutorial.md is out of date.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../src/report/atomicWrite.js';
import { PROJECT_ROOT } from '../src/text/version.js';

const MARKER = /^<!-- lagsim: (.+) -->$/;

/** Splits a command line on spaces, keeping single-quoted parts together. */
function splitArgs(line: string): string[] {
  return (line.match(/'[^']*'|\S+/g) ?? []).map((part) => (part.startsWith("'") ? part.slice(1, -1) : part));
}

export function renderTutorial(source: string): string {
  const out: string[] = [];
  for (const line of source.split('\n')) {
    out.push(line);
    const match = MARKER.exec(line);
    if (!match) continue;
    const args = splitArgs(match[1]!);
    const result = spawnSync(process.execPath, [join(PROJECT_ROOT, 'bin', 'lagsim.js'), ...args], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    if (result.status !== 0) throw new Error(`lagsim ${match[1]} exited ${result.status}: ${result.stderr}`);
    out.push('```text', `$ npx lagsim ${match[1]}`, result.stdout.trimEnd(), '```');
  }
  return out.join('\n');
}

function main(): number {
  const source = readFileSync(join(PROJECT_ROOT, 'docs', 'tutorial.src.md'), 'utf8');
  const target = join(PROJECT_ROOT, 'docs', 'tutorial.md');
  const rendered = renderTutorial(source);
  if (process.argv.includes('--check')) {
    const current = readFileSync(target, 'utf8');
    if (current !== rendered) {
      process.stderr.write('docs/tutorial.md is out of date: run `npm run tutorial`\n');
      return 1;
    }
    return 0;
  }
  writeFileAtomic(target, rendered);
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) process.exitCode = main();
