/**
 * Where sweep, compare, plan and merge write when no --out is given: a fresh folder
 * `lagsim-out/<scenario>-<command>-<n>/` under the working directory, never a folder that holds
 * committed files (results/ is regenerated only by `npm run results`, which passes --out). n is one
 * more than the highest n already there, so the folders of successive runs sort in the order they
 * were made and a run never writes into an earlier run's folder — except an interrupted sweep's:
 * when the highest folder holds nothing but a sweep checkpoint, the rerun resumes there (the
 * checkpoint is reused only by the very same sweep; see sweep/checkpoint.ts).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PARTIAL_DIR } from '../run/sweep/checkpoint.js';

export const DEFAULT_OUTPUT_ROOT = 'lagsim-out';

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The next free `lagsim-out/<scenario>-<command>-<n>` under `cwd` (relative to it). */
export function defaultOutputFolder(scenario: string, command: string, cwd: string = process.cwd()): string {
  const prefix = `${scenario}-${command}-`;
  const pattern = new RegExp(`^${escapeRegExp(prefix)}(\\d+)$`);
  let names: string[];
  try {
    names = readdirSync(join(cwd, DEFAULT_OUTPUT_ROOT));
  } catch {
    names = [];
  }
  let highest = 0;
  for (const name of names) {
    const match = pattern.exec(name);
    if (match) highest = Math.max(highest, Number(match[1]));
  }
  if (highest > 0) {
    const last = `${prefix}${highest}`;
    let inside: string[] = [];
    try {
      inside = readdirSync(join(cwd, DEFAULT_OUTPUT_ROOT, last));
    } catch {
      // not a folder: leave it alone
    }
    if (inside.length === 1 && inside[0] === PARTIAL_DIR) return join(DEFAULT_OUTPUT_ROOT, last);
  }
  return join(DEFAULT_OUTPUT_ROOT, `${prefix}${highest + 1}`);
}
