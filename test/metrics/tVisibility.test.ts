// The t-visibility curve (semantics.md section 3, as PBS draws it): per key-read, t = t0 − tc of the
// latest version committed at or before t0, and whether the read returned at least that version.
// Bucket i of T_VISIBILITY_EDGES_MS holds t in [edge i, edge i+1) ms; the last one is open.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { T_VISIBILITY_EDGES_MS, TVisibility } from '../../src/metrics/tVisibility.js';
import { run } from '../helpers/sim.js';

describe('TVisibility buckets', () => {
  it('a bucket holds t from its lower edge (included) to its upper edge (excluded); the last is open', () => {
    const curve = new TVisibility();
    curve.record(0, true); // [0, 1)
    curve.record(999, false); // [0, 1)
    curve.record(99_999, false); // [50, 100)
    curve.record(100_000, true); // [100, 200): exactly on an edge
    curve.record(60_000_000, true); // [60000, ∞)
    curve.record(3_600_000_000, false); // [60000, ∞)
    const points = curve.points().map((p) => [p.fromMs, p.toMs, p.keyReads, p.visible]);
    assert.deepEqual(points, [
      [0, 1, 2, 1],
      [50, 100, 1, 0],
      [100, 200, 1, 1],
      [60000, null, 2, 1],
    ]);
  });
});

/**
 * One replica with a constant lag (no network, no service or apply time): writers update a few
 * popular keys, readers read them, and `own` sessions read their own write exactly `lagMs` after
 * committing it (a t exactly at the lag, which the tie rule makes visible).
 */
function constantLag(lagMs: number) {
  return {
    name: 't-visibility',
    duration: '15s',
    warmup: '1s',
    keyspace: { count: 8 },
    cluster: { leader: { region: 'here' }, replicas: [{ region: 'here', count: 2, lag: `${lagMs}ms` }] },
    clients: [
      { name: 'w', region: 'here', sessions: 4, think: { dist: 'exponential', mean: '40ms' }, actions: [{ do: 'write', key: 'popular' }] },
      { name: 'r', region: 'here', sessions: 20, think: { dist: 'exponential', mean: '30ms' }, actions: [{ do: 'read', key: 'popular', count: 2 }] },
      {
        name: 'own',
        region: 'here',
        sessions: 10,
        order: 'cycle',
        think: `${lagMs}ms`,
        actions: [
          { do: 'write', key: 'own' },
          { do: 'read', key: 'own' },
        ],
      },
    ],
  };
}

describe('t-visibility curve of the simulator', () => {
  // A replica with a constant lag L applies each write at tc + L exactly (a_i = max(a_{i−1}, c_i + L)
  // = c_i + L), and a read at t0 sees it iff a ≤ t0 (applies before reads at one instant), i.e. iff
  // t = t0 − tc ≥ L: visibility is a step from 0 to 1 at L.
  for (const lagMs of [100, 150]) {
    it(`constant lag ${lagMs} ms: probability 0 in buckets below it, 1 in buckets at or above it`, () => {
      const { summary } = run(constantLag(lagMs));
      const points = summary.tVisibility;
      let below = 0;
      let above = 0;
      let straddling = 0;
      for (const p of points) {
        const where = `bucket [${p.fromMs}, ${p.toMs ?? '∞'}) ms: ${p.visible}/${p.keyReads}`;
        if (p.toMs !== null && p.toMs <= lagMs) {
          assert.equal(p.visible, 0, where);
          assert.equal(p.probability, 0, where);
          below += p.keyReads;
        } else if (p.fromMs >= lagMs) {
          assert.equal(p.visible, p.keyReads, where);
          assert.equal(p.probability, 1, where);
          above += p.keyReads;
        } else {
          // Only a bucket with L strictly inside holds both (t < L unseen, t ≥ L seen).
          assert.ok(p.visible > 0 && p.visible < p.keyReads, where);
          straddling++;
        }
      }
      assert.ok(below > 1000 && above > 1000, `key-reads below ${below}, at or above ${above}`);
      assert.equal(straddling, T_VISIBILITY_EDGES_MS.includes(lagMs) ? 0 : 1, 'buckets with the lag strictly inside');
      // The own reads have t = L exactly: they land in the bucket from L (an edge) and see the write.
      if (T_VISIBILITY_EDGES_MS.includes(lagMs)) {
        const atLag = points.find((p) => p.fromMs === lagMs);
        assert.ok(atLag !== undefined && atLag.keyReads >= summary.anomalies.ryw.eligible, 'the own reads are in the bucket from L');
        assert.ok(summary.anomalies.ryw.eligible > 500, `own reads ${summary.anomalies.ryw.eligible}`);
      }
      // Every unseen latest version is a stale read (the keys are preloaded, so none reads absent).
      const unseen = points.reduce((sum, p) => sum + p.keyReads - p.visible, 0);
      assert.equal(unseen, summary.anomalies.stale.violations);
    });
  }
});
