import { CostTally, toMs } from '../metrics/collector.js';
import { LatencyHistogram, type LatencySummary } from '../metrics/latency.js';
import { binnedPrecision } from '../metrics/runBatches.js';
import { anomaliesSummary, runHeader, type NodeSummary, type RunSummary } from '../report/summary.js';
import type { Scenario } from '../scenario/schema.js';
import { LAGSIM_VERSION } from '../text/version.js';
import type { FinishedHistory, KeyReadContext, RealReadRecord, RealWrite } from './history.js';
import { LEADER } from './nodes.js';
import type { ReadCosts, RealRunResult } from './runner.js';

/** The counted operations' tallies, as a simulation's MetricsCollector keeps them. */
class RealTallies extends CostTally {
  readonly readLatency = new LatencyHistogram();
  readonly writeLatency = new LatencyHistogram();
  readonly readsServed: number[];
  writesServed = 0;

  constructor(nodeCount: number) {
    super();
    this.readsServed = new Array<number>(nodeCount).fill(0);
  }

  protected latencies(): { read: LatencySummary; write: LatencySummary } {
    return { read: this.readLatency.toJSON(), write: this.writeLatency.toJSON() };
  }

  write(record: RealWrite): void {
    if (record.failed) {
      this.failedWrites++;
      return;
    }
    this.writes++;
    this.writesServed++;
    this.writeLatency.record(record.t1 - record.t0);
  }

  /** `contexts`: each key-read's leader facts (the history has none for a failed read). */
  read(record: RealReadRecord, costs: ReadCosts, contexts: readonly KeyReadContext[] | undefined): void {
    this.countAttempts(costs.attempts, costs.redirects, costs.retries, 0, costs.waits, costs.waitUs);
    if (record.failed) {
      this.failedReads++;
      return;
    }
    this.reads++;
    this.readLatency.record(record.t1 - record.t0);
    for (const node of new Set(costs.servedBy)) if (node >= 0) this.readsServed[node]!++;
    record.keys.forEach((_, i) => {
      this.keyReads++;
      if (costs.servedBy[i] === LEADER) this.leaderKeyReads++;
      const context = contexts![i]!;
      const returned = record.versions[i] ?? -1;
      if (context.leader !== null && context.leader > 0) {
        this.tVisibility.record(record.t0 - context.leaderCommitUs, returned >= context.leader);
      }
      if (context.leader !== null && returned < context.leader) {
        this.versionsBehind.record(context.versionsBehind);
        if (context.missedCommitUs !== null) this.timeBehind.record(Math.max(0, record.t0 - context.missedCommitUs));
      }
    });
  }
}

/**
 * The summary of a real run, in the simulator's RunSummary shape so the same table and JSON come
 * out: anomalies from the history's recount; costs, staleness and the t-visibility curve from the
 * counted (non-warm-up) operations; replica lag from the lag monitor. Node utilisation is not
 * measured on a real cluster and reads 0.
 */
export function realSummary(scenario: Scenario, run: RealRunResult, history: FinishedHistory, nodeRegions: readonly string[]): RunSummary {
  const names = run.nodes.names;
  const tallies = new RealTallies(names.length);
  for (const record of run.records) {
    if (record.warmup) continue;
    if (record.type === 'write') tallies.write(record);
    else tallies.read(record, run.costs.get(record)!, history.contexts.get(record));
  }
  const nodes: NodeSummary[] = names.map((name, node) => ({
    name,
    role: node === LEADER ? 'leader' : 'replica',
    shard: 0,
    region: nodeRegions[node] ?? '',
    readsServed: tallies.readsServed[node]!,
    writesServed: node === LEADER ? tallies.writesServed : 0,
    utilisation: 0,
  }));
  return {
    ...runHeader(scenario, scenario.strategy, LAGSIM_VERSION),
    anomalies: anomaliesSummary(history.check.counts, (name) => binnedPrecision(history.check.bins, name)),
    staleness: tallies.staleness(),
    tVisibility: tallies.tVisibilityCurve(),
    costs: tallies.costs(),
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
