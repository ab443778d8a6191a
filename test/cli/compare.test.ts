// `lagsim compare`: the paired differences it prints are the differences of the separate runs, seed
// by seed (recomputed here from `simulate`, with the t-interval from the closed form at 2 degrees
// of freedom); and common random numbers (semantics.md section 5): under one seed every strategy
// gives each session the same actions, keys and think times, and each replica the same lag levels,
// while another seed gives other ones (so the check can fail).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ANOMALIES } from '../../src/checks/anomalies.js';
import { ExitCode } from '../../src/text/exitCodes.js';
import { messages } from '../../src/text/messages.js';
import { simulate } from '../../src/run/pipeline.js';
import { RandomStreams } from '../../src/engine/random.js';
import { Simulator, type OperationObserver } from '../../src/model/simulator.js';
import type { PointResult } from '../../src/report/sweepResult.js';
import { buildModel, strategyChoice } from '../../src/scenario/buildModel.js';
import { loadScenario } from '../../src/run/load.js';
import { strategyFor, type Scenario } from '../../src/scenario/schema.js';
import { createStrategy, strategyNames } from '../../src/strategies/index.js';
import { tempDir } from '../helpers/sim.js';
import { BUILT, lagsim, writeSmallScenario } from './sweepCli.js';

const SEEDS = [1, 2, 3];
const T_975_DF2 = (2 * 0.975 - 1) / Math.sqrt(2 * 0.975 * 0.025);

function withStrategy(scenario: Scenario, name: string, seed: number): Scenario {
  return { ...scenario, strategy: strategyFor(scenario, name), seed };
}

describe('lagsim compare', { skip: !BUILT && 'dist/ not built (npm test builds it)' }, () => {
  it('reports paired differences equal to the differences of the separate runs', () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = writeSmallScenario(dir);
      const r = lagsim(dir, ['compare', file, '--strategies', 'pin,token', '--seeds', '1..3', '--jobs', '2', '--json']);
      assert.equal(r.status, ExitCode.ok, r.stderr);
      const points = (JSON.parse(r.stdout) as { points: PointResult[] }).points;
      assert.deepEqual(points.map((p) => p.strategyName), ['none', 'pin', 'token'], 'the baseline runs first even when not listed');

      const scenario = loadScenario(join(dir, file));
      const separate = new Map(
        ['none', 'pin', 'token'].map((name) => [name, SEEDS.map((seed) => simulate(withStrategy(scenario, name, seed)).summary)]),
      );
      for (const point of points) {
        const runs = separate.get(point.strategyName)!;
        for (const a of ANOMALIES) {
          const violations = runs.reduce((s, run) => s + run.anomalies[a].violations, 0);
          const keyReads = runs.reduce((s, run) => s + run.anomalies[a].keyReads, 0);
          assert.equal(point.anomalies[a].violations, violations, `${point.strategyName} ${a}: pooled violations`);
          assert.equal(point.anomalies[a].rate, violations / keyReads);
        }
        if (point.strategyName === 'none') {
          assert.equal(point.versus, null);
          continue;
        }
        for (const a of ANOMALIES) {
          const diffs = SEEDS.map((_, i) => runs[i]!.anomalies[a].rate! - separate.get('none')![i]!.anomalies[a].rate!);
          const mean = (diffs[0]! + diffs[1]! + diffs[2]!) / 3;
          const sd = Math.sqrt(diffs.reduce((s, d) => s + (d - mean) ** 2, 0) / 2);
          const half = (T_975_DF2 * sd) / Math.sqrt(3);
          const got = point.versus!.anomalies[a];
          assert.ok(Math.abs(got.meanDiff! - mean) < 1e-15, `${point.strategyName} ${a}: ${got.meanDiff} vs ${mean}`);
          assert.ok(Math.abs(got.interval!.low - (mean - half)) < 1e-12 && Math.abs(got.interval!.high - (mean + half)) < 1e-12, `${a} interval`);
        }
        const share = SEEDS.map((_, i) => runs[i]!.costs.leaderShare! - separate.get('none')![i]!.costs.leaderShare!);
        assert.ok(Math.abs(point.versus!.leaderShare.meanDiff! - share.reduce((s, d) => s + d, 0) / 3) < 1e-15);
      }
      // pin (window 2s, above the lag's p99 of 1s) removes every read-your-writes violation at every seed, so
      // each paired difference is minus none's rate: here the differences vary between seeds exactly
      // as much as none's rates (what pairing buys is shown by the common-random-numbers tests below).
      const pin = points.find((p) => p.strategyName === 'pin')!;
      assert.equal(pin.anomalies.ryw.violations, 0, 'pin removes read-your-writes violations');
      const noneRyw = separate.get('none')!.map((run) => run.anomalies.ryw.rate!);
      assert.ok(noneRyw.every((rate) => rate > 0), 'none has some at every seed');
      const ryw = pin.versus!.anomalies.ryw;
      assert.ok(Math.abs(ryw.meanDiff! + (noneRyw[0]! + noneRyw[1]! + noneRyw[2]!) / 3) < 1e-15, `${ryw.meanDiff} is minus none's mean rate`);

      const table = lagsim(dir, ['compare', file, '--strategies', 'pin,token', '--seeds', '1..3', '--jobs', '2']);
      assert.equal(table.status, ExitCode.ok, table.stderr);
      assert.match(table.stdout, /paired difference vs none/);
      assert.match(table.stdout, /^ {2}pin +\d+\.\d{3}% \[/m);
    } finally {
      cleanup();
    }
  });

  it('refuses unknown strategies with one line and exit 2', () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = writeSmallScenario(dir);
      for (const [args, expected] of [
        [['--strategies', 'none,bogus'], `--strategies: ${messages.unknownStrategy('bogus', strategyNames)}`],
        [['--strategies', 'pin,pin'], `--strategies: ${messages.strategyListedTwice('pin')}`],
        [['--strategies', ''], `--strategies: ${messages.strategiesEmpty}`],
        [['--seeds', '1,x'], `--seeds: ${messages.seedsSyntax('1,x')}`],
      ] as const) {
        const r = lagsim(dir, ['compare', file, ...args, '--out', 'out']);
        assert.equal(r.status, ExitCode.badInput, r.stderr);
        assert.equal(r.stderr.trim(), expected);
        assert.equal(r.stdout, '');
      }
    } finally {
      cleanup();
    }
  });
});

interface HistoryOp {
  type: string;
  session: number;
  t0: number;
  t1: number;
  key?: string;
  reads?: { key: string }[];
  warmup?: boolean;
}

/** Per session, in start order: what it did to which keys, and the think time before it. */
function sessionSequences(historyPath: string): Map<number, { action: string; think: number; t1: number }[]> {
  const ops = readFileSync(historyPath, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as HistoryOp)
    .filter((op) => op.type === 'read' || op.type === 'write');
  const bySession = new Map<number, HistoryOp[]>();
  for (const op of ops) bySession.set(op.session, [...(bySession.get(op.session) ?? []), op]);
  const out = new Map<number, { action: string; think: number; t1: number }[]>();
  for (const [session, list] of bySession) {
    list.sort((a, b) => a.t0 - b.t0);
    out.set(
      session,
      list.map((op, k) => ({
        action: `${op.type} ${op.type === 'write' ? op.key : (op.reads ?? []).map((r) => r.key).join('+')}`,
        think: op.t0 - (k === 0 ? 0 : list[k - 1]!.t1),
        t1: op.t1,
      })),
    );
  }
  return out;
}

/**
 * The lag levels a replica went through, as its apply times show them: an entry that did not wait
 * behind an earlier one (a_i > a_{i−1}) arrived at c_i + L(c_i), so a_i − c_i is the level then.
 * Returned as the run-length-compressed sequence of levels (µs).
 */
function lagLevels(scenario: Scenario): number[] {
  const model = buildModel(scenario);
  const simulator = new Simulator(model, new RandomStreams(scenario.seed));
  const strategy = createStrategy(strategyChoice(scenario), simulator.cluster);
  let lastApply = -1;
  const levels: number[] = [];
  const observer = new Proxy(
    {
      onApplyScheduled(_node: number, commitUs: number, applyUs: number) {
        if (applyUs > lastApply) {
          const level = applyUs - commitUs;
          if (levels[levels.length - 1] !== level) levels.push(level);
        }
        lastApply = applyUs;
      },
    },
    { get: (target, property) => (property in target ? target[property as keyof typeof target] : () => undefined) },
  ) as unknown as OperationObserver;
  simulator.run(strategy, observer);
  return levels;
}

/** Share of `a`'s levels that `b` has too, and whether the shared ones come in the same order. */
function overlap(a: number[], b: number[]): { share: number; sameOrder: boolean } {
  const inB = new Set(b);
  const common = a.filter((x) => inB.has(x));
  const inA = new Set(common);
  return { share: common.length / a.length, sameOrder: JSON.stringify(common) === JSON.stringify(b.filter((x) => inA.has(x))) };
}

describe('common random numbers across strategies', { skip: !BUILT && 'dist/ not built (npm test builds it)' }, () => {
  it('gives each session the same actions, keys and think times under every strategy, and other ones under another seed', () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = writeSmallScenario(dir);
      const scenario = loadScenario(join(dir, file));
      const history = (name: string, seed: number): Map<number, { action: string; think: number; t1: number }[]> => {
        const path = join(dir, `${name}-${seed}.jsonl`);
        simulate(withStrategy(scenario, name, seed), { historyPath: path });
        return sessionSequences(path);
      };
      const none = history('none', 7);
      let timingDiffers = 0;
      let compared = 0;
      for (const other of ['pin', 'token', 'fallback', 'sticky']) {
        const seqs = history(other, 7);
        assert.deepEqual([...seqs.keys()].sort(), [...none.keys()].sort(), 'the same sessions');
        for (const [session, mine] of seqs) {
          const base = none.get(session)!;
          const n = Math.min(mine.length, base.length);
          // Slower strategies fit fewer operations into the run: the shorter sequence is a prefix of the longer.
          assert.ok(n > 0, `session ${session} ran operations under both`);
          for (let k = 0; k < n; k++) {
            assert.equal(mine[k]!.action, base[k]!.action, `${other}, session ${session}, operation ${k}: same action and keys`);
            assert.equal(mine[k]!.think, base[k]!.think, `${other}, session ${session}, operation ${k}: same think time`);
            if (mine[k]!.t1 !== base[k]!.t1) timingDiffers++;
            compared++;
          }
        }
      }
      assert.ok(compared > 1000, `${compared} operations compared`);
      assert.ok(timingDiffers > 0, 'the strategies did change when operations completed (the check is not vacuous)');

      const otherSeed = history('none', 8);
      let differ = 0;
      for (const [session, mine] of otherSeed) {
        const base = none.get(session)!;
        if (mine.slice(0, 5).map((o) => o.action).join() !== base.slice(0, 5).map((o) => o.action).join()) differ++;
      }
      assert.ok(differ > 0.5 * otherSeed.size, 'another seed is another workload');
    } finally {
      cleanup();
    }
  });

  it('gives each replica the same lag levels under every strategy, and other ones under another seed', () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = writeSmallScenario(dir);
      const scenario = loadScenario(join(dir, file));
      const none = lagLevels(withStrategy(scenario, 'none', 7));
      assert.ok(none.length > 10, `${none.length} lag levels seen`);
      for (const other of ['pin', 'token', 'sticky']) {
        const levels = lagLevels(withStrategy(scenario, other, 7));
        const { share, sameOrder } = overlap(none, levels);
        assert.ok(share >= 0.9, `${other}: ${(share * 100).toFixed(1)}% of the levels seen under none are seen too`);
        assert.ok(sameOrder, `${other}: in the same order`);
      }
      const { share } = overlap(none, lagLevels(withStrategy(scenario, 'none', 8)));
      assert.ok(share < 0.1, `another seed draws other levels (${(share * 100).toFixed(1)}% shared)`);
    } finally {
      cleanup();
    }
  });
});
