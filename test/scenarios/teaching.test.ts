// Every scenario of the library makes a point (issue 7); each test checks that the numbers still
// make it, with 95% intervals where a rate is compared with another.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Anomaly } from '../../src/checks/anomalies.js';
import { simulate } from '../../src/run/pipeline.js';
import type { RunSummary } from '../../src/report/summary.js';
import { withStrategy } from '../../src/scenario/buildModel.js';
import { loadScenario } from '../../src/run/load.js';
import { assertInWilson, assertOutsideWilson, SCENARIOS_DIR } from '../helpers/sim.js';

/** Runs a shipped scenario, optionally with another strategy (options from strategyOptions) and --set overrides. */
function runScenario(file: string, strategy?: string, overrides: string[] = []): RunSummary {
  const loaded = loadScenario(join(SCENARIOS_DIR, file), overrides);
  return simulate(strategy === undefined ? loaded : withStrategy(loaded, strategy)).summary;
}

function violations(summary: RunSummary, anomaly: Anomaly): number {
  return summary.anomalies[anomaly].violations;
}

/** The lower end of the 95% interval of violations among eligible key-reads. */
function lower(summary: RunSummary, anomaly: Anomaly): number {
  return summary.anomalies[anomaly].rateEligibleInterval?.low ?? 0;
}

function upper(summary: RunSummary, anomaly: Anomaly): number {
  return summary.anomalies[anomaly].rateEligibleInterval?.high ?? 1;
}

describe('ghost-post: the missing post after a refresh', () => {
  const short = ['duration=2m'];
  it('none misses a share of refreshes; pin (10 s) and token remove it; pin costs far more leader reads than token', () => {
    const none = runScenario('ghost-post.yaml', 'none', short);
    const pin = runScenario('ghost-post.yaml', 'pin', short);
    const token = runScenario('ghost-post.yaml', 'token', short);
    assert.ok(lower(none, 'ryw') > 0.1, `none: ryw among eligible ${none.anomalies.ryw.rateEligible}`);
    assert.equal(violations(pin, 'ryw'), 0);
    assert.equal(violations(token, 'ryw'), 0);
    assert.equal(none.costs.leaderShare, 0);
    assert.ok(pin.costs.leaderShare! > 3 * token.costs.leaderShare!, `pin ${pin.costs.leaderShare} vs token ${token.costs.leaderShare}`);
    assert.ok(token.costs.leaderShare! > 0);
  });
  it('fallback fixes inserts (a missing post is re-read on the leader)', () => {
    assert.equal(violations(runScenario('ghost-post.yaml', 'fallback', short), 'ryw'), 0);
  });
});

describe('profile-update: fallback cannot catch updates', () => {
  const short = ['duration=2m'];
  it('fallback leaves read-your-writes exactly as none does; pin and token fix it', () => {
    const none = runScenario('profile-update.yaml', 'none', short);
    const fallback = runScenario('profile-update.yaml', 'fallback', short);
    assert.ok(lower(none, 'ryw') > 0.1);
    // The replica returns the old row, never "absent": fallback never fires, so the runs are identical.
    assert.deepEqual(fallback.anomalies.ryw, none.anomalies.ryw);
    assert.equal(fallback.costs.leaderShare, 0);
    assert.equal(violations(runScenario('profile-update.yaml', 'pin', short), 'ryw'), 0);
    assert.equal(violations(runScenario('profile-update.yaml', 'token', short), 'ryw'), 0);
  });
});

describe('counter-flip: 42 → 38 → 42', () => {
  const short = ['duration=2m'];
  it('random replicas break monotonic reads; sticky and token (track: session) fix them; pin does not', () => {
    const none = runScenario('counter-flip.yaml', 'none', short);
    assert.ok(lower(none, 'mr') > 0.05, `none: mr ${none.anomalies.mr.rateEligible}`);
    assert.equal(violations(runScenario('counter-flip.yaml', 'sticky', short), 'mr'), 0);
    assert.equal(violations(runScenario('counter-flip.yaml', 'token', short), 'mr'), 0);
    const pin = runScenario('counter-flip.yaml', 'pin', short);
    assert.ok(lower(pin, 'mr') > 0.05, 'viewers never write, so pinning never helps them');
  });
});

describe('qa-shards: an answer without its question', () => {
  const short = ['duration=2m'];
  it('questions and answers on different shards break consistent prefix; causal tokens fix it, write tokens do not', () => {
    const none = runScenario('qa-shards.yaml', 'none', short);
    assert.ok(lower(none, 'cp') > 0.005, `none: cp ${none.anomalies.cp.rateEligible}`);
    const causal = runScenario('qa-shards.yaml', 'token', short);
    assert.equal(violations(causal, 'cp'), 0);
    assert.equal(violations(causal, 'mr'), 0);
    assert.equal(violations(causal, 'ryw'), 0);
    assert.ok(causal.costs.rounds > 0, 'consistency costs re-read rounds');
    const writes = runScenario('qa-shards.yaml', undefined, [...short, 'strategy={name: token, track: writes}']);
    assert.equal(violations(writes, 'ryw'), 0);
    assert.ok(lower(writes, 'cp') > 0.005, `track writes: cp ${writes.anomalies.cp.rateEligible}`);
  });
});

describe('github-push: choosing the pin window', () => {
  it('a longer window leaves fewer missing pushes and costs more leader reads', () => {
    const windows = ['250ms', '1s', '4s'].map((window) =>
      runScenario('github-push.yaml', undefined, ['duration=2m', `strategy={name: pin, window: ${window}}`]),
    );
    for (let i = 1; i < windows.length; i++) {
      assert.ok(upper(windows[i]!, 'ryw') < lower(windows[i - 1]!, 'ryw'), `ryw falls with the window (${i})`);
      assert.ok(windows[i]!.costs.leaderShare! > windows[i - 1]!.costs.leaderShare!, `leader share rises (${i})`);
    }
  });
});

describe('slack-sticky: sticky replicas, pin-after-post and a crash', () => {
  it('sticky alone keeps monotonic reads until the crash moves users; pin-after-post breaks them even without it', () => {
    const noCrash = ['faults.events=[]'];
    assert.equal(violations(runScenario('slack-sticky.yaml', undefined, [...noCrash, 'strategy={name: sticky}']), 'mr'), 0);
    const crash = runScenario('slack-sticky.yaml', undefined, ['strategy={name: sticky}']);
    assert.ok(violations(crash, 'mr') > 0, 'users moved by the ring see the log go back');
    const pinned = runScenario('slack-sticky.yaml', undefined, noCrash);
    assert.ok(violations(pinned, 'mr') > 0, 'leader, then replica: back in time');
    assert.equal(violations(runScenario('slack-sticky.yaml', 'token'), 'mr'), 0);
  });
});

describe('black-friday: lag from a load surge', () => {
  it('none gives roughly the 8% "order not found"; LSN-aware routing removes it', () => {
    const none = runScenario('black-friday.yaml', 'none');
    const rate = none.anomalies.ryw.rateEligible!;
    assert.ok(rate > 0.06 && rate < 0.11, `none: ${rate}`);
    const worst = Math.max(...none.replicaLag.map((r) => r.lagMs.max));
    assert.ok(worst > 5000 && worst < 10_000, `peak lag ${worst} ms is 5-10 s`);
    const token = runScenario('black-friday.yaml', 'token');
    assert.equal(violations(token, 'ryw'), 0);
  });
});

describe('black-friday-whole: the case figures as outcomes of mechanisms', () => {
  it('8% not found, 5-10 s peak, alerts in the surge; LSN routing: a trace left, duplicates nearly gone, 200 ms worst wait; analytics on the app replicas: seconds of lag', () => {
    const none = runScenario('black-friday-whole.yaml', 'none');
    const rate = none.anomalies.ryw.rateEligible!;
    assert.ok(rate > 0.05 && rate < 0.12, `none: ${rate}`);
    const oldDisk = none.monitor!.replicas.find((r) => r.node === 'old-disk-0-1')!;
    assert.ok(oldDisk.lagMs.max > 5000 && oldDisk.lagMs.max < 11_000, `peak lag ${oldDisk.lagMs.max} ms`);
    const appMedian = none.monitor!.replicas.filter((r) => r.node.startsWith('replica-')).map((r) => r.lagMs.p50);
    for (const p50 of appMedian) assert.ok(p50 > 100 && p50 < 300, `app replica median lag ${p50} ms`);
    // Both alerts fire on the old disk during the surge (4-8 min) and resolve after it.
    for (const alert of none.monitor!.alerts) {
      const firing = alert.firings.find((f) => f.node === 'old-disk-0-1')!;
      assert.ok(firing.firedMs > 240_000 && firing.firedMs < 480_000 && firing.resolvedMs! > firing.firedMs, `${alert.name}: ${JSON.stringify(firing)}`);
    }
    const token = runScenario('black-friday-whole.yaml', 'token');
    const tokenRate = token.anomalies.ryw.rateEligible!;
    assert.ok(tokenRate > 0 && tokenRate < 0.001, `token: ${tokenRate}`);
    assert.ok(token.reactions!.duplicates.count < 0.05 * none.reactions!.duplicates.count, 'duplicates down by more than 95%');
    assert.equal(token.costs.waitMs.max, 200);
    assert.ok(token.costs.readLatencyMs.p50 - none.costs.readLatencyMs.p50 < 5);
    const before = runScenario('black-friday-whole.yaml', 'none', ['clients.1.actions.0.target=replica']);
    const beforeMedian = before.monitor!.replicas.filter((r) => r.node.startsWith('replica-')).map((r) => r.lagMs.p50);
    assert.ok(beforeMedian.reduce((a, b) => a + b) / beforeMedian.length > 1000, `before: ${beforeMedian}`);
  });
});

describe('feed-causal: comments without what they reply to', () => {
  const short = ['duration=2m'];
  it('a feed over three shards breaks consistent prefix; causal tokens fix it', () => {
    const none = runScenario('feed-causal.yaml', 'none', short);
    assert.ok(lower(none, 'cp') > 0.002, `none: cp ${none.anomalies.cp.rateEligible}`);
    const causal = runScenario('feed-causal.yaml', 'token', short);
    assert.equal(violations(causal, 'cp') + violations(causal, 'mr') + violations(causal, 'ryw'), 0);
  });
});

describe('pg-ryw: the closed form its description states', () => {
  it('none misses 0.5(1 − e^(−100/150)) + 0.5(1 − e^(−300/150)) ≈ 67.6% of reads-after-write', () => {
    // A session writes its own row on the leader (no latency: tc = t1) and reads it back d ~ Exp(150 ms)
    // later from fast (lag 100 ms) or slow (300 ms), each with probability 1/2. A constant lag applies
    // every entry at c + L, so the read misses iff d < L: P = 1 − e^(−L/150 ms) per replica. Reads are
    // independent Bernoulli trials (fresh d and replica each), so the plain 95% interval is honest.
    const none = runScenario('pg-ryw.yaml');
    assert.equal(none.strategy.name, 'none');
    const ryw = none.anomalies.ryw;
    assert.equal(ryw.eligible, ryw.keyReads, 'every read follows the session’s own write');
    const expected = 0.5 * (1 - Math.exp(-100 / 150)) + 0.5 * (1 - Math.exp(-300 / 150));
    const description = loadScenario(join(SCENARIOS_DIR, 'pg-ryw.yaml')).description ?? '';
    assert.ok(description.includes(`${(100 * expected).toFixed(1)}%`), `the description states ${(100 * expected).toFixed(1)}%: ${description}`);
    assertInWilson(ryw.violations, ryw.eligible, expected, 'pg-ryw ryw among eligible', 5000);
    // The mixture over the two replicas matters: one replica at the mean lag (200 ms) is ruled out.
    assertOutsideWilson(ryw.violations, ryw.eligible, 1 - Math.exp(-200 / 150), 'pg-ryw at the mean lag');
  });
});
