// The CLI's handling of bad input and of its outputs, end to end from dist/: output paths checked
// before anything runs (one line, exit 2), outputs written all or nothing (also on Ctrl-C), a closed
// stdout, `lagsim` alone, the --seed, --duration and --interval flags, reproduce lines that
// reproduce, and the lists of explain --from/--to and plan --slo. Every case runs in a folder of its
// own and lists it afterwards: a failure leaves nothing behind.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ExitCode } from '../../src/text/exitCodes.js';
import { BIN, REPO_ROOT, tempDir } from '../helpers/sim.js';
import { BUILT, writeSmallScenario } from './sweepCli.js';

interface Result {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function cli(cwd: string, args: readonly string[], timeout = 120_000): Result {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout });
  if (r.error && (r.error as NodeJS.ErrnoException).code !== 'ETIMEDOUT') throw r.error;
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** Every file and folder under `dir` (folders end in /), sorted. */
function listing(dir: string, sub = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(dir, sub)).sort()) {
    const rel = sub === '' ? name : `${sub}/${name}`;
    if (statSync(join(dir, rel)).isDirectory()) out.push(`${rel}/`, ...listing(dir, rel));
    else out.push(rel);
  }
  return out;
}

/** A folder with small.yaml, a file `afile` and an empty folder `adir`. */
function fixture(): { dir: string; cleanup: () => void; before: string[] } {
  const { dir, cleanup } = tempDir('lagsim-outputs-');
  writeSmallScenario(dir);
  writeFileSync(join(dir, 'afile'), 'not a folder\n');
  mkdirSync(join(dir, 'adir'));
  return { dir, cleanup, before: listing(dir) };
}

/** The command fails with exactly `line` on stderr, exit code 2, and the folder as it was. */
function badInput(args: readonly string[], line: string, setup?: (dir: string) => void): void {
  const { dir, cleanup } = fixture();
  try {
    setup?.(dir);
    const was = listing(dir);
    const r = cli(dir, args);
    assert.equal(r.stderr, `${line}\n`, `stderr of lagsim ${args.join(' ')}`);
    assert.equal(r.status, ExitCode.badInput);
    assert.equal(r.stdout, '');
    assert.deepEqual(listing(dir), was, 'nothing written');
  } finally {
    cleanup();
  }
}

const SMALL = 'small.yaml';
const COMPARE = ['compare', SMALL, '--strategies', 'none,pin', '--seeds', '1', '--jobs', '1'];
const SWEEP = ['sweep', SMALL, '--vary', 'strategy.name=none,pin', '--seeds', '1', '--jobs', '1'];
const PLAN = ['plan', SMALL, '--slo', 'ryw<1', '--vary', 'strategy.name=none,pin', '--seeds', '1', '--jobs', '1'];

/** Writes the two shard files of a small sweep into `dir/shards`. */
function writeShards(dir: string): void {
  for (const i of [1, 2]) {
    const r = cli(dir, [...SWEEP, '--shard', `${i}/2`, '--out', 'shards']);
    assert.equal(r.status, ExitCode.ok, r.stderr);
  }
}

describe('lagsim outputs and bad input', { skip: !BUILT && 'dist/ not built (npm test builds it)' }, () => {
  let shared: { dir: string; cleanup: () => void };
  let shards: string;
  before(() => {
    shared = tempDir('lagsim-outputs-shared-');
    writeSmallScenario(shared.dir);
    writeShards(shared.dir);
    shards = join(shared.dir, 'shards');
  });
  after(() => shared.cleanup());

  describe('1. every output path is checked before anything runs', () => {
    it('run --out: an existing file, a path through a file, a folder whose summary.json is a folder', () => {
      badInput(['run', SMALL, '--out', 'afile'], '--out: afile: exists and is not a folder');
      badInput(['run', SMALL, '--out', 'afile/sub'], '--out: afile/sub: afile exists and is not a folder');
      badInput(['run', SMALL, '--out', 'adir'], '--out: adir/summary.json: is a folder (expected a file)', (dir) =>
        mkdirSync(join(dir, 'adir', 'summary.json')),
      );
    });

    it("run --history and --timeseries: a folder, a path through a file, ''", () => {
      badInput(['run', SMALL, '--history', 'adir'], '--history: adir: is a folder (expected a file)');
      badInput(['run', SMALL, '--history', 'afile/h.jsonl'], '--history: afile/h.jsonl: afile exists and is not a folder');
      badInput(['run', SMALL, '--history', ''], '--history: expected a file name, got ""');
      badInput(['run', SMALL, '--timeseries', 'adir'], '--timeseries: adir: is a folder (expected a file)');
      badInput(['run', SMALL, '--timeseries', 'adir/ts.csv'], '--timeseries: adir/ts.svg: is a folder (expected a file)', (dir) =>
        mkdirSync(join(dir, 'adir', 'ts.svg')),
      );
    });

    it('explain --chart through a file', () => {
      badInput(['explain', SMALL, '--chart', 'afile/x.svg'], '--chart: afile/x.svg: afile exists and is not a folder');
    });

    it('compare, sweep, merge and plan --out', () => {
      badInput([...COMPARE, '--out', 'afile/sub'], '--out: afile/sub: afile exists and is not a folder');
      badInput([...SWEEP, '--out', 'afile/sub'], '--out: afile/sub: afile exists and is not a folder');
      badInput(['merge', shards, '--out', 'afile/sub'], '--out: afile/sub: afile exists and is not a folder');
      badInput([...PLAN, '--out', 'afile'], '--out: afile: exists and is not a folder');
    });

    it('real --history/--out and probe --out, before any server is contacted', () => {
      // Unreachable servers: had the paths not been checked first, the line would say "cannot connect".
      const servers = ['--primary', 'postgres://lagsim@127.0.0.1:1/postgres', '--replica', 'postgres://lagsim@127.0.0.1:2/postgres'];
      badInput(['real', SMALL, ...servers, '--history', 'afile/h.jsonl'], '--history: afile/h.jsonl: afile exists and is not a folder');
      badInput(['real', SMALL, ...servers, '--out', 'afile'], '--out: afile: exists and is not a folder');
      badInput(['probe', ...servers, '--out', 'adir'], '--out: adir: is a folder (expected a file)');
    });

    it("--out '' is refused, not the current folder", () => {
      badInput(['run', SMALL, '--out', ''], '--out: expected a folder name, got ""');
      badInput([...COMPARE, '--out', ''], '--out: expected a folder name, got ""');
      badInput(['merge', shards, '--out', ''], '--out: expected a folder name, got ""');
    });

    it('missing folders on the way are created, for every output option alike', () => {
      const { dir, cleanup, before: was } = fixture();
      try {
        const r = cli(dir, ['run', SMALL, '--duration', '2s', '--out', 'o/p', '--history', 'h/i/h.jsonl', '--timeseries', 't/ts.csv']);
        assert.equal(r.status, ExitCode.ok, r.stderr);
        const e = cli(dir, ['explain', SMALL, '--duration', '5s', '--chart', 'c/d/x.svg']);
        assert.equal(e.status, ExitCode.ok, e.stderr);
        const written = ['c/', 'c/d/', 'c/d/x.svg', 'h/', 'h/i/', 'h/i/h.jsonl', 'o/', 'o/p/', 'o/p/summary.json', 't/', 't/ts.csv', 't/ts.svg', 't/ts.vl.json'];
        assert.deepEqual(listing(dir), [...was, ...written].sort());
      } finally {
        cleanup();
      }
    });
  });

  describe('2. outputs are all or nothing', () => {
    it('run --history with a bad --out writes no history; a bad --timeseries leaves no summary.json', () => {
      badInput(['run', SMALL, '--history', 'h.jsonl', '--out', 'afile'], '--out: afile: exists and is not a folder');
      badInput(['run', SMALL, '--out', 'o3', '--timeseries', 'afile/x.csv'], '--timeseries: afile/x.csv: afile exists and is not a folder');
    });

    it('compare --out D with D/index.html a folder writes nothing into D', () => {
      badInput([...COMPARE, '--out', 'D'], '--out: D/index.html: is a folder (expected a file)', (dir) => mkdirSync(join(dir, 'D', 'index.html'), { recursive: true }));
    });

    it('plan --out D with D/plan.svg a folder writes neither plan.json nor plan.vl.json', () => {
      badInput([...PLAN, '--out', 'D'], '--out: D/plan.svg: is a folder (expected a file)', (dir) => mkdirSync(join(dir, 'D', 'plan.svg'), { recursive: true }));
    });

    for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
      it(`${signal} during run --history removes the unfinished history and exits ${code}`, async () => {
        const { dir, cleanup, before: was } = fixture();
        try {
          const child = spawn(process.execPath, [BIN, 'run', SMALL, '--duration', '60m', '--history', 'h.jsonl'], { cwd: dir });
          let stderr = '';
          child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
          const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])));
          const unfinished = (): boolean => readdirSync(dir).some((name) => /^h\.jsonl\.tmp-\d+$/.test(name));
          for (let waited = 0; !unfinished() && waited < 60_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
          assert.ok(unfinished(), 'the history is being written');
          await new Promise((r) => setTimeout(r, 200));
          child.kill(signal);
          const [status, killedBy] = await exited;
          assert.deepEqual({ status, killedBy, stderr }, { status: code, killedBy: null, stderr: '' });
          assert.deepEqual(listing(dir), was);
        } finally {
          cleanup();
        }
      });
    }
  });

  describe('3. a closed stdout is not an error', () => {
    const cases: [string, string[]][] = [
      ['schema', ['schema']],
      ['strategies', ['strategies']],
      ['run --json', ['run', SMALL, '--duration', '2s', '--json']],
      ['check --json', ['check', '--json', 'h.jsonl']],
    ];
    for (const [name, args] of cases) {
      it(`lagsim ${name} | head -c 0: no stack trace, the command's own exit code`, async () => {
        const { dir, cleanup } = fixture();
        try {
          if (name.startsWith('check')) assert.equal(cli(dir, ['run', SMALL, '--duration', '2s', '--history', 'h.jsonl']).status, ExitCode.ok);
          const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
          child.stdout.destroy();
          let stderr = '';
          child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
          const [status] = await new Promise<[number | null]>((resolve) => child.on('exit', (c) => resolve([c])));
          assert.doesNotMatch(stderr, /EPIPE|Error|at /);
          assert.equal(status, ExitCode.ok, stderr);
        } finally {
          cleanup();
        }
      });
    }
  });

  describe('4. lagsim without a command', () => {
    it('exits 2 with the help on stderr; --help and help still exit 0', () => {
      const none = cli(REPO_ROOT, []);
      assert.equal(none.status, ExitCode.badInput);
      assert.match(none.stderr, /^Usage: lagsim /);
      for (const args of [['--help'], ['help']]) {
        const r = cli(REPO_ROOT, args);
        assert.equal(r.status, ExitCode.ok);
        assert.match(r.stdout, /^Usage: lagsim /);
      }
    });
  });

  describe('5. --seed, --duration and --tvis name themselves', () => {
    it('--seed accepts decimal digits only, up to 2^53 − 1', () => {
      for (const seed of ['abc', '0x10', '1e3', '1.5', '9007199254740992']) {
        badInput(['run', SMALL, '--seed', seed], `--seed: expected a whole number from 0 to 9007199254740991 in decimal digits, got "${seed}"`);
      }
      badInput(['explain', SMALL, '--seed', 'abc'], '--seed: expected a whole number from 0 to 9007199254740991 in decimal digits, got "abc"');
    });

    it('--duration on run, explain, compare, sweep and plan', () => {
      const line = '--duration: expected a duration such as 300ms, 1.5s or 250us, got "10 parsecs"';
      for (const command of [['run', SMALL], ['explain', SMALL], COMPARE, SWEEP, PLAN]) badInput([...command, '--duration', '10 parsecs'], line);
      badInput(['run', SMALL, '--duration', '0s'], '--duration: expected a duration greater than 0');
    });

    it('--tvis names itself too (it sets report.tVisibility, but the user typed --tvis, not --set)', () => {
      badInput(['run', SMALL, '--tvis', '1s,100ms'], '--tvis: expected t-visibility times above 0 in increasing order, e.g. [50ms, 100ms, 1s]');
      badInput(['run', SMALL, '--tvis', '50ms,often'], '--tvis: expected a duration such as 300ms, 1.5s or 250us, got "often"');
    });
  });

  describe('6. --interval', () => {
    it('0s and 0 are refused (not a 1 µs interval that never ends)', () => {
      for (const interval of ['0s', '0', '0.1us']) {
        badInput(['run', SMALL, '--duration', '1s', '--interval', interval, '--timeseries', 'x.csv'], '--interval: expected a duration greater than 0');
      }
    });

    it('more than 1,000,000 rows is refused', () => {
      badInput(
        ['run', SMALL, '--duration', '60m', '--interval', '1ms', '--timeseries', 'x.csv'],
        '--interval: 1 ms over 1.001 h of simulated time makes 3,602,000 rows (expected at most 1,000,000): choose a longer interval',
      );
    });
  });

  describe('7. reproduce lines reproduce', () => {
    /** The command line of a reproduce line, as arguments (`npx lagsim` dropped; POSIX single quotes). */
    function words(command: string): string[] {
      return (command.replace(/^npx lagsim /, '').match(/'(?:[^']|'\\'')*'|\S+/g) ?? []).map((w) =>
        w.startsWith("'") ? w.slice(1, -1).replace(/'\\''/g, "'") : w,
      );
    }

    /** Runs lagsim with a stdout that throws: an internal error, reported on stderr with its reproduce line. */
    function withBrokenStdout(cwd: string, args: readonly string[]): Result {
      const main = pathToFileURL(join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js')).href;
      const script = join(shared.dir, 'broken-stdout.mjs');
      writeFileSync(
        script,
        `const { main } = await import(${JSON.stringify(main)});
process.stdout.write = () => { throw new Error('stdout is broken'); };
process.exitCode = await main(process.argv);\n`,
      );
      const r = spawnSync(process.execPath, [script, ...args], { cwd, encoding: 'utf8' });
      return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
    }

    it('run prints --out, --history, --timeseries and --interval in its table, and the line reruns the run', () => {
      const { dir, cleanup } = fixture();
      try {
        const args = ['run', SMALL, '--duration', '5s', '--out', 'o', '--history', 'h.jsonl', '--timeseries', 't.csv', '--interval', '1s'];
        const r = cli(dir, args);
        assert.equal(r.status, ExitCode.ok, r.stderr);
        const line = r.stdout.split('\n').find((l) => l.startsWith('reproduce: '));
        assert.equal(line, 'reproduce: npx lagsim run small.yaml --set duration=5s --seed 1 --out o --history h.jsonl --timeseries t.csv --interval 1s');
        const again = cli(dir, words(line.replace('reproduce: ', '')));
        assert.equal(again.stdout, r.stdout);
      } finally {
        cleanup();
      }
    });

    it('explain prints --from and --to, and the line retells the same story', () => {
      const { dir, cleanup } = fixture();
      try {
        const r = cli(dir, ['explain', SMALL, '--duration', '5s', '--from', '1s', '--to', '3s']);
        assert.equal(r.status, ExitCode.ok, r.stderr);
        const line = r.stdout.split('\n').find((l) => l.startsWith('reproduce: '));
        assert.match(line ?? '', /^reproduce: npx lagsim explain small\.yaml --set duration=5s --seed 1 --from 1s --to 3s --session \d+$/);
        const again = cli(dir, words(line!.replace('reproduce: ', '')));
        assert.equal(again.stdout, r.stdout);
      } finally {
        cleanup();
      }
    });

    const failures: [string, string[], string][] = [
      ['validate', ['validate', SMALL, '--set', 'seed=3'], "the scenario's seed; reproduce with: npx lagsim validate small.yaml --set seed=3"],
      ['merge', ['merge', 'shards', '--out', 'm'], "the scenario's seed; reproduce with: npx lagsim merge shards --out m"],
      ['run', ['run', SMALL, '--duration', '2s', '--history', 'h.jsonl', '--out', 'o'], 'seed 1; reproduce with: npx lagsim run small.yaml --set duration=2s --seed 1 --out o --history h.jsonl'],
      ['explain', ['explain', SMALL, '--duration', '5s', '--session', '2', '--from', '1s', '--to', '4s'], 'seed 1; reproduce with: npx lagsim explain small.yaml --set duration=5s --seed 1 --from 1s --to 4s --session 2'],
      ['compare', [...COMPARE, '--out', 'c'], 'seeds 1; reproduce with: npx lagsim compare small.yaml --strategies none,pin --seeds 1 --baseline none --jobs 1 --out c'],
      ['sweep', [...SWEEP, '--out', 's'], 'seeds 1; reproduce with: npx lagsim sweep small.yaml --vary strategy.name=none,pin --seeds 1 --baseline none --jobs 1 --out s'],
      ['plan', [...PLAN, '--out', 'p'], "seeds 1; reproduce with: npx lagsim plan small.yaml --slo 'ryw<1' --vary strategy.name=none,pin --seeds 1 --jobs 1 --out p"],
    ];
    for (const [name, args, expected] of failures) {
      it(`an internal failure of ${name} prints a command that reruns it`, () => {
        const { dir, cleanup } = fixture();
        try {
          if (name === 'merge') cpSync(shards, join(dir, 'shards'), { recursive: true });
          const r = withBrokenStdout(dir, args);
          assert.equal(r.status, ExitCode.internalError, r.stderr);
          const lines = r.stderr.trimEnd().split('\n');
          assert.deepEqual(lines.slice(-2), ['lagsim: internal error: stdout is broken', expected]);
          const again = cli(dir, words(expected.replace(/^.*; reproduce with: /, '')));
          assert.equal(again.status, ExitCode.ok, again.stderr);
        } finally {
          cleanup();
        }
      });
    }
  });

  describe('8. explain --from/--to and plan --slo lists', () => {
    it('explain --to before --from is refused', () => {
      badInput(['explain', SMALL, '--from', '10s', '--to', '5s'], '--to: expected a time at or after --from "10s", got "5s"');
    });

    it('plan --slo with an empty item or a metric given twice is refused, like compare --strategies', () => {
      for (const slo of ['ryw<0.1,,mr<0.1', 'ryw<0.1,']) {
        badInput(['plan', SMALL, '--slo', slo, '--vary', 'strategy.name=none'], `--slo: empty item in "${slo}" (expected SLOs separated by single commas, such as 'ryw<0.001,readP99<50ms')`);
      }
      badInput(['plan', SMALL, '--slo', 'ryw<0.1,mr<0.1,ryw<0.2', '--vary', 'strategy.name=none'], '--slo: SLO metric "ryw" is given twice (give one limit per metric)');
    });
  });
});
