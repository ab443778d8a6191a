// Determinism (semantics.md section 5): the same scenario, seed and program give byte-identical
// summaries and histories, for every shipped scenario (listed from scenarios/, shortened), through
// the pipeline and through the CLI from dist/; and common random numbers: strategies compared on
// one seed see the same workload.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { simulate } from '../../src/run/pipeline.js';
import { loadScenario } from '../../src/run/load.js';
import { BIN, REPO_ROOT, run, shippedScenarios, tempDir } from '../helpers/sim.js';

const SHORT = ['duration=3s', 'warmup=1s'];
const BUILT = existsSync(join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js'));

function runTwice(file: string, overrides: string[]): { json: [string, string]; history: [Buffer, Buffer] } {
  const { dir, cleanup } = tempDir();
  try {
    const out = [0, 1].map((i) => {
      const historyPath = join(dir, `h${i}.jsonl`);
      const { summary } = simulate(loadScenario(file, overrides), { historyPath });
      return { json: JSON.stringify(summary, null, 2), history: readFileSync(historyPath) };
    });
    return { json: [out[0]!.json, out[1]!.json], history: [out[0]!.history, out[1]!.history] };
  } finally {
    cleanup();
  }
}

describe('determinism: every shipped scenario, run twice', () => {
  for (const file of shippedScenarios()) {
    it(`${basename(file)}: byte-identical summary and history`, () => {
      const { json, history } = runTwice(file, SHORT);
      assert.ok(history[0].length > 0);
      assert.equal(json[0], json[1]);
      assert.ok(history[0].equals(history[1]), 'histories differ');
    });
  }

  it('another seed gives another run (the comparison above can fail)', () => {
    const file = shippedScenarios()[0]!;
    const a = runTwice(file, SHORT);
    const b = runTwice(file, [...SHORT, 'seed=2']);
    assert.notEqual(a.json[0], b.json[0]);
    assert.ok(!a.history[0].equals(b.history[0]));
  });
});

describe('determinism through the CLI (dist/)', { skip: !BUILT && 'dist/ not built (npm test builds it)' }, () => {
  for (const name of ['ghost-post.yaml', 'qa-shards.yaml']) {
    it(`lagsim run scenarios/${name} --json --history: two processes, identical bytes`, () => {
      const { dir, cleanup } = tempDir();
      try {
        const outputs = [0, 1].map((i) => {
          const history = join(dir, `h${i}.jsonl`);
          const r = spawnSync(
            process.execPath,
            [BIN, 'run', `scenarios/${name}`, '--duration', '3s', '--set', 'warmup=1s', '--json', '--history', history],
            { cwd: REPO_ROOT, encoding: 'utf8' },
          );
          assert.equal(r.status, 0, r.stderr);
          return { stdout: r.stdout, history: readFileSync(history) };
        });
        assert.ok(outputs[0]!.stdout.length > 100);
        assert.equal(outputs[0]!.stdout, outputs[1]!.stdout);
        assert.ok(outputs[0]!.history.equals(outputs[1]!.history));
        // The process gives what the pipeline gives.
        const { summary } = simulate(loadScenario(join(REPO_ROOT, 'scenarios', name), ['duration=3s', 'warmup=1s']));
        assert.equal(outputs[0]!.stdout, `${JSON.stringify(summary, null, 2)}\n`);
      } finally {
        cleanup();
      }
    });
  }
});

describe('common random numbers: strategies compared on one seed see the same workload', () => {
  it('with no network latency, every strategy gives the same writes and reads the same keys at the same times', () => {
    // One region and no service times: routing changes which node serves a read and what it
    // returns, never when operations happen; so every session's actions, keys and think times,
    // and the commit order, must be identical across strategies.
    const raw = {
      name: 'crn',
      duration: '5s',
      keyspace: { count: 30, topicSize: 3 },
      cluster: {
        shards: 2,
        leader: { region: 'here' },
        replicas: [{ region: 'here', count: 2, lag: { dist: 'lognormal', median: '100ms', sigma: 1 }, lagHold: '300ms' }],
      },
      clients: [
        {
          name: 'u',
          region: 'here',
          sessions: 20,
          think: { dist: 'exponential', mean: '50ms' },
          actions: [
            { do: 'write', key: 'new' },
            { do: 'read', key: 'lastWritten' },
            { do: 'read', key: 'topic' },
            { do: 'write', key: 'reply' },
            { do: 'read', key: 'popular', count: 3 },
          ],
        },
      ],
    };
    const { dir, cleanup } = tempDir();
    try {
      const shapes = [{ name: 'none' }, { name: 'pin', window: '1s' }, { name: 'token', track: 'causal' }, { name: 'sticky' }, { name: 'fallback' }].map(
        (strategy, i) => {
          const historyPath = join(dir, `h${i}.jsonl`);
          run({ ...raw, strategy }, [], historyPath);
          const records = readFileSync(historyPath, 'utf8')
            .trim()
            .split('\n')
            .map((line) => JSON.parse(line) as { type: string; session: number; t0: number; key?: string; tc?: number; reads?: { key: string }[] });
          // What the workload decides: who does what to which keys, when (deps and versions
          // depend on what was read, so they are left out).
          return records.map((r) =>
            r.type === 'write' ? `w ${r.session} ${r.t0} ${r.tc} ${r.key}` : `r ${r.session} ${r.t0} ${r.reads!.map((x) => x.key).join(',')}`,
          );
        },
      );
      assert.ok(shapes[0]!.length > 500);
      for (let i = 1; i < shapes.length; i++) assert.deepEqual(shapes[i], shapes[0], `strategy ${i} saw another workload`);
    } finally {
      cleanup();
    }
  });
});
