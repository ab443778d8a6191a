import { messages } from '../text/messages.js';
import { LatencyHistogram } from '../metrics/latency.js';
import { RandomStreams } from '../engine/random.js';
import { buildModel, strategyChoice } from '../scenario/buildModel.js';
import { InputError } from '../text/errors.js';
import type { Scenario } from '../scenario/schema.js';
import { RunClock, sleepUntil } from './clock.js';
import type { PgCluster } from './connection.js';
import type { RealReadRecord, RealRecord, RealWrite } from './history.js';
import { LagMonitor } from './monitor.js';
import { LEADER, RealNodes } from './nodes.js';
import { RealRead, type RealRouting } from '../strategies/real.js';
import { createRealStrategy } from '../strategies/index.js';
import { waitForReplicas, type TestTables } from './tables.js';
import type { Session } from '../model/session.js';
import { RealWorkload } from './workload.js';

export interface RealRunOptions {
  tables: TestTables;
  /** Node names: `leader-0`, then one per replica. */
  names: readonly string[];
  /** Balancer weights of the replicas, in order. */
  weights: readonly number[];
  /** Connections per server. */
  connections: number;
  /** How often the lag monitor reads the replicas' applied positions, µs; 0 = not at all. */
  lagPollUs: number;
  /** At most this many operations start per second (a load limit); null = no limit. */
  maxRatePerS: number | null;
  onProgress?: (nowUs: number, endUs: number) => void;
}

/** Costs of one read beyond what its history record holds. */
export interface ReadCosts {
  attempts: number;
  redirects: number;
  retries: number;
  waits: number;
  waitUs: number;
  /** Node index that served each key (-1: none). */
  servedBy: readonly number[];
}

export interface RealRunResult {
  records: RealRecord[];
  costs: Map<RealReadRecord, ReadCosts>;
  preloaded: Set<string>;
  nodes: RealNodes;
  /** Replica lag per replica, µs, of entries committed after warm-up. */
  replicaLagsUs: number[][];
  /** Operations a --max-rate limit held back. */
  throttled: number;
  /**
   * How late counted operations started, µs: actual t0 minus the end of the think time. Timers and a
   * busy machine make it; every microsecond of it lengthens a think time beyond the scenario's.
   */
  startLateUs: LatencyHistogram;
  wallUs: number;
}

/** What a real run cannot do that a simulation can: said as one InputError line. */
export function checkRealScenario(scenario: Scenario, file: string): void {
  if (scenario.cluster.shards !== 1) throw new InputError(file, 'cluster.shards', messages.realOneShard(scenario.cluster.shards));
  scenario.clients.forEach((group, i) => {
    if (group.sessions === undefined) throw new InputError(file, `clients.${i}`, messages.realClosedLoop);
  });
  if (scenario.faults.events.length > 0) throw new InputError(file, 'faults.events', messages.realNoFaults);
}

/** Spaces operation starts at least 1/rate apart (a load limit for production clusters). */
class StartLimiter {
  private nextUs = 0;
  throttled = 0;

  constructor(
    private readonly clock: RunClock,
    private readonly ratePerS: number,
  ) {}

  async take(): Promise<void> {
    const nowUs = this.clock.nowUs();
    const atUs = Math.max(nowUs, this.nextUs);
    this.nextUs = atUs + 1e6 / this.ratePerS;
    if (atUs > nowUs) {
      this.throttled++;
      await sleepUntil(this.clock, atUs);
    }
  }
}

/**
 * Runs the scenario's client workload against a real primary and its replicas, for the scenario's
 * warm-up plus duration in wall-clock time: closed-loop sessions, each one operation at a time with
 * the scenario's think times, actions and keys (drawn as the simulator draws them), writes on the
 * primary, reads routed by the scenario's strategy and balancer. Returns every operation; the
 * history, its checks and the summary are made from them afterwards.
 */
export async function runReal(scenario: Scenario, cluster: PgCluster, options: RealRunOptions): Promise<RealRunResult> {
  const spec = buildModel(scenario);
  const streams = new RandomStreams(scenario.seed);
  const workload = new RealWorkload(spec, streams);
  const preloaded = workload.preloadedKeys();
  await options.tables.setupWorkload(cluster.primary, preloaded);
  await waitForReplicas(cluster);
  await cluster.warm(Math.min(options.connections, Math.max(1, workload.sessions.length)));
  const run = new RealRun(scenario, cluster, options, workload, streams);
  const { clock, endUs } = run;
  let progress: NodeJS.Timeout | null = null;
  if (options.onProgress !== undefined) {
    const report = options.onProgress;
    progress = setInterval(() => report(Math.min(clock.nowUs(), endUs), endUs), 500);
  }
  run.monitor.start();
  try {
    await Promise.all(workload.sessions.map((session) => run.runSession(session)));
  } finally {
    if (progress !== null) clearInterval(progress);
    await run.strategy.stop();
    await run.monitor.stop();
  }
  const wallUs = clock.nowUs();
  options.onProgress?.(endUs, endUs);
  return {
    records: run.records,
    costs: run.costs,
    preloaded: new Set(preloaded),
    nodes: run.nodes,
    replicaLagsUs: run.monitor.lags(run.warmupUs),
    throttled: run.limiter?.throttled ?? 0,
    startLateUs: run.startLateUs,
    wallUs,
  };
}

/** One real run in progress: its sessions, what they do, and what it records. */
class RealRun {
  readonly clock = new RunClock();
  readonly nodes: RealNodes;
  readonly strategy: RealRouting;
  readonly monitor: LagMonitor;
  readonly limiter: StartLimiter | null;
  readonly records: RealRecord[] = [];
  readonly costs = new Map<RealReadRecord, ReadCosts>();
  readonly startLateUs = new LatencyHistogram();
  readonly warmupUs: number;
  readonly endUs: number;
  /** Commit time of each log position, for the lag monitor. */
  private readonly commitUs = new Map<number, number>();
  private committed = 0;

  constructor(
    scenario: Scenario,
    private readonly cluster: PgCluster,
    private readonly options: RealRunOptions,
    private readonly workload: RealWorkload,
    streams: RandomStreams,
  ) {
    this.nodes = new RealNodes(cluster, options.names, options.tables, workload.keys, workload.sessions.length, streams.stream('routing'), {
      policy: scenario.balancer.policy,
      maxLagUs: scenario.balancer.maxLag ?? null,
      weights: options.weights,
    });
    this.strategy = createRealStrategy(strategyChoice(scenario), this.nodes, this.clock);
    this.monitor = new LagMonitor(
      this.nodes,
      this.clock,
      options.lagPollUs,
      scenario.balancer.maxLag === undefined ? null : scenario.balancer.poll,
      (position) => this.commitUs.get(position),
      () => this.committed,
    );
    this.limiter = options.maxRatePerS === null ? null : new StartLimiter(this.clock, options.maxRatePerS);
    this.warmupUs = scenario.warmup;
    this.endUs = scenario.warmup + scenario.duration;
  }

  async runSession(session: Session): Promise<void> {
    const { clock, workload, endUs } = this;
    // A closed-loop session starts after one think time (semantics.md section 2).
    let nextUs = workload.think(session);
    while (nextUs < endUs) {
      await sleepUntil(clock, nextUs);
      if (this.limiter !== null) await this.limiter.take();
      const t0 = clock.nowUs();
      if (t0 >= endUs) break;
      if (t0 >= this.warmupUs) this.startLateUs.record(t0 - nextUs);
      const planned = workload.plan(session);
      this.strategy.onOperationStart(session, planned.write, t0);
      if (planned.write) await this.write(session, planned.keyIds[0]!, t0);
      else await this.read(session, planned.keyIds, planned.keys, t0);
      nextUs = clock.nowUs() + workload.think(session);
    }
  }

  private async write(session: Session, keyId: number, t0: number): Promise<void> {
    const { clock, nodes, workload } = this;
    const key = workload.name(keyId);
    const deps = workload.deps(session, keyId);
    let version = 0;
    let tc = 0;
    let lsn: number | null = null;
    let failed = false;
    nodes.queries++;
    try {
      const result = await this.cluster.primary.query<{ version: string }>(this.options.tables.writeSql, [key]);
      tc = clock.nowUs();
      version = Number(result.rows[0]!.version);
      nodes.writesServed++;
    } catch (error) {
      nodes.countError(LEADER, error);
      failed = true;
    }
    if (!failed && this.strategy.needsCommitLsn) {
      try {
        lsn = await nodes.position(LEADER);
      } catch {
        lsn = null;
      }
    }
    const t1 = clock.nowUs();
    this.records.push({ type: 'write', session: session.id, t0, tc: failed ? t1 : tc, t1, key, version, deps, warmup: t0 < this.warmupUs, failed } satisfies RealWrite);
    if (failed) return;
    this.commitUs.set(version, tc);
    if (version > this.committed) this.committed = version;
    workload.remember(session, keyId, version);
    workload.written(session, keyId);
    this.strategy.onWriteAcked(session, t1, lsn);
  }

  private async read(session: Session, keyIds: readonly number[], keys: string[], t0: number): Promise<void> {
    const op = new RealRead(session, keys, t0);
    await this.strategy.read(op);
    const t1 = this.clock.nowUs();
    const record: RealReadRecord = {
      type: 'read',
      session: session.id,
      t0,
      t1,
      keys,
      versions: op.versions,
      nodes: op.servedBy.map((node) => (node < 0 ? '' : this.options.names[node]!)),
      warmup: t0 < this.warmupUs,
      failed: op.failed,
    };
    this.records.push(record);
    this.costs.set(record, { attempts: op.attempts, redirects: op.redirects, retries: op.retries, waits: op.waits, waitUs: op.waitUs, servedBy: op.servedBy });
    if (op.failed) return;
    let topic = -1;
    keyIds.forEach((keyId, i) => {
      const t = this.workload.topicOf(keyId);
      if (topic < 0 && t >= 0) topic = t;
      const version = op.versions[i];
      if (version !== null && version !== undefined && version > 0) this.workload.remember(session, keyId, version);
    });
    if (topic >= 0) session.lastReadTopic = topic;
  }
}
