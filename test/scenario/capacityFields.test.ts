// Validation of the capacity-planning fields (issue 18): one exact line per mistake.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { validateScenario } from '../../src/scenario/schema.js';
import { inputErrorLine } from '../helpers/inputError.js';

function scenario(client: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return {
    name: 'fields',
    duration: '10s',
    cluster: { leader: { region: 'r' }, replicas: [{ region: 'r', lag: 0 }] },
    clients: [{ name: 'u', region: 'r', rate: 10, think: '1s', actions: [{ do: 'read', key: 'popular' }], ...client }],
    ...extra,
  };
}

describe('capacity fields', () => {
  it('accept their documented forms', () => {
    assert.deepEqual(validateScenario(scenario({ arrivals: 'fixed' }), 's.yaml').clients[0]!.arrivals, { process: 'fixed' });
    assert.equal(validateScenario(scenario({ arrivals: 'poisson' }), 's.yaml').clients[0]!.arrivals, undefined);
    const onoff = validateScenario(scenario({ arrivals: { process: 'onoff', on: '1s', off: '2s' } }), 's.yaml').clients[0]!.arrivals;
    assert.deepEqual(onoff, { process: 'onoff', on: { dist: 'constant', value: 1e6 }, off: { dist: 'constant', value: 2e6 } });
    const report = validateScenario(scenario({}, { report: { tVisibility: ['50ms', '1s'] } }), 's.yaml').report;
    assert.deepEqual(report, { queueing: false, tVisibility: [50_000, 1_000_000] });
  });

  it('refuse mistakes with one line naming the field', () => {
    const line = (doc: unknown) => inputErrorLine(() => validateScenario(doc, 's.yaml'));
    assert.equal(
      line(scenario({ arrivals: { process: 'onoff', on: '1s' } })),
      's.yaml: clients.0.arrivals: expected on and off periods with arrivals: onoff, e.g. {process: onoff, on: 10s, off: 50s}',
    );
    assert.equal(line(scenario({ arrivals: { process: 'fixed', off: '1s' } })), 's.yaml: clients.0.arrivals.off: on and off apply to arrivals: onoff only');
    assert.equal(
      line(scenario({ arrivals: { process: 'onoff', on: 0, off: '1s' } })),
      's.yaml: clients.0.arrivals.on: expected an on period with a positive mean (the source would never send)',
    );
    assert.equal(
      line(scenario({ rate: undefined, sessions: 2, arrivals: 'fixed' })),
      's.yaml: clients.0.arrivals: an arrival process applies to open-loop groups only (give rate, not sessions)',
    );
    assert.equal(
      line(scenario({}, { report: { tVisibility: ['1s', '50ms'] } })),
      's.yaml: report.tVisibility: expected t-visibility times above 0 in increasing order, e.g. [50ms, 100ms, 1s]',
    );
    assert.equal(
      line(scenario({ actions: [{ do: 'read', key: 'popular', think: 0 }] })),
      's.yaml: clients.0.actions.0.think: expected a think time whose typical draw is at least 1us (the clock ticks in microseconds; draws of 0us would never let time advance)',
    );
  });

  it('sync fields: a quorum needs sync replicas and at most their copies; readFrom sync needs them too', () => {
    const line = (doc: unknown) => inputErrorLine(() => validateScenario(doc, 's.yaml'));
    const withCluster = (cluster: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
      scenario({}, { cluster: { leader: { region: 'r' }, ...cluster }, ...extra });
    const syncReplicas = [{ region: 'r', lag: 0, sync: 'remote_apply', count: 2 }];
    assert.equal(validateScenario(withCluster({ replicas: syncReplicas, syncQuorum: 2 }), 's.yaml').cluster.syncQuorum, 2);
    assert.equal(
      line(withCluster({ replicas: [{ region: 'r', lag: 0 }], syncQuorum: 1 })),
      's.yaml: cluster.syncQuorum: a sync quorum needs synchronous replicas (give a replica group sync: remote_write or remote_apply)',
    );
    assert.equal(
      line(withCluster({ replicas: syncReplicas, syncQuorum: 3 })),
      's.yaml: cluster.syncQuorum: expected at most 2 (the synchronous replica copies per shard), got 3',
    );
    assert.equal(
      line(withCluster({ replicas: [{ region: 'r', lag: 0, sync: 'remote_read' }] })),
      "s.yaml: cluster.replicas.0.sync: expected one of: remote_write, remote_apply, got \"remote_read\"",
    );
    assert.equal(
      line(withCluster({ replicas: [{ region: 'r', lag: 0 }] }, { balancer: { readFrom: 'sync' } })),
      's.yaml: balancer.readFrom: readFrom: sync needs synchronous replicas (give a replica group sync: remote_write or remote_apply)',
    );
  });

  it('reactions: the triggering action must be a read of the group', () => {
    const line = (doc: unknown) => inputErrorLine(() => validateScenario(doc, 's.yaml'));
    const actions = [{ do: 'write', key: 'new' }, { do: 'read', key: 'lastWritten' }];
    const ok = validateScenario(scenario({ actions, reactions: [{ on: 'notFound', p: 0.2, do: 'resubmit', action: 1 }] }), 's.yaml');
    assert.deepEqual(ok.clients[0]!.reactions, [{ on: 'notFound', p: 0.2, after: { dist: 'constant', value: 0 }, do: 'resubmit', limit: 3, action: 1 }]);
    assert.equal(
      line(scenario({ actions, reactions: [{ on: 'notFound', p: 0.2, do: 'resubmit', action: 0 }] })),
      's.yaml: clients.0.reactions.0.action: expected the index of a read action of this group (0 to 1), got 0',
    );
    assert.equal(
      line(scenario({ actions, reactions: [{ on: 'lost', p: 0.2, do: 'resubmit' }] })),
      's.yaml: clients.0.reactions.0.on: expected one of: ryw, mr, cp, stale, notFound, write, got "lost"',
    );
    assert.equal(line(scenario({ actions, reactions: [{ on: 'ryw', p: 1.5, do: 'refresh' }] })), 's.yaml: clients.0.reactions.0.p: expected a number <= 1, got 1.5');
  });

  it('lag causes: a target names the leader or a replica group, and only reads have one', () => {
    const line = (doc: unknown) => inputErrorLine(() => validateScenario(doc, 's.yaml'));
    assert.equal(
      line(scenario({ actions: [{ do: 'read', key: 'popular', target: 'reports' }] })),
      's.yaml: clients.0.actions.0.target: unknown target "reports" (expected leader or a replica group: replica)',
    );
    assert.equal(
      line(scenario({ actions: [{ do: 'write', key: 'own', target: 'leader' }] })),
      's.yaml: clients.0.actions.0.target: applies to read actions only (writes go to the leader)',
    );
    const ok = validateScenario(scenario({}, { migrations: [{ at: '1s', apply: '2s' }] }), 's.yaml');
    assert.deepEqual(ok.migrations, [{ at: 1e6, apply: { dist: 'constant', value: 2e6 } }]);
  });
});
