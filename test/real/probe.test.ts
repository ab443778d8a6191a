// The probe's summary of measured lags and its CSV, which a scenario reads as an empirical lag.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lagCsv, lagPercentiles, type ProbeResult } from '../../src/real/probe.js';
import { parseSamplesCsv } from '../../src/scenario/parse.js';

describe('lagPercentiles', () => {
  it('gives nearest-rank percentiles in ms of samples in µs, whatever their order', () => {
    // 1..100 ms shuffled by a fixed stride: nearest rank k = ⌈p·n/100⌉ gives 50, 90 and 99 ms.
    const samplesUs = Array.from({ length: 100 }, (_, i) => (((i * 37) % 100) + 1) * 1000);
    assert.deepEqual(lagPercentiles(samplesUs), { count: 100, p50Ms: 50, p90Ms: 90, p99Ms: 99, maxMs: 100, meanMs: 50.5 });
  });

  it('rounds to whole µs and is empty for no samples', () => {
    assert.deepEqual(lagPercentiles([1500.4, 2500.6]), { count: 2, p50Ms: 1.5, p90Ms: 2.501, p99Ms: 2.501, maxMs: 2.501, meanMs: 2.001 });
    assert.deepEqual(lagPercentiles([]), { count: 0, p50Ms: null, p90Ms: null, p99Ms: null, maxMs: null, meanMs: null });
  });
});

describe('lagCsv', () => {
  it('writes one column of ms per replica, shorter columns ending in empty cells, read back as the same µs', () => {
    const probe = {
      replicas: [
        { name: 'fast-0-1', samplesUs: [100_000, 101_500, 99_250] },
        { name: 'slow-0-1', samplesUs: [300_000] },
      ],
    } as unknown as ProbeResult;
    const csv = lagCsv(probe);
    assert.equal(csv, 'fast-0-1,slow-0-1\n100.000,300.000\n101.500,\n99.250,\n');
    for (const replica of probe.replicas) {
      assert.deepEqual(parseSamplesCsv(csv, 'probe.csv', replica.name), replica.samplesUs);
    }
  });
});
