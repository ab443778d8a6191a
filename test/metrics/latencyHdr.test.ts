import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as hdr from 'hdr-histogram-js';
import { LatencyHistogram } from '../../src/metrics/latency.js';

/** The reference: hdr-histogram-js recording every value itself. */
function reference(values: readonly number[]): hdr.Histogram {
  const h = hdr.build({ bitBucketSize: 64, autoResize: true, lowestDiscernibleValue: 1, numberOfSignificantValueDigits: 3, useWebAssembly: false });
  for (const v of values) h.recordValue(v);
  return h;
}

describe('LatencyHistogram records into HdrHistogram buckets itself', () => {
  it('gives HdrHistogram’s own percentiles (same buckets), also across powers of two and after merge', () => {
    const value = fc.oneof(
      fc.integer({ min: 0, max: 5000 }),
      fc.integer({ min: 0, max: 2 ** 40 }),
      fc.integer({ min: 1, max: 45 }).chain((k) => fc.constantFrom(2 ** k - 1, 2 ** k, 2 ** k + 1)),
    );
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 300 }), fc.array(value, { maxLength: 50 }), (values, more) => {
        const h = new LatencyHistogram();
        for (const v of values) h.record(v);
        const other = new LatencyHistogram();
        for (const v of more) other.record(v);
        h.merge(other);
        const all = [...values, ...more];
        const ref = reference(all);
        const max = Math.max(...all);
        for (const p of [0, 1, 50, 90, 99, 99.9, 100]) assert.equal(h.percentile(p), Math.min(ref.getValueAtPercentile(p), max));
        h.record(values[0]!);
        ref.recordValue(values[0]!);
        assert.equal(h.percentile(50), Math.min(ref.getValueAtPercentile(50), max), 'recording after a percentile query');
      }),
      { seed: 11, numRuns: 200 },
    );
  });
});
