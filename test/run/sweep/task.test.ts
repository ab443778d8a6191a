// A sweep task that records lag is the measured run itself: the same summary as a plain run, and a
// lag series sampled from that run's log entries (no second simulation).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runTask } from '../../../src/run/sweep/task.js';
import { loadScenario } from '../../../src/run/load.js';
import { SCENARIOS_DIR } from '../../helpers/sim.js';

describe('sweep task', () => {
  for (const name of ['ghost-post.yaml', 'slack-sticky.yaml']) {
    it(`${name}: a lag task gives the run's summary and a series of every replica up to the end`, () => {
      const scenario = loadScenario(join(SCENARIOS_DIR, name), ['duration=20s']);
      const plain = runTask({ task: 0, kind: 'run', point: 0, seed: 3 }, scenario);
      const lag = runTask({ task: 0, kind: 'lag', point: 0, seed: 3 }, scenario);
      assert.equal(plain.kind, 'run');
      assert.equal(lag.kind, 'lag');
      if (lag.kind !== 'lag') return;
      assert.deepEqual(lag.summary, plain.summary);
      const replicas = plain.summary.nodes.filter((n) => n.role === 'replica').map((n) => n.name);
      assert.deepEqual(lag.series.nodes.map((n) => n.node), replicas);
      const samples = Math.floor(lag.series.endMs / lag.series.stepMs) + 1;
      for (const node of lag.series.nodes) {
        assert.equal(node.lagMs.length, samples);
        assert.ok(node.lagMs.every((lagMs, k) => lagMs >= 0 && lagMs <= node.peakMs[k]!), `${node.node}: a sample never exceeds its step's peak`);
        const summaryMax = plain.summary.replicaLag.find((r) => r.node === node.node)!.lagMs.max;
        assert.ok(Math.max(...node.peakMs) >= summaryMax * 0.99, `${node.node}: the series reaches the run's largest lag ${summaryMax} ms`);
      }
    });
  }
});
