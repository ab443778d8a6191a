// Arrival processes of open-loop groups (issue 18): fixed gaps, on/off bursts, and Poisson unchanged.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { simulate } from '../../src/run/pipeline.js';
import { scenarioFromDocument } from '../../src/scenario/parse.js';
import { dataFilesIn } from '../../src/run/load.js';
import { REPO_ROOT, run } from '../helpers/sim.js';

function readers(rate: number, arrivals: unknown, duration = '10s') {
  return {
    name: 'arrivals',
    duration,
    cluster: { leader: { region: 'r' }, replicas: [{ region: 'r', lag: 0 }] },
    clients: [{ name: 'u', region: 'r', rate, steps: 1, think: '1s', ...(arrivals === undefined ? {} : { arrivals }), actions: [{ do: 'read', key: 'popular' }] }],
  };
}

function startTimesUs(raw: unknown): number[] {
  const starts: number[] = [];
  simulate(scenarioFromDocument(raw, 'test', dataFilesIn(REPO_ROOT)), { onOperation: (_session, op) => starts.push(op.startUs) });
  return starts;
}

describe('arrival processes', () => {
  it('fixed: exactly one session every 1/rate, the first at 1/rate', () => {
    const starts = startTimesUs(readers(100, 'fixed'));
    // Arrivals at 10 ms, 20 ms, ..., 9,990 ms (none at or after the end, 10 s).
    assert.equal(starts.length, 999);
    starts.forEach((t, i) => assert.equal(t, (i + 1) * 10_000));
  });

  it('poisson (the default) gives the same run as no arrivals field', () => {
    const a = run(readers(100, undefined)).summary;
    const b = run(readers(100, 'poisson')).summary;
    const c = run(readers(100, { process: 'poisson' })).summary;
    assert.deepEqual(b, a);
    assert.deepEqual(c, a);
  });

  it('onoff: none in off periods, Poisson at rate in on periods (mean rate · on/(on + off))', () => {
    const starts = startTimesUs(readers(200, { process: 'onoff', on: '1s', off: '3s' }, '40s'));
    for (const t of starts) assert.ok(t % 4_000_000 < 1_000_000, `an arrival at ${t} µs, in an off period`);
    // 10 on periods of 1 s at 200/s: Poisson with mean 2,000 (sd 44.7); 4 sd either side.
    assert.ok(Math.abs(starts.length - 2000) < 4 * Math.sqrt(2000), `${starts.length} arrivals vs 2,000`);
    // Within an on period arrivals are uniform: the share in its first half is 1/2.
    const firstHalf = starts.filter((t) => t % 4_000_000 < 500_000).length;
    const sd = Math.sqrt(starts.length * 0.25);
    assert.ok(Math.abs(firstHalf - starts.length / 2) < 4 * sd, `${firstHalf} of ${starts.length} in first halves`);
  });

  it('a time-varying schedule is followed by fixed arrivals (gap 1/rate(t))', () => {
    const raw = readers(100, 'fixed');
    const starts = startTimesUs({ ...raw, clients: [{ ...raw.clients[0], schedule: [{ at: 0, rate: 100 }, { at: '5s', rate: 200 }], interpolate: 'step' }] });
    // 10 ms gaps to 5 s (499 arrivals, the last at 4,990 ms; the next at 5,000 ms), then 5 ms gaps.
    assert.equal(starts.filter((t) => t < 5_000_000).length, 499);
    assert.equal(starts.filter((t) => t >= 5_000_000).length, 1000);
  });
});
