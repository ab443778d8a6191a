import { CheckQueue } from '../checks/checkQueue.js';
import type { HeldChecks } from '../checks/checkStream.js';
import { CountMarks } from '../checks/countMarks.js';
import { RUN_BINS } from '../metrics/timeBatches.js';
import { ConsistencyChecker } from '../checks/consistencyChecker.js';
import { RandomStreams } from '../engine/random.js';
import { MetricsCollector } from '../metrics/collector.js';
import { RunBatches } from '../metrics/runBatches.js';
import { LagMonitor } from '../metrics/monitor.js';
import { QueueingCollector } from '../metrics/queueing.js';
import { KINDS as REACTION_KINDS, ReactionCollector } from '../metrics/reactions.js';
import type { Operation } from '../model/operation.js';
import type { ModelSpec } from '../model/spec.js';
import type { ReactionKind } from '../model/reactions.js';
import type { Session } from '../model/session.js';
import { Simulator, type FailoverRecord, type OperationObserver, type RunHooks } from '../model/simulator.js';
import type { ReadRouting } from '../model/routing.js';
import { TimeSeries } from '../metrics/timeSeries.js';
import { tVisibilityEdgesMs } from '../metrics/tVisibility.js';
import { HistoryWriter } from '../report/historyWriter.js';
import type { HeldHistory, HistoryTarget } from '../report/historyStream.js';
import {
  anomaliesSummary,
  costsWithIntervals,
  failoverEntry,
  runHeader,
  nodeSummaries,
  replicaLagSummaries,
  tVisibilityWithIntervals,
  type FaultLogEntry,
  type LostWrite,
  type RunSummary,
} from '../report/summary.js';
import { buildModel, strategyChoice } from '../scenario/buildModel.js';
import type { Scenario } from '../scenario/schema.js';
import { createStrategy } from '../strategies/index.js';
import { LAGSIM_VERSION } from '../text/version.js';


export interface SimulateOptions {
  /** Write the JSON Lines history here (semantics.md section 4). */
  historyPath?: string;
  /** Sees every completed operation with the checker's flags (FLAG_* bits), e.g. to explain a session. */
  onOperation?: (session: Session, op: Operation, flags: number, simulator: Simulator) => void;
  /** Collect per-interval metrics every this many µs of simulated time. */
  timeSeriesIntervalUs?: number;
  /** Sees every log entry's commit and scheduled apply time on a replica (semantics.md section 1), e.g. to chart lag over time. */
  onApplyScheduled?: (node: number, commitUs: number, applyUs: number, simulator: Simulator) => void;
  /**
   * Sees every log entry as a replica applies it, at the time it did (moved by faults since its
   * commit; RunHooks.onApplied), e.g. to tell when a write was actually applied. Entries dropped in
   * a failover are never seen; those pending at the end are in ReplicaLog.pendingEntries.
   */
  onApplied?: (node: number, position: number, applyUs: number, simulator: Simulator) => void;
  /** Called about 100 times over the run with the simulated time reached. */
  onProgress?: (nowUs: number, endUs: number) => void;
  /**
   * Where the checks go when the run holds them (nothing reads a read's flags as it runs): another
   * thread's (src/run/checkThread.ts), or null for this thread's CheckQueue. Counts are the same.
   */
  heldChecks?: (checker: ConsistencyChecker, marks: CountMarks) => HeldChecks | null;
  /** The same for a run with a history (and no reactions, nobody watching operations): the checks and the history's lines go there. */
  heldHistory?: (checker: ConsistencyChecker, marks: CountMarks, history: HistoryTarget) => HeldHistory | null;
}

/** The part of a RunSummary that can be read while a run lasts (SteppedRun.partial). */
export type PartialSummary = Pick<RunSummary, 'anomalies' | 'costs'>;

export interface SimulationResult {
  summary: RunSummary;
  timeSeries: TimeSeries | null;
  simulator: Simulator;
  checker: ConsistencyChecker;
}

/**
 * One run, top to bottom: build the model from the validated scenario, attach the strategy, the
 * checks, the metrics and the history, simulate, and summarize.
 */
export function simulate(scenario: Scenario, options: SimulateOptions = {}): SimulationResult {
  const run = prepare(scenario, options);
  const { simulator, history, endUs } = run;
  try {
    try {
      const { onProgress } = options;
      simulator.run(run.strategy, run.observer, {
        ...(onProgress ? { onProgress: (nowUs: number) => onProgress(nowUs, endUs) } : {}),
        ...run.hooks,
      });
      history?.close();
    } catch (error) {
      history?.abort();
      throw error;
    }
    return run.result();
  } finally {
    run.release();
  }
}

/** A run taken in steps (the playground's worker yields to its messages between them); no history file. */
export interface SteppedRun {
  /** Simulated time at which the run ends (warm-up + duration), µs. */
  readonly endUs: number;
  /** Simulates every event up to `untilUs`; false once the run is over. The events are simulate's. */
  advance(untilUs: number): boolean;
  /** The anomaly rates and costs so far. */
  partial(): PartialSummary;
  /** The result, once `advance` has returned false: simulate's for the same scenario and options. Releases what holds the checks. */
  result(): SimulationResult;
  /** Gives back what holds the checks (a check thread) for a run abandoned before its result; result() does it too. */
  release(): void;
}

export function startSimulation(scenario: Scenario, options: Omit<SimulateOptions, 'historyPath' | 'onProgress'> = {}): SteppedRun {
  const run = prepare(scenario, options);
  run.simulator.begin(run.strategy, run.observer, run.hooks);
  return {
    endUs: run.endUs,
    advance: (untilUs) => run.simulator.advance(untilUs),
    partial: run.partial,
    result: () => {
      try {
        return run.result();
      } finally {
        run.release();
      }
    },
    release: run.release,
  };
}

interface PreparedRun {
  simulator: Simulator;
  strategy: ReadRouting;
  observer: OperationObserver;
  /** Time series, batch boundaries, monitoring, reactions and queueing hooks. */
  hooks: RunHooks;
  /** The history file, however it is written: closed once the run is complete, removed if it fails. */
  history: { close(): void; abort(): void } | null;
  endUs: number;
  partial(): PartialSummary;
  result(): SimulationResult;
  /** Gives back what holds the checks (a check thread goes to the next run). */
  release(): void;
}

/** What a run collects besides the simulation itself: checks, metrics, optional collectors, the history. */
interface Collectors {
  checker: ConsistencyChecker;
  /** The checker's inputs held for batches, when nothing reads a read's flags during the run; else null. */
  pendingChecks: HeldChecks | null;
  /** The same, when they take the history's lines with them (pendingChecks too); else null. */
  heldHistory: HeldHistory | null;
  metrics: MetricsCollector;
  queueing: QueueingCollector | null;
  conflicts: { cancelledReads: number } | null;
  reactions: ReactionCollector | null;
  history: HistoryWriter | null;
  timeSeries: TimeSeries | null;
  monitor: LagMonitor | null;
  batches: RunBatches;
  faults: FaultLogEntry[];
  lostWrites: LostWrite[];
}

/** The model, strategy, checks, metrics and history of a run, wired together; nothing simulated yet. */
function prepare(scenario: Scenario, options: SimulateOptions): PreparedRun {
  const model = buildModel(scenario);
  const simulator = new Simulator(model, new RandomStreams(scenario.seed));
  const choice = strategyChoice(scenario);
  const strategy = createStrategy(choice, simulator.cluster);
  const run = collectors(scenario, model, simulator, options);
  const { checker, metrics, batches } = run;
  const partial = (): PartialSummary => {
    run.pendingChecks?.drain();
    return { anomalies: anomaliesSummary(checker.counts, (name) => batches.partialAnomaly(name)), costs: metrics.costs() };
  };
  const result = (): SimulationResult => {
    // The last boundaries mark the counts at the end: held checks are applied after them.
    batches.finish();
    run.pendingChecks?.drain();
    run.timeSeries?.finish();
    const summary = { ...runHeader(scenario, choice, LAGSIM_VERSION), ...summaryOf(run, model, simulator) };
    return { summary, simulator, checker, timeSeries: run.timeSeries };
  };
  const endUs = model.warmupUs + model.durationUs;
  const { onApplied } = options;
  const hooks: RunHooks = {
    ...hooksOf(run, scenario, simulator),
    ...(onApplied !== undefined ? { onApplied: (node: number, position: number, applyUs: number) => onApplied(node, position, applyUs, simulator) } : {}),
  };
  const release = (): void => run.pendingChecks?.close();
  const { heldHistory } = run;
  const history = heldHistory !== null ? { close: () => heldHistory.closeHistory(), abort: () => heldHistory.abortHistory() } : run.history;
  return { simulator, strategy, observer: observerOf(run, simulator, options), hooks, history, endUs, partial, result, release };
}

function collectors(scenario: Scenario, model: ModelSpec, simulator: Simulator, options: SimulateOptions): Collectors {
  const checker = new ConsistencyChecker();
  const cluster = simulator.cluster;
  const metrics = new MetricsCollector(
    model.warmupUs,
    (node, atUs) => node >= 0 && cluster.servedAsLeader(node, atUs),
    model.durationUs,
    tVisibilityEdgesMs(scenario.report?.tVisibility),
  );
  const queueing = scenario.report?.queueing === true ? new QueueingCollector() : null;
  const conflicts = scenario.cluster.replicas.some((group) => group.replayConflicts !== undefined) ? { cancelledReads: 0 } : null;
  const reactions = scenario.clients.some((group) => group.reactions !== undefined) ? new ReactionCollector(model.warmupUs, model.durationUs) : null;
  const timeSeries = options.timeSeriesIntervalUs === undefined ? null : new TimeSeries(options.timeSeriesIntervalUs, simulator, checker.counts, model.warmupUs);
  const monitor = lagMonitor(scenario, model, simulator, timeSeries);
  // The checker's counts at each batch boundary, for the intervals.
  const marks = new CountMarks(RUN_BINS + 1);
  // A read's flags go to the history, to reactions and to callers watching operations. Without
  // reactions and watchers, they are not needed when the read completes: the checks can wait for a
  // batch, and the history's lines with them (on the check thread, which gets the flags). Taken
  // after everything that can fail: only a run that prepare returns gives a check thread back.
  const flagsWanted = reactions !== null || options.onOperation !== undefined;
  const { historyPath } = options;
  const heldHistory =
    historyPath === undefined || flagsWanted ? null : (options.heldHistory?.(checker, marks, { path: historyPath, nodeNames: cluster.nodeNames, keys: simulator.keys }) ?? null);
  const history = historyPath === undefined || heldHistory !== null ? null : new HistoryWriter(historyPath, simulator.keys, cluster.nodeNames);
  const pendingChecks =
    heldHistory ?? (history === null && !flagsWanted ? (options.heldChecks?.(checker, marks) ?? new CheckQueue(checker, undefined, marks)) : null);
  const batches = new RunBatches({
    startUs: model.warmupUs,
    durationUs: model.durationUs,
    marks,
    mark: pendingChecks === null ? (row) => marks.record(row, checker.counts) : (row) => pendingChecks.mark(row),
    metrics,
    nodeCount: cluster.nodeNames.length,
    nodeBusyUs: (node) => cluster.nodeLoad(node).busyUs,
    extra: [
      ...(queueing === null
        ? []
        : cluster.nodeNames.flatMap((_, node) => [
            { name: `queue.${node}.started`, read: () => cluster.queueCountsSoFar(node).started },
            { name: `queue.${node}.waited`, read: () => cluster.queueCountsSoFar(node).waited },
          ])),
      ...(reactions === null
        ? []
        : [
            { name: 'reactions.exposure', read: () => reactions.exposureSoFar(cluster.nowUs()) },
            ...REACTION_KINDS.map((kind) => ({ name: `reactions.${kind}`, read: () => reactions.countSoFar(kind) })),
          ]),
      ...(monitor === null
        ? []
        : [
            { name: 'monitor.samples', read: () => monitor.samplesSoFar },
            ...replicaNodesOf(simulator).flatMap((_, i) => scenario.monitor!.lagAbove.map((__, k) => ({ name: `monitor.${i}.${k}`, read: () => monitor.aboveSoFar(i, k) }))),
          ]),
    ],
  });
  return { checker, pendingChecks, heldHistory, metrics, queueing, conflicts, reactions, history, timeSeries, monitor, batches, faults: [], lostWrites: [] };
}

const replicaNodesOf = (simulator: Simulator): number[] =>
  simulator.cluster.nodeNames.map((_, node) => node).filter((node) => !simulator.cluster.isLeader(node));

/** The scenario's `monitor:` scraping every replica's lag, or null. */
function lagMonitor(scenario: Scenario, model: ModelSpec, simulator: Simulator, timeSeries: TimeSeries | null): LagMonitor | null {
  if (scenario.monitor === undefined) return null;
  const replicaNodes = replicaNodesOf(simulator);
  return new LagMonitor(
    {
      everyUs: Math.max(1, Math.round(scenario.monitor.every)),
      lagAboveUs: scenario.monitor.lagAbove,
      alerts: scenario.monitor.alerts.map((rule) => ({ name: rule.name, aboveUs: rule.above, forUs: rule.for })),
    },
    replicaNodes,
    replicaNodes.map((node) => simulator.cluster.nodeNames[node]!),
    model.warmupUs,
    model.warmupUs + model.durationUs,
    (atUs, description, started) => timeSeries?.onFault(atUs, description, started),
  );
}

/** Each completed operation, failover and fault, to the checker, the metrics, the history and the caller. */
function observerOf(run: Collectors, simulator: Simulator, options: SimulateOptions): OperationObserver {
  const { checker, pendingChecks, heldHistory, metrics, conflicts, timeSeries, history, reactions, faults, lostWrites } = run;
  // Writes, forgets and session resets need no answer: they go to the queue when there is one.
  const checks = pendingChecks ?? checker;
  return {
    onWrite(session: Session, op: Operation) {
      if (heldHistory !== null) heldHistory.operation(session.index, session.id, op);
      else if (!op.failed) checks.recordWrite(session.index, op.keyIds[0]!, op.version, op.writtenPast);
      metrics.onWrite(op);
      timeSeries?.onOperation(false, op.failed, 0, 0);
      history?.write(session.id, op, 0);
      options.onOperation?.(session, op, 0, simulator);
    },
    onRead(session: Session, op: Operation) {
      let flags = 0;
      if (heldHistory !== null) heldHistory.operation(session.index, session.id, op);
      else if (!op.failed) {
        if (pendingChecks !== null) pendingChecks.read(session.index, op.keyCount, op.keyIds, op.returned, op.returnedPasts, op.leaderVersions, !op.warmup);
        else flags = checker.checkRead(session.index, op.keyCount, op.keyIds, op.returned, op.returnedPasts, op.leaderVersions, !op.warmup);
      }
      metrics.onRead(op);
      if (conflicts !== null && op.cancelled && !op.warmup) conflicts.cancelledReads++;
      if (timeSeries !== null) {
        // The leader share counts the key-reads the summary's does: of reads after warm-up.
        const counted = !op.warmup && !op.failed;
        let leaderKeyReads = 0;
        if (counted) for (let i = 0; i < op.keyCount; i++) if (simulator.cluster.servedAsLeader(op.servedBy[i]!, op.endUs)) leaderKeyReads++;
        timeSeries.onOperation(true, op.failed, counted ? op.keyCount : 0, leaderKeyReads);
      }
      history?.write(session.id, op, flags);
      options.onOperation?.(session, op, flags, simulator);
      return flags;
    },
    onApplyScheduled(node, commitUs, applyUs) {
      metrics.onApplyScheduled(node, commitUs, applyUs);
      options.onApplyScheduled?.(node, commitUs, applyUs, simulator);
    },
    onSessionStart(session: Session) {
      checks.resetSession(session.index);
      reactions?.onSessionStart(session.id, session.group.rate !== null, simulator.cluster.nowUs());
    },
    onFailover(record: FailoverRecord) {
      const lost = record.lost.map(([key, version]) => ({ key, version }));
      lostWrites.push(...lost.map((write) => ({ ...write, shard: record.shard, atMs: record.atUs / 1000 })));
      faults.push(failoverEntry(record.atUs / 1000, record.from, record.to, lost.length));
      if (history === null && heldHistory === null) return;
      const line = {
        type: 'failover',
        t: record.atUs,
        shard: record.shard,
        from: record.from,
        to: record.to,
        lost: lost.map((write) => [write.key, write.version]),
        crash: record.crashUs,
        received: record.received,
      };
      history?.writeRecord(record.atUs, line);
      heldHistory?.record(record.atUs, line);
    },
    onFault(atUs: number, description: string, started: boolean) {
      faults.push({ atMs: atUs / 1000, event: `${started ? 'start' : 'end'} ${description}` });
      timeSeries?.onFault(atUs, description, started);
    },
    onKeyForgotten(session: Session, keyId: number) {
      checks.forget(session.index, keyId);
    },
  };
}

/** The simulator's periodic and per-event hooks the collectors need. */
function hooksOf(run: Collectors, scenario: Scenario, simulator: Simulator): RunHooks {
  const { timeSeries, batches, monitor, reactions, queueing, pendingChecks } = run;
  // The samples read the checker's counts: the checks held so far go first. Boundaries mark
  // their place in the checks instead (RunBatches: the counts are read once applied).
  const boundaries = batches.boundaries;
  return {
    ...(timeSeries !== null
      ? {
          sampleEveryUs: timeSeries.intervalUs,
          onSample: (nowUs: number) => {
            pendingChecks?.drain();
            timeSeries.sample(nowUs);
          },
        }
      : {}),
    boundaries: {
      ...boundaries,
      onBoundary: (nowUs: number) => boundaries.onBoundary(nowUs),
    },
    ...(monitor !== null
      ? { monitorEveryUs: Math.max(1, Math.round(scenario.monitor!.every)), onMonitorSample: (nowUs: number) => monitor.sample(nowUs, (node) => simulator.cluster.lagNowUs(node)) }
      : {}),
    ...(reactions !== null ? { onReaction: (session: Session, kind: ReactionKind, counted: boolean) => reactions.onReaction(session.id, session.group.rate !== null, kind, counted) } : {}),
    ...(queueing !== null ? { onServiceStart: (node: number, waitUs: number, serviceUs: number) => queueing.onServiceStart(node, waitUs, serviceUs) } : {}),
  };
}

/** The run's summary after its header (the scenario, strategy and version). */
function summaryOf(run: Collectors, model: ModelSpec, simulator: Simulator): Omit<RunSummary, keyof ReturnType<typeof runHeader>> {
  const { checker, metrics, batches, queueing, reactions, conflicts, monitor, lostWrites, faults } = run;
  const stats = simulator.cluster.nodeStats();
  const costs = metrics.costs();
  return {
    anomalies: anomaliesSummary(checker.counts, (name) => batches.anomaly(name)),
    staleness: metrics.staleness(),
    tVisibility: tVisibilityWithIntervals(metrics.tVisibilityCurve(), metrics.tVisibility.edgesMs, (bucket) => batches.tVisibility(bucket)),
    costs: costsWithIntervals(costs, batches, metrics),
    nodes: nodeSummaries(stats, model.durationUs, batches),
    ...(queueing !== null ? { queueing: queueing.summaries(simulator.cluster.nodeNames, simulator.cluster.queueStats(), (node) => batches.ratePrecision(`queue.${node}.waited`, `queue.${node}.started`)) } : {}),
    ...(reactions !== null ? { reactions: reactions.summary((kind) => batches.meanPrecision(`reactions.${kind}`, 'reactions.exposure')) } : {}),
    ...(conflicts !== null ? { replayConflicts: conflicts } : {}),
    ...(monitor !== null ? { monitor: monitor.summary((i, k) => batches.ratePrecision(`monitor.${i}.${k}`, 'monitor.samples')) } : {}),
    replicaLag: replicaLagSummaries(stats, metrics.applyLag, batches),
    lost: { writes: lostWrites.length, rate: costs.writes === 0 ? null : lostWrites.length / costs.writes, list: lostWrites },
    faults,
    events: simulator.sim.processed,
  };
}
