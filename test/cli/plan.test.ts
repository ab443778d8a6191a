// lagsim plan finds the optimum of a space small enough to solve by hand.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode } from '../../src/text/exitCodes.js';
import { messages } from '../../src/text/messages.js';
import { checkSlos, parseSlos, SLO_METRICS } from '../../src/run/plan/slo.js';
import { BIN, run, tempDir } from '../helpers/sim.js';

function lagsim(args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

// Every session writes its row and reads it back exactly 250 ms after the acknowledgement; the one
// replica applies 300 ms after the commit (no network, no queueing). So a pin window w keeps the
// read on the leader iff w > 250 ms, and otherwise the read misses the write: ryw = 0 for
// w ∈ {299, 400} ms and 100% for w ∈ {100, 200} ms. Cost: nodes = 1 leader + count replicas, so the
// optimum is count = 1 with the smallest feasible window (299 ms; 400 ms costs the same and comes
// later in grid order).
const SCENARIO = `
name: plan-by-hand
duration: 30s
cluster:
  leader: { region: r, service: { dist: constant, value: 1ms } }
  replicas:
    - { region: r, lag: 300ms }
clients:
  - { name: u, region: r, sessions: 20, order: cycle, think: 250ms, actions: [ { do: write, key: own }, { do: read, key: own } ] }
strategy: { name: pin, window: 1s }
`;

describe('lagsim plan', () => {
  it('finds the optimum computed by hand, with margins limit − value', () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = join(dir, 'plan.yaml');
      writeFileSync(file, SCENARIO);
      const out = join(dir, 'out');
      const { code, stdout, stderr } = lagsim([
        'plan', file, '--slo', 'ryw<0.01,leaderUtil<0.5', '--vary', 'cluster.replicas.0.count=2,1',
        '--vary', 'strategy.window=100ms,200ms,299ms,400ms', '--jobs', '1', '--out', out, '--json',
      ]);
      assert.equal(code, 0, stderr);
      const report = JSON.parse(stdout) as {
        ranked: { configuration: Record<string, string>; feasible: boolean; nodes: number; slos: { value: number; margin: number; met: boolean; slo: string }[] }[];
      };
      assert.deepEqual(report.ranked[0]!.configuration, { 'cluster.replicas.0.count': '1', 'strategy.window': '299ms' });
      const feasible = report.ranked.filter((row) => row.feasible).map((row) => row.configuration['strategy.window']).sort();
      assert.deepEqual(feasible, ['299ms', '299ms', '400ms', '400ms']);
      for (const row of report.ranked) {
        assert.equal(row.nodes, 1 + Number(row.configuration['cluster.replicas.0.count']));
        const ryw = row.slos[0]!;
        assert.ok(Math.abs(ryw.margin - (0.01 - ryw.value)) < 1e-12);
      }
      assert.ok(existsSync(join(out, 'plan.svg')) && existsSync(join(out, 'plan.json')));
    } finally {
      cleanup();
    }
  });

  it('bounds lost writes where a failover happened, and gives 0 where none did (no write can be lost)', () => {
    const scenario = (faults?: unknown) => ({
      name: 'lost',
      duration: '20s',
      cluster: { leader: { region: 'r' }, replicas: [{ region: 'r', count: 2, lag: '200ms' }] },
      clients: [{ name: 'u', region: 'r', sessions: 20, think: '50ms', actions: [{ do: 'write', key: 'own' }, { do: 'read', key: 'own' }] }],
      ...(faults === undefined ? {} : { faults }),
    });
    const lost = parseSlos('lost<0.0001');
    // 20 s of writes, none lost: a rate never seen would be bounded at about 3.8 / writes > 0.01%.
    const [calm] = checkSlos(lost, [run(scenario()).summary, run(scenario(), ['seed=2']).summary]);
    assert.deepEqual([calm!.value, calm!.met], [0, true]);
    const crash = { failoverTime: '1s', events: [{ at: '10s', crash: 'leader-0' }] };
    const crashed = [run(scenario(crash)).summary, run(scenario(crash), ['seed=2']).summary];
    assert.ok(crashed.every((summary) => summary.lost.writes > 0));
    const [failover] = checkSlos(lost, crashed);
    assert.ok(failover!.value > 0 && !failover!.met, JSON.stringify(failover));
  });

  it('tells a rate missed only by its interval (seen within the limit, upper end beyond it) from one missed as seen', () => {
    const scenario = {
      name: 'short',
      duration: '2s',
      cluster: { leader: { region: 'r' }, replicas: [{ region: 'r', lag: '200ms' }] },
      clients: [{ name: 'u', region: 'r', sessions: 5, think: '50ms', actions: [{ do: 'write', key: 'own' }, { do: 'read', key: 'own' }] }],
    };
    // Every read of one's own write within 200 ms misses it: nearly every eligible key-read violates ryw.
    const runs = [run(scenario).summary];
    const [seen, tight] = checkSlos(parseSlos('ryw<=1,ryw<0.5'), runs);
    assert.ok(seen!.met && !seen!.metOnlyAsSeen, JSON.stringify(seen));
    assert.ok(!tight!.met && !tight!.metOnlyAsSeen, 'missed as seen too');
    // No violation at all (pin after write, a whole second): 0 seen, yet a short run cannot bound it below 0.01%.
    const pinned = [run({ ...scenario, strategy: { name: 'pin', window: '1s' } }).summary];
    assert.equal(pinned[0]!.anomalies.ryw.violations, 0);
    const [onlyAsSeen] = checkSlos(parseSlos('ryw<0.0001'), pinned);
    assert.ok(!onlyAsSeen!.met && onlyAsSeen!.metOnlyAsSeen, JSON.stringify(onlyAsSeen));
  });

  it('parses SLOs with units, and rejects bad ones with one line', () => {
    const slos = parseSlos('ryw<0.001, readP99<=50ms ,leaderUtil<0.7');
    assert.deepEqual(
      slos.map(({ metric, inclusive, limit }) => ({ metric, inclusive, limit })),
      [
        { metric: 'ryw', inclusive: false, limit: 0.001 },
        { metric: 'readP99', inclusive: true, limit: 50 },
        { metric: 'leaderUtil', inclusive: false, limit: 0.7 },
      ],
    );
    // Rates as the tables show them: 0.1% is 0.001.
    assert.deepEqual(parseSlos('ryw<=0.1%,leaderUtil<70%').map((slo) => slo.limit), [0.001, 0.7]);
    assert.throws(() => parseSlos('ryw<%'), /--slo: ryw: expected a number >= 0 \(a rate such as 0\.001 or 0\.1%/);
    const { code, stderr } = lagsim(['plan', 'scenarios/ghost-post.yaml', '--slo', 'latency<5', '--vary', 'strategy.name=none,pin']);
    assert.equal(code, ExitCode.badInput);
    assert.equal(stderr.trim(), `--slo: ${messages.sloUnknownMetric('latency', Object.keys(SLO_METRICS))}`);
  });
});
