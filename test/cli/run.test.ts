// `lagsim run` end to end, from dist/ (npm test builds it first): the table with its reproduce line,
// --json, --out, --history (accepted by `lagsim check`), --timeseries, and bad input: one line,
// exit 2, nothing written.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ANOMALIES } from '../../src/checks/anomalies.js';
import { ExitCode } from '../../src/text/exitCodes.js';
import { messages } from '../../src/text/messages.js';
import { simulate } from '../../src/run/pipeline.js';
import { VEGA_LITE_SCHEMA, type ChartSpec } from '../../src/report/charts/common.js';
import { compileChart } from '../../src/report/render.js';
import type { RunSummary } from '../../src/report/summary.js';
import { loadScenario } from '../../src/run/load.js';
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
      // The counts are the history's own; the intervals come from the same batch means over the
      // history's span of counted reads (which it cannot know to the µs), so only their presence is compared.
      const countsOnly = (anomalies: RunSummary['anomalies']) =>
        Object.fromEntries(
          Object.entries(anomalies).map(([name, a]) => [name, { violations: a.violations, keyReads: a.keyReads, eligible: a.eligible, violatingReads: a.violatingReads, rate: a.rate, rateEligible: a.rateEligible }]),
        );
      assert.deepEqual(countsOnly(counts.anomalies), countsOnly(summary.anomalies));
      for (const [name, a] of Object.entries(summary.anomalies)) {
        const recount = counts.anomalies[name as keyof RunSummary['anomalies']];
        assert.equal(recount.rateEligibleInterval === null, a.rateEligibleInterval === null, `${name}: an interval on both sides or neither`);
      }
    } finally {
      cleanup();
    }
  });

  it('--timeseries FILE --interval 60s: one CSV row per interval whose counts add up to the run’s, and a Vega-Lite chart beside it', () => {
    const { dir, cleanup } = tempDir();
    try {
      // No warm-up: the time series counts every operation, the summary those after warm-up. The
      // leader crashes instead of a replica, so that writes fail during the failover.
      const csvPath = join(dir, 'ts.csv');
      const r = lagsim([
        'run', 'scenarios/slack-sticky.yaml', '--duration', '4m', '--set', 'warmup=0', '--set', 'faults.events.0.crash=leader-0',
        '--timeseries', csvPath, '--interval', '60s', '--json',
      ]);
      assert.equal(r.status, ExitCode.ok, r.stderr);
      const summary = JSON.parse(r.stdout) as RunSummary;
      assert.deepEqual(readdirSync(dir).sort(), ['ts.csv', 'ts.svg', 'ts.vl.json']);

      const text = readFileSync(csvPath, 'utf8');
      assert.doesNotMatch(text, /"/, 'no quoted fields (so splitting at commas is right)');
      const [header, ...rows] = text.trimEnd().split('\n').map((line) => line.split(','));
      const nodeNames = summary.nodes.map((node) => node.name);
      assert.ok(nodeNames.includes('leader-0') && nodeNames.length === 4, nodeNames.join());
      assert.deepEqual(header, [
        'tMs', 'readsPerS', 'writesPerS', 'failedPerS',
        ...ANOMALIES.map((a) => `${a}.rateEligible`),
        'leaderShare',
        ...nodeNames.flatMap((node) => [`${node}.queued`, `${node}.inService`, `${node}.utilisation`, `${node}.lagMs`]),
        'faults',
      ]);
      assert.deepEqual(rows.map((row) => row[0]), ['60000', '120000', '180000', '240000'], 'one row per 60 s of the 4 minutes, in ms');
      const column = (name: string): string[] => rows.map((row) => row[header!.indexOf(name)]!);

      // Per-second rates × 60 s are whole numbers of operations, adding up to the run's totals.
      const total = (name: string): number =>
        column(name).reduce((sum, cell) => {
          const count = Number(cell) * 60;
          assert.ok(Math.abs(count - Math.round(count)) < 1e-3, `${name} ${cell}/s × 60 s is a whole count`);
          return sum + Math.round(count);
        }, 0);
      assert.equal(total('readsPerS'), summary.costs.reads);
      assert.equal(total('writesPerS'), summary.costs.writes);
      assert.equal(total('failedPerS'), summary.costs.failedReads + summary.costs.failedWrites);
      assert.ok(summary.costs.failedWrites > 0, 'the failover made writes fail');

      for (const a of ANOMALIES) {
        for (const cell of column(`${a}.rateEligible`)) assert.ok(cell === '' || (Number(cell) >= 0 && Number(cell) <= 1), `${a}: ${cell}`);
      }
      // One shard, so one node without a lag at each sample: leader-0, then the replica promoted by the failover.
      const failovers = summary.faults.flatMap(({ atMs, event }) => {
        const m = /^failover \S+ -> (\S+) /.exec(event);
        return m === null ? [] : [{ atS: atMs / 1000, to: m[1]! }];
      });
      assert.equal(failovers.length, 1, 'the crash of leader-0 ended in a failover');
      rows.forEach((row, i) => {
        const leader = failovers.filter((f) => f.atS <= Number(row[0]) / 1000).at(-1)?.to ?? 'leader-0';
        for (const node of nodeNames) {
          const lag = column(`${node}.lagMs`)[i]!;
          if (node === leader) assert.equal(lag, '', `at ${row[0]} ms, ${node} leads: no lag`);
          else assert.ok(lag !== '' && Number(lag) >= 0, `at ${row[0]} ms, ${node} lags ${lag} ms`);
        }
      });
      // The crash starts and ends in the intervals where the summary has it.
      const faults = summary.faults.flatMap(({ atMs, event }) => {
        const m = /^(start|end) (.+)$/.exec(event);
        return m === null ? [] : [{ atS: atMs / 1000, fault: `${m[1] === 'start' ? '+' : '-'}${m[2]}` }];
      });
      assert.deepEqual(faults.map((f) => f.fault), ['+crash leader-0', '-crash leader-0']);
      const faultCells = column('faults');
      for (const { atS, fault } of faults) {
        const row = faultCells.findIndex((cell) => cell.includes(fault));
        assert.ok(row >= 0, `${fault} in the faults column`);
        const endS = Number(rows[row]![0]) / 1000;
        assert.ok(endS - 60 <= atS && atS <= endS, `${fault} at ${atS} s is in the row ending at ${endS} s`);
      }
      assert.equal(faultCells.filter((cell) => cell !== '').join(' '), faults.map((f) => f.fault).join(' '), 'no other faults');

      const spec = JSON.parse(readFileSync(join(dir, 'ts.vl.json'), 'utf8')) as ChartSpec;
      assert.equal(spec.$schema, VEGA_LITE_SCHEMA);
      assert.deepEqual(compileChart(spec).warnings, [], 'vega-lite compiles it without a warning');
      assert.match(readFileSync(join(dir, 'ts.svg'), 'utf8'), /^<svg[^>]*>[\s\S]*<\/svg>\s*$/);
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
        (dir) => `${join(dir, 'typo.yaml')}: clusterr: ${messages.unknownField(scenarioFields, 'clusterr')}`,
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
