// `lagsim run` end to end, from dist/ (npm test builds it first): the table with its reproduce line,
// --json, --out, --history (accepted by `lagsim check`), and bad input: one line, exit 2, nothing
// written.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode } from '../../src/cli/exitCodes.js';
import { messages } from '../../src/cli/messages.js';
import { simulate } from '../../src/cli/pipeline.js';
import type { RunSummary } from '../../src/report/summary.js';
import { loadScenario } from '../../src/scenario/load.js';
import { ScenarioSchema } from '../../src/scenario/schema.js';
import { BIN, REPO_ROOT, tempDir } from '../helpers/sim.js';

const BUILT = existsSync(join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js'));

function lagsim(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The reproduce line's command as arguments for bin/lagsim.js (`npx lagsim` dropped; simple quoting only). */
function reproduceArgs(line: string): string[] {
  const words = line.replace(/^reproduce: npx lagsim /, '').match(/'[^']*'|\S+/g) ?? [];
  return words.map((w) => (w.startsWith("'") ? w.slice(1, -1) : w));
}

describe('lagsim run', { skip: !BUILT && 'dist/ not built (npm test builds it)' }, () => {
  it('prints the summary table with the anomalies, the costs, the seed and a reproduce line that reproduces it', () => {
    const r = lagsim(['run', 'scenarios/ghost-post.yaml', '--duration', '20s']);
    assert.equal(r.status, ExitCode.ok, r.stderr);
    for (const heading of ['read-your-writes', 'monotonic reads', 'consistent prefix', 'stale read', 'costs', 'latency', 'nodes', 'seed 1']) {
      assert.ok(r.stdout.includes(heading), `the table mentions ${heading}`);
    }
    const lines = r.stdout.trimEnd().split('\n');
    const reproduce = lines.find((l) => l.startsWith('reproduce: npx lagsim run '));
    assert.ok(reproduce !== undefined, 'a reproduce line');
    assert.match(reproduce, /scenarios\/ghost-post\.yaml/);
    assert.match(reproduce, /duration=20s/);
    assert.match(reproduce, /--seed 1\b/);
    // Running the reproduce command prints the same table.
    const again = lagsim(reproduceArgs(reproduce));
    assert.equal(again.status, ExitCode.ok, again.stderr);
    assert.equal(again.stdout, r.stdout);
    // Progress goes to stderr only on a TTY; here stderr is the one closing line.
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  });

  it('--json prints the pipeline’s summary; --out DIR writes it as summary.json; --history writes a file `lagsim check` accepts', () => {
    const { dir, cleanup } = tempDir();
    try {
      const out = join(dir, 'out', 'nested');
      const history = join(dir, 'history.jsonl');
      const r = lagsim(['run', 'scenarios/ghost-post.yaml', '--duration', '20s', '--json', '--out', out, '--history', history]);
      assert.equal(r.status, ExitCode.ok, r.stderr);
      const parsed = JSON.parse(r.stdout) as RunSummary;
      assert.equal(parsed.scenario, 'ghost-post');
      assert.equal(parsed.seed, 1);
      assert.equal(parsed.durationMs, 20_000);
      for (const a of ['ryw', 'mr', 'cp', 'stale'] as const) assert.ok(parsed.anomalies[a].keyReads > 0);
      const expected = simulate(loadScenario(join(REPO_ROOT, 'scenarios', 'ghost-post.yaml'), ['duration=20s'])).summary;
      assert.equal(r.stdout, `${JSON.stringify(expected, null, 2)}\n`);
      assert.equal(readFileSync(join(out, 'summary.json'), 'utf8'), r.stdout);
      assert.deepEqual(readdirSync(out), ['summary.json'], 'no temporary files left behind');
      assert.deepEqual(readdirSync(dir).sort(), ['history.jsonl', 'out']);
      const lines = readFileSync(history, 'utf8').trimEnd().split('\n');
      const summary = JSON.parse(r.stdout) as RunSummary;
      assert.ok(lines.length >= summary.costs.reads + summary.costs.writes, 'every counted operation is in the history');
      const check = lagsim(['check', history]);
      assert.equal(check.status, ExitCode.ok, check.stdout + check.stderr);
      assert.match(check.stdout, /every flag agrees/);
      const checkJson = lagsim(['check', history, '--json']);
      assert.equal(checkJson.status, ExitCode.ok);
      const counts = JSON.parse(checkJson.stdout) as { anomalies: RunSummary['anomalies']; flagMismatches: number };
      assert.equal(counts.flagMismatches, 0);
      assert.deepEqual(counts.anomalies, summary.anomalies);
    } finally {
      cleanup();
    }
  });

  it('`lagsim check` exits 3 on a history whose flags disagree', () => {
    const { dir, cleanup } = tempDir();
    try {
      const history = join(dir, 'h.jsonl');
      writeFileSync(
        history,
        [
          '{"type":"write","session":1,"t0":0,"tc":0,"t1":0,"key":"k1","shard":0,"version":5,"deps":[],"node":"leader-0"}',
          '{"type":"read","session":1,"t0":10,"t1":10,"reads":[{"key":"k1","version":3,"node":"replica-0-1","leader":5}],"flags":["stale"]}',
        ].join('\n') + '\n',
      );
      const r = lagsim(['check', history]);
      assert.equal(r.status, ExitCode.checkFailed);
      assert.match(r.stdout, /1 reads disagree/);
    } finally {
      cleanup();
    }
  });

  describe('bad input: one line naming the file, the field and what was expected; exit 2; nothing written', () => {
    const badFile = (dir: string): string => {
      const path = join(dir, 'typo.yaml');
      const text = readFileSync(join(REPO_ROOT, 'scenarios', 'ghost-post.yaml'), 'utf8').replace(/^cluster:/m, 'clusterr:');
      writeFileSync(path, text);
      return path;
    };
    // The fields a scenario takes, from the schema that validates it (the list grows with the format).
    const scenarioFields = Object.keys(ScenarioSchema.in.shape);
    const cases: [what: string, args: (dir: string) => string[], expected: (dir: string) => string][] = [
      ['a missing file', () => ['run', 'scenarios/no-such-file.yaml'], () => `scenarios/no-such-file.yaml: ${messages.fileNotFound}`],
      [
        'an unknown field',
        (dir) => ['run', badFile(dir)],
        (dir) => `${join(dir, 'typo.yaml')}: clusterr: ${messages.unknownField(scenarioFields)}`,
      ],
      [
        'a bad --set value',
        () => ['run', 'scenarios/ghost-post.yaml', '--set', 'cluster.replicas.0.lag=-5ms'],
        () => `--set: cluster.replicas.0.lag: ${messages.negativeDuration('-5ms')}`,
      ],
      ['a --set without =', () => ['run', 'scenarios/ghost-post.yaml', '--set', 'duration'], () => `--set: ${messages.setSyntax('duration')}`],
    ];
    for (const [what, args, expected] of cases) {
      it(what, () => {
        const { dir, cleanup } = tempDir();
        try {
          const out = join(dir, 'out');
          const history = join(dir, 'history.jsonl');
          const argv = args(dir);
          const before = readdirSync(dir);
          const r = lagsim([...argv, '--out', out, '--history', history]);
          assert.equal(r.status, ExitCode.badInput);
          assert.equal(r.stdout, '');
          assert.equal(r.stderr.trim(), expected(dir));
          assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
          assert.deepEqual(readdirSync(dir), before, 'nothing written');
        } finally {
          cleanup();
        }
      });
    }
  });
});
