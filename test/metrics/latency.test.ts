import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import seedrandom from 'seedrandom';
import { LatencyHistogram } from '../../src/metrics/latency.js';
import { percentileSorted } from '../../src/metrics/percentile.js';

/** Lognormal-ish integer latencies spanning 0 .. ~10⁷ µs, so several HDR magnitudes are exercised. */
function latenciesUs(n: number, seed: string): number[] {
  const rng = seedrandom(seed);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = rng();
    out.push(r < 0.01 ? 0 : Math.floor(Math.exp(2 + 14 * rng())));
  }
  return out;
}

const PERCENTILES = [0, 1, 10, 25, 50, 75, 90, 99, 99.9, 99.99, 100];

describe('LatencyHistogram', () => {
  it('percentiles are within HDR precision of the exact nearest-rank values', () => {
    const values = latenciesUs(100_000, 'lat');
    const h = new LatencyHistogram();
    for (const v of values) h.record(v);
    const sorted = [...values].sort((a, b) => a - b);
    for (const p of PERCENTILES) {
      const exact = percentileSorted(sorted, p)!;
      const approx = h.percentile(p);
      // 3 significant digits: the bucket holding `exact` is narrower than exact/1000 (and exact
      // below 2048); HDR reports that bucket's upper edge, so the answer is never below exact.
      assert.ok(approx >= exact && approx - exact <= exact / 1000, `p${p}: ${approx} vs exact ${exact}`);
    }
    assert.equal(h.count, values.length);
    assert.equal(h.max, sorted[sorted.length - 1]);
    assert.equal(h.mean, values.reduce((a, b) => a + b, 0) / values.length);
  });

  it('is exact for small values', () => {
    const h = new LatencyHistogram();
    for (let v = 0; v < 2000; v++) h.record(v);
    const sorted = Array.from({ length: 2000 }, (_, i) => i);
    for (const p of PERCENTILES) assert.equal(h.percentile(p), percentileSorted(sorted, p));
  });

  it('records 0, clamps negatives to 0 and rounds half up', () => {
    const h = new LatencyHistogram();
    h.record(0);
    h.record(-5);
    h.record(0.4);
    h.record(9.5);
    assert.deepEqual(h.toJSON(), { count: 4, mean: 2.5, p50: 0, p90: 10, p99: 10, p999: 10, max: 10 });
    assert.throws(() => h.record(NaN), RangeError);
  });

  it('records a time beyond any run (a Pareto draw of 1e68 µs, Infinity) at its cap, 2^50 µs', () => {
    const h = new LatencyHistogram();
    h.record(1000);
    h.record(1.7e68);
    h.record(Infinity);
    assert.equal(h.max, LatencyHistogram.MAX_RECORDED_US);
    assert.equal(h.count, 3);
    // Two of three at the cap: the median is the cap's bucket (3 significant digits).
    assert.ok(Math.abs(h.percentile(50) / LatencyHistogram.MAX_RECORDED_US - 1) < 1e-3, String(h.percentile(50)));
    assert.ok(Number.isFinite(h.toJSON().mean));
  });

  it('an empty histogram reports zeros', () => {
    assert.deepEqual(new LatencyHistogram().toJSON(), { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 });
  });

  it('merge equals recording everything into one histogram', () => {
    const a = latenciesUs(20_000, 'a');
    const b = latenciesUs(30_000, 'b').map((v) => v * 50);
    const ha = new LatencyHistogram();
    const hb = new LatencyHistogram();
    const all = new LatencyHistogram();
    for (const v of a) {
      ha.record(v);
      all.record(v);
    }
    for (const v of b) {
      hb.record(v);
      all.record(v);
    }
    ha.merge(hb);
    assert.deepEqual(ha.toJSON(), all.toJSON());
    for (const p of PERCENTILES) assert.equal(ha.percentile(p), all.percentile(p));
  });

  it('is deterministic', () => {
    const build = (): string => {
      const h = new LatencyHistogram();
      for (const v of latenciesUs(10_000, 'det')) h.record(v);
      return JSON.stringify(h);
    };
    assert.equal(build(), build());
  });
});
