// The CLI half of the project's fuzzer (issue 14): command lines built from lagsim's commands and
// options, with values that broke or could break one. Property: exit 0, or a refusal — exit 2
// (bad input), 3 (a check that disagrees) or 4 (environment) — as one line on stderr without a stack
// trace; never "internal error" (exit 1), never a password in any output, the input untouched, and
// nothing written outside the folder the command runs in. Work is bounded by --max-operations.
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { BIN } from '../helpers/sim.js';
import { SMALL_SCENARIO } from '../cli/sweepCli.js';

const SECRET = 's3cretpw';

const COMMANDS = ['run', 'validate', 'explain', 'check', 'compare', 'sweep', 'plan', 'merge', 'strategies', 'schema', 'probe'] as const;
/** Real options of some command, a few typos, and positional oddities. */
const OPTIONS = [
  '--seed', '--seeds', '--duration', '--set', '--strategy', '--json', '--out', '--history', '--timeseries', '--interval', '--tvis',
  '--session', '--from', '--to', '--chart', '--vary', '--jobs', '--shard', '--slo', '--primary', '--replica', '--sed', '--', '-x',
] as const;
export const HOSTILE_ARGUMENTS: readonly string[] = [
  '', '0', '-1', '1e400', '9007199254740993', 'NaN', '1..3', '1..99999999999', '9007199254740993..9007199254740993', '0/0', '1/99999999999',
  '2us', '0us', '1e308h', 'x'.repeat(5000), '/dev/zero', '/proc/self/environ', 'small.yaml', 'out', 'out/h.jsonl',
  `postgres://u:${SECRET}@/db`, `postgres://u:${SECRET}@[::1`, `host=h password=${SECRET}`, 'warmup=1e9', 'duration=1e400ms',
  'strategy.name=pin', 'clients.0.think=0us', 'keyspace.count=1e300', 'name=!!binary aGk=', 'cluster.replicas.0.lag=1s,2s', 'a\u202eb',
];

export interface Invocation {
  command: string;
  args: string[];
}

export function invocationArbitrary(): fc.Arbitrary<Invocation> {
  const option = fc.tuple(fc.constantFrom(...OPTIONS), fc.option(fc.constantFrom(...HOSTILE_ARGUMENTS), { nil: undefined }));
  return fc.record({
    command: fc.constantFrom(...COMMANDS),
    file: fc.constantFrom('small.yaml', 'small.yaml', 'missing.yaml', '/dev/zero', 'out', ''),
    options: fc.array(option, { maxLength: 4 }),
  }).map(({ command, file, options }) => ({
    command,
    args: [file, ...options.flatMap(([name, value]) => (value === undefined ? [name] : [name, value]))],
  }));
}

const digest = (text: string | Buffer): string => createHash('sha256').update(text).digest('hex');

/** Every file below `dir`, relative, with its digest. */
function tree(dir: string, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const name = join(prefix, entry.name);
    if (entry.isDirectory()) for (const [k, v] of tree(dir, name)) out.set(k, v);
    else if (entry.isFile()) out.set(name, digest(readFileSync(join(dir, name))));
  }
  return out;
}

/** Runs `lagsim <command> <args> --max-operations 2e5` in a fresh folder; returns what went wrong, or null. */
export function cliViolation(invocation: Invocation): string | null {
  const root = mkdtempSync(join(tmpdir(), 'lagsim-clifuzz-'));
  const cwd = join(root, 'work');
  mkdirSync(cwd);
  try {
    writeFileSync(join(cwd, 'small.yaml'), SMALL_SCENARIO);
    const before = digest(SMALL_SCENARIO);
    const r = spawnSync(process.execPath, [BIN, '--max-operations', '200000', invocation.command, ...invocation.args], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, PGCONNECT_TIMEOUT: '1', LAGSIM_DEBUG: '' },
      timeout: 120_000,
      input: '',
    });
    if (r.error) return `did not finish: ${r.error.message}`;
    const output = `${r.stdout}${r.stderr}`;
    if (output.includes(SECRET)) return 'printed a password';
    if (/\n\s+at .*\(.*:\d+:\d+\)/.test(r.stderr)) return 'printed a stack trace';
    if (r.status === 1) return `internal error: ${r.stderr.slice(0, 300)}`;
    if (r.status !== 0 && ![2, 3, 4].includes(r.status ?? -1)) return `exit code ${r.status} (signal ${r.signal})`;
    if (r.status === 2 && r.stderr.trim().split('\n').length !== 1) return `a refusal of ${r.stderr.trim().split('\n').length} lines: ${r.stderr.slice(0, 300)}`;
    if (r.status === 2 && r.stderr.length > 700) return `a refusal of ${r.stderr.length} characters`;
    try {
      if (digest(readFileSync(join(cwd, 'small.yaml'))) !== before) return 'changed its input';
    } catch {
      return 'removed its input';
    }
    const strays = [...tree(root).keys()].filter((file) => !file.startsWith(`work${sep}`));
    if (strays.length > 0) return `wrote outside its folder: ${strays.join(', ')}`;
    return null;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
