// Closed forms of read-your-writes against the simulation (issue 3, "Tests that must exist").
//
// The workload: an open-loop group in one region (no network latency, no service time), `rate`
// sessions per second, each writing its own (preloaded) key at its Poisson arrival and reading it
// back exactly `think` = d later. Every read is then one ryw-eligible key-read, and it violates ryw
// exactly when the replica has not applied the session's write by c + d, i.e. when a_i > c_i + d.
//
// With a_i = max(a_{i−1}, c_i + L_i) and i.i.d. per-entry lags (lagHold: 0), a_i ≤ c_i + d iff
// L_i ≤ d and no earlier entry j has c_j + L_j > c_i + d. Earlier commits form a Poisson process of
// rate λ going back in time, so the count of such j is Poisson with mean λ·∫_0^∞ P(L > d + s) ds =
// λ·E[(L − d)+], and
//     P(ryw) = 1 − F(d)·exp(−λ·E[(L − d)+])        (→ 1 − F(d) as λ → 0).
// Entries committed after c_i cannot delay it, so reads that would start after the end (and are
// therefore not issued) leave no bias; the warm-up only removes the first entries, which have
// fewer predecessors than the stationary process.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { distCdf, meanExcess, type DistSpec } from '../../src/model/distributions/index.js';
import { assertInWilson, assertOutsideWilson, run } from '../helpers/sim.js';

/** The scenario of the header comment, with `lag` and `lagHold` of the one replica. */
function ownWriteThenRead(options: { lag: unknown; lagHold: string | number; rate: number; dMs: number; duration: string; seed?: number }) {
  return {
    name: 'closed-form',
    seed: options.seed ?? 1,
    duration: options.duration,
    warmup: '10s',
    cluster: {
      leader: { region: 'here' },
      replicas: [{ region: 'here', lag: options.lag, lagHold: options.lagHold }],
    },
    clients: [
      {
        name: 'u',
        region: 'here',
        rate: options.rate,
        steps: 2,
        order: 'cycle',
        think: { dist: 'constant', value: `${options.dMs}ms` },
        actions: [
          { do: 'write', key: 'own' },
          { do: 'read', key: 'own' },
        ],
      },
    ],
  };
}

function rywOf(raw: unknown): { violations: number; n: number } {
  const { summary } = run(raw);
  const ryw = summary.anomalies.ryw;
  // Each read is of the session's own key right after its write: every key-read is eligible.
  assert.equal(ryw.eligible, ryw.keyReads, 'every read follows its own write');
  assert.equal(summary.costs.reads, ryw.keyReads, 'one key per read');
  return { violations: ryw.violations, n: ryw.keyReads };
}

describe('closed form (1): constant lag L, a read exactly d after the own write', () => {
  const L = 300;
  // d = L exactly is not a violation: an entry applied at a_i = t is visible to a read at t
  // (semantics.md section 1, "Ties": applies before reads).
  const cases: [dMs: number, expected: number][] = [
    [50, 1],
    [299.999, 1],
    [300, 0],
    [300.001, 0],
    [900, 0],
  ];
  for (const lagHold of [0, '1s']) {
    for (const [dMs, expected] of cases) {
      it(`lagHold ${lagHold}: d = ${dMs} ms → ryw rate ${expected}`, () => {
        const { violations, n } = rywOf(
          ownWriteThenRead({ lag: `${L}ms`, lagHold, rate: 20, dMs, duration: '100s' }),
        );
        assertInWilson(violations, n, expected, `d = ${dMs} ms`);
        assert.equal(violations, expected * n, 'a constant lag leaves nothing to chance');
      });
    }
  }
});

const LOGNORMAL: DistSpec = { dist: 'lognormal', median: 50_000, sigma: 1 };
const D_MS = [25, 50, 100, 200];

describe('closed form (2): lognormal per-entry lag, low write rate → 1 − F(d)', () => {
  const published = [0.756, 0.5, 0.244, 0.083];
  it('the closed form gives the figures of the issue', () => {
    D_MS.forEach((dMs, i) => assert.ok(Math.abs(1 - distCdf(LOGNORMAL, dMs * 1000) - published[i]!) < 5e-4));
  });
  // λ = 0.005/s: the head-of-line factor exp(−λ·E[(L−d)+]) is above 0.9995 for every d here, so
  // its bias is under a twentieth of the standard error of 20,000 reads. (At 0.05/s it is already
  // half a standard error at d = 100 ms: 'low' has to be low for a test this sharp.)
  const rate = 0.005;
  D_MS.forEach((dMs, i) => {
    it(`d = ${dMs} ms → ${published[i]}`, () => {
      const { violations, n } = rywOf(
        ownWriteThenRead({ lag: { dist: 'lognormal', median: '50ms', sigma: 1 }, lagHold: 0, rate, dMs, duration: '4000000s' }),
      );
      const expected = 1 - distCdf(LOGNORMAL, dMs * 1000);
      assert.ok(Math.exp((-rate * meanExcess(LOGNORMAL, dMs * 1000)) / 1e6) > 0.9995, 'the write rate is low');
      assertInWilson(violations, n, expected, `d = ${dMs} ms`, 15_000);
    });
  });
});

describe('closed form (3): lognormal per-entry lag, Poisson commits of rate λ → 1 − F(d)·exp(−λ·E[(L−d)+])', () => {
  for (const rate of [2, 8]) {
    D_MS.forEach((dMs) => {
      it(`λ = ${rate}/s, d = ${dMs} ms`, () => {
        const { violations, n } = rywOf(
          ownWriteThenRead({
            lag: { dist: 'lognormal', median: '50ms', sigma: 1 },
            lagHold: 0,
            rate,
            dMs,
            duration: `${Math.round(12_000 / rate)}s`,
          }),
        );
        const d = dMs * 1000;
        const headOfLine = Math.exp((-rate * meanExcess(LOGNORMAL, d)) / 1e6);
        const expected = 1 - distCdf(LOGNORMAL, d) * headOfLine;
        assertInWilson(violations, n, expected, `λ = ${rate}/s, d = ${dMs} ms`, 10_000);
        // Sharp enough to see head-of-line blocking: the per-entry form without it is rejected.
        if (rate >= 8) assertOutsideWilson(violations, n, 1 - distCdf(LOGNORMAL, d), 'without head-of-line blocking');
      });
    });
  }
});
