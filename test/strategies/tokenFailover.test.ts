// token with `track: causal` after a leader failover that lost writes (semantics.md section 6): a
// version another key's past requires may be lost, so no node will ever return it. The causal
// re-read rounds ("repeating until consistent … the leader covers everything", scenario.md) must
// then end: on qa-shards (no network latency, so every round takes no simulated time) they once
// looped at one instant for ever. Through the CLI, so that a hang fails by its timeout.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/text/version.js';

const BIN = join(PROJECT_ROOT, 'bin', 'lagsim.js');
const FAULTS = 'faults={failoverTime: 3s, events: [{at: 40s, crash: leader-1}]}';

interface Summary {
  anomalies: Record<'ryw' | 'mr' | 'cp', { violations: number; eligible: number }>;
  costs: { rounds: number };
  lost: { writes: number };
}

function run(extra: readonly string[]): Summary {
  const args = [BIN, 'run', join(PROJECT_ROOT, 'scenarios', 'qa-shards.yaml'), '--seed', '2', '--duration', '60s', '--strategy', 'token', '--set', FAULTS, '--json', ...extra];
  const result = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 120_000 });
  assert.equal(result.error, undefined, `did not finish: ${String(result.error)}`);
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as Summary;
}

describe('token, track causal, after a failover that lost writes', () => {
  it('finishes: re-reads stop at a required version no node holds', () => {
    const summary = run([]);
    assert.ok(summary.lost.writes > 0, 'the failover lost writes');
    assert.ok(summary.costs.rounds > 0, 'causal re-read rounds happened');
    // Without the failover, track causal leaves no consistent-prefix violation; with lost writes it
    // can only report them, not wait for them.
    const clean = spawnSync(
      process.execPath,
      [BIN, 'run', join(PROJECT_ROOT, 'scenarios', 'qa-shards.yaml'), '--seed', '2', '--duration', '60s', '--strategy', 'token', '--json'],
      { encoding: 'utf8', timeout: 120_000 },
    );
    assert.equal(clean.status, 0, clean.stderr);
    assert.equal((JSON.parse(clean.stdout) as Summary).anomalies.cp.violations, 0);
  });
});
