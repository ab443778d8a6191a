// Leader read and write service times and think time per action (issue 18), by hand.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { run } from '../helpers/sim.js';

describe('leader readService / writeService', () => {
  it('a write takes writeService and a leader read takes readService, exactly', () => {
    const { summary } = run({
      name: 'leader-service',
      duration: '10s',
      cluster: { leader: { region: 'r', service: '50ms', readService: '2ms', writeService: '7ms' }, replicas: [{ region: 'r', lag: '10s' }] },
      clients: [{ name: 'u', region: 'r', sessions: 3, think: '100ms', order: 'cycle', actions: [{ do: 'write', key: 'own' }, { do: 'read', key: 'own' }] }],
      // Each read follows its session's write, so it goes to the leader.
      strategy: { name: 'pin', scope: 'request' },
    });
    assert.ok(summary.costs.writes > 50 && summary.costs.reads > 50);
    assert.equal(summary.costs.leaderShare, 1);
    assert.equal(summary.costs.writeLatencyMs.mean, 7);
    assert.equal(summary.costs.writeLatencyMs.max, 7);
    assert.equal(summary.costs.readLatencyMs.mean, 2);
    assert.equal(summary.costs.readLatencyMs.max, 2);
  });

  it('without readService / writeService, `service` serves both (one setting given: the other stays `service`)', () => {
    const base = {
      name: 'leader-service',
      duration: '10s',
      cluster: { leader: { region: 'r', service: '5ms', writeService: '7ms' }, replicas: [{ region: 'r', lag: '10s' }] },
      clients: [{ name: 'u', region: 'r', sessions: 1, think: '100ms', order: 'cycle', actions: [{ do: 'write', key: 'own' }, { do: 'read', key: 'own' }] }],
      strategy: { name: 'pin', scope: 'request' },
    };
    const { summary } = run(base);
    assert.equal(summary.costs.writeLatencyMs.max, 7);
    assert.equal(summary.costs.readLatencyMs.max, 5);
  });
});

describe('think time per action', () => {
  it('the action\'s think follows it; the group\'s follows the others', () => {
    const raw = (actionThink: boolean) => ({
      name: 'think',
      duration: '10s',
      cluster: { leader: { region: 'r' }, replicas: [{ region: 'r', lag: 0 }] },
      clients: [
        {
          name: 'u',
          region: 'r',
          sessions: 1,
          think: '1s',
          order: 'cycle',
          actions: [{ do: 'write', key: 'own', ...(actionThink ? { think: '100ms' } : {}) }, { do: 'read', key: 'own' }],
        },
      ],
    });
    // Writes start at 1.0 + 1.1k s and reads 0.1 s later, before 10 s: 9 of each.
    const withThink = run(raw(true)).summary.costs;
    assert.equal(withThink.writes, 9);
    assert.equal(withThink.reads, 9);
    // With the group's 1 s after every operation: writes at 1, 3, 5, 7, 9 s; reads at 2, 4, 6, 8 s.
    const without = run(raw(false)).summary.costs;
    assert.equal(without.writes, 5);
    assert.equal(without.reads, 4);
  });
});
