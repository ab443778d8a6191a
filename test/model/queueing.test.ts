// Queue wait apart from service (issue 18): an M/M/c node against Erlang C, and a D/D/1 node
// that never queues.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pairedDifference } from '../../src/metrics/pairedDiff.js';
import { run } from '../helpers/sim.js';

/** Erlang C: the probability that an arrival to an M/M/c queue with offered load a = λ/μ waits. */
export function erlangC(c: number, a: number): number {
  let term = 1;
  let sum = 1; // k = 0
  for (let k = 1; k < c; k++) {
    term *= a / k;
    sum += term;
  }
  const last = ((term * a) / c) * (c / (c - a));
  return last / (sum + last);
}

/** A mean across independent replications (seeds) with its 95% t-interval. */
function meanInterval(values: number[]): { mean: number; low: number; high: number } {
  const diff = pairedDifference(values, values.map(() => 0));
  const interval = diff.interval ?? { low: -Infinity, high: Infinity };
  return { mean: diff.meanDiff ?? NaN, low: interval.low, high: interval.high };
}

function mmc(lambda: number, serviceMs: unknown, c: number, seed: number, arrivals?: string) {
  return {
    name: 'mmc',
    seed,
    duration: '20s',
    warmup: '2s',
    cluster: {
      leader: { region: 'r' },
      replicas: [{ region: 'r', lag: 0, service: serviceMs, concurrency: c }],
    },
    clients: [
      { name: 'u', region: 'r', rate: lambda, steps: 1, think: '1s', ...(arrivals ? { arrivals } : {}), actions: [{ do: 'read', key: 'popular' }] },
    ],
    report: { queueing: true },
  };
}

describe('Erlang C (the closed form the test uses)', () => {
  it('is ρ for one server and matches a hand-computed value for c = 2', () => {
    assert.ok(Math.abs(erlangC(1, 0.7) - 0.7) < 1e-12);
    // c = 2, a = 1: (1/2 · 2) / (1 + 1 + 1) = 1/3.
    assert.ok(Math.abs(erlangC(2, 1) - 1 / 3) < 1e-12);
  });
});

describe('per-node queueing', () => {
  it('an M/M/3 replica at ρ = 0.8: P(wait), mean wait, p99 wait and mean queue length match Erlang C', () => {
    const lambda = 2400;
    const mu = 1000;
    const c = 3;
    const C = erlangC(c, lambda / mu); // 0.6472
    const wqMs = (C / (c * mu - lambda)) * 1000; // 1.079 ms
    const lq = lambda * (wqMs / 1000); // 2.589
    // P(Wq > t) = C·e^{−(cμ−λ)t}, so the p99 of the wait is ln(100·C)/(cμ−λ).
    const p99Ms = (Math.log(100 * C) / (c * mu - lambda)) * 1000; // 6.95 ms
    const pWait: number[] = [];
    const wait: number[] = [];
    const p99: number[] = [];
    const queue: number[] = [];
    const service: number[] = [];
    for (let seed = 1; seed <= 8; seed++) {
      const { summary } = run(mmc(lambda, { dist: 'exponential', mean: '1ms' }, c, seed));
      const node = summary.queueing!.find((n) => n.node === 'replica-0-1')!;
      assert.ok(node.requests > 40_000, `${node.requests} requests`);
      pWait.push(node.pWait!);
      wait.push(node.waitMs.mean);
      p99.push(node.waitMs.p99);
      queue.push(node.meanQueueLength);
      service.push(node.serviceMs.mean);
    }
    const check = (what: string, values: number[], expected: number): void => {
      const m = meanInterval(values);
      assert.ok(m.low <= expected && expected <= m.high, `${what}: ${JSON.stringify(m)} vs ${expected}`);
    };
    check('P(wait)', pWait, C);
    check('mean wait (ms)', wait, wqMs);
    check('mean queue length', queue, lq);
    check('mean service (ms)', service, 1);
    // The p99 of one run is a biased estimator (the 99th of ~48,000 correlated waits): a ±5% band.
    const p = meanInterval(p99).mean;
    assert.ok(Math.abs(p - p99Ms) < 0.05 * p99Ms, `p99 wait ${p} ms vs ${p99Ms} ms`);
  });

  it('a D/D/1 node with service shorter than the gap never queues; longer service is all wait', () => {
    const { summary } = run(mmc(100, '9ms', 1, 1, 'fixed'));
    const node = summary.queueing!.find((n) => n.node === 'replica-0-1')!;
    assert.equal(node.pWait, 0);
    assert.equal(node.meanQueueLength, 0);
    assert.equal(node.serviceMs.mean, 9);
    // Every 10 ms an arrival, 11 ms of service: the k-th request waits k ms, the queue grows.
    const slow = run(mmc(100, '11ms', 1, 1, 'fixed')).summary.queueing!.find((n) => n.node === 'replica-0-1')!;
    assert.ok(slow.pWait! > 0.99, `P(wait) ${slow.pWait}`);
    // Waits of requests served in [2 s, 22 s): they arrived at 10k ms and wait k ms until service.
    assert.ok(slow.waitMs.max > 150, `max wait ${slow.waitMs.max} ms`);
  });

  it('is absent from the summary unless report.queueing is true', () => {
    const raw = mmc(100, '1ms', 1, 1);
    const { report: _omit, ...without } = raw;
    assert.equal(run(without).summary.queueing, undefined);
  });
});
