import { toMs } from '../metrics/collector.js';
import { LatencyHistogram } from '../metrics/latency.js';
import { binnedPrecision } from '../metrics/runBatches.js';
import { TVisibility } from '../metrics/tVisibility.js';
import { anomaliesSummary, runHeader, type NodeSummary, type RunSummary } from '../report/summary.js';
import type { Scenario } from '../scenario/schema.js';
import { LAGSIM_VERSION } from '../text/version.js';
import type { FinishedHistory } from './history.js';
import { LEADER } from './nodes.js';
import type { RealRunResult } from './runner.js';

/**
 * The summary of a real run, in the simulator's RunSummary shape so the same table and JSON come
 * out: anomalies from the history's recount; costs, staleness and the t-visibility curve from the
 * counted (non-warm-up) operations; replica lag from the lag monitor. Node utilisation is not
 * measured on a real cluster and reads 0.
 */
export function realSummary(scenario: Scenario, run: RealRunResult, history: FinishedHistory, nodeRegions: readonly string[]): RunSummary {
  const readLatency = new LatencyHistogram();
  const writeLatency = new LatencyHistogram();
  const waitUs = new LatencyHistogram();
  const versionsBehind = new LatencyHistogram();
  const timeBehind = new LatencyHistogram();
  const tVisibility = new TVisibility();
  const names = run.nodes.names;
  const readsServed = names.map(() => 0);
  let writesServed = 0;
  let reads = 0;
  let writes = 0;
  let failedReads = 0;
  let failedWrites = 0;
  let keyReads = 0;
  let leaderKeyReads = 0;
  let attempts = 0;
  let redirects = 0;
  let retries = 0;
  let waits = 0;

  for (const record of run.records) {
    if (record.warmup) continue;
    if (record.type === 'write') {
      if (record.failed) failedWrites++;
      else {
        writes++;
        writesServed++;
        writeLatency.record(record.t1 - record.t0);
      }
      continue;
    }
    const costs = run.costs.get(record)!;
    attempts += costs.attempts;
    redirects += costs.redirects;
    retries += costs.retries;
    if (costs.waits > 0) {
      waits += costs.waits;
      waitUs.record(costs.waitUs);
    }
    if (record.failed) {
      failedReads++;
      continue;
    }
    reads++;
    readLatency.record(record.t1 - record.t0);
    for (const node of new Set(costs.servedBy)) if (node >= 0) readsServed[node]!++;
    const contexts = history.contexts.get(record)!;
    record.keys.forEach((_, i) => {
      keyReads++;
      if (costs.servedBy[i] === LEADER) leaderKeyReads++;
      const context = contexts[i]!;
      const returned = record.versions[i] ?? -1;
      if (context.leader !== null && context.leader > 0) {
        tVisibility.record(record.t0 - context.leaderCommitUs, returned >= context.leader);
      }
      if (context.leader !== null && returned < context.leader) {
        versionsBehind.record(context.versionsBehind);
        if (context.missedCommitUs !== null) timeBehind.record(Math.max(0, record.t0 - context.missedCommitUs));
      }
    });
  }

  const nodes: NodeSummary[] = names.map((name, node) => ({
    name,
    role: node === LEADER ? 'leader' : 'replica',
    shard: 0,
    region: nodeRegions[node] ?? '',
    readsServed: readsServed[node]!,
    writesServed: node === LEADER ? writesServed : 0,
    utilisation: 0,
  }));
  return {
    ...runHeader(scenario, scenario.strategy, LAGSIM_VERSION),
    anomalies: anomaliesSummary(history.check.counts, (name) => binnedPrecision(history.check.bins, name)),
    staleness: { versionsBehind: versionsBehind.toJSON(), timeBehindMs: toMs(timeBehind.toJSON()) },
    tVisibility: tVisibility.points(),
    costs: {
      reads,
      writes,
      failedReads,
      failedWrites,
      leaderShare: keyReads === 0 ? null : leaderKeyReads / keyReads,
      attempts,
      redirects,
      retries,
      rounds: 0,
      waits,
      waitMs: toMs(waitUs.toJSON()),
      readLatencyMs: toMs(readLatency.toJSON()),
      writeLatencyMs: toMs(writeLatency.toJSON()),
    },
    nodes,
    replicaLag: run.replicaLagsUs.map((lags, i) => {
      const histogram = new LatencyHistogram();
      for (const lag of lags) histogram.record(lag);
      return { node: names[i + 1]!, lagMs: toMs(histogram.toJSON()) };
    }),
    lost: { writes: 0, rate: null, list: [] },
    faults: [],
    events: run.nodes.queries,
  };
}
