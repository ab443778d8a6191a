// Shared by the compare, sweep, merge and report tests: a small, fast scenario, running the CLI from
// dist/ in a folder of its own, and reading a whole output folder to compare byte for byte.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, REPO_ROOT } from '../helpers/sim.js';

export const BUILT = existsSync(join(REPO_ROOT, 'dist', 'src', 'run', 'sweep', 'worker.js'));

/** A small scenario with the key selectors whose choices do not depend on timing, and lag levels held for a while. */
export const SMALL_SCENARIO = `name: small
description: A small scenario for the sweep tests.
seed: 1
duration: 20s
warmup: 2s
keyspace: { count: 200 }
cluster:
  leader: { region: east }
  replicas:
    - name: west
      region: west
      lag: { dist: lognormal, median: 200ms, p99: 1s }
      lagHold: 1s
network:
  latency:
    east/west: 30ms
clients:
  - name: users
    region: west
    sessions: 40
    think: { dist: exponential, mean: 300ms }
    actions:
      - { weight: 1, do: write, key: new }
      - { weight: 1, do: write, key: own }
      - { weight: 3, do: read, key: lastWritten }
      - { weight: 1, do: read, key: own }
      - { weight: 4, do: read, key: popular }
strategy: { name: none }
strategyOptions:
  pin: { window: 2s }
`;

export function writeSmallScenario(dir: string, text = SMALL_SCENARIO): string {
  writeFileSync(join(dir, 'small.yaml'), text);
  return 'small.yaml';
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `lagsim ARGS` in folder `cwd`, from dist/. */
export function lagsim(cwd: string, args: readonly string[]): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every file under `dir` (relative path → bytes), for byte-for-byte comparisons of output folders. */
export function readTree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (sub: string): void => {
    for (const name of readdirSync(join(dir, sub)).sort()) {
      const rel = sub === '' ? name : `${sub}/${name}`;
      if (statSync(join(dir, rel)).isDirectory()) walk(rel);
      else out.set(rel, readFileSync(join(dir, rel)));
    }
  };
  walk('');
  return out;
}

/** Asserts two folders hold the same files with the same bytes, naming the first difference. */
export function sameTree(a: string, b: string): string | null {
  const ta = readTree(a);
  const tb = readTree(b);
  const names = [...new Set([...ta.keys(), ...tb.keys()])].sort();
  for (const name of names) {
    const x = ta.get(name);
    const y = tb.get(name);
    if (x === undefined) return `${name} only in ${b}`;
    if (y === undefined) return `${name} only in ${a}`;
    if (!x.equals(y)) return `${name} differs`;
  }
  return null;
}
