import { nextAction } from './actions.js';
import { ArrivalSource } from './arrivals.js';
import { RandomStreams, StreamRows, type Uniform } from '../engine/random.js';
import { Simulation, type EventHandler } from '../engine/simulation.js';
import { balancers } from './balancers/index.js';
import { fnv1a32 } from './hash.js';
import { ABSENT, EMPTY_PAST, KeyTable, type Past } from './keys.js';
import { OpKind, PartStatus, type Operation } from './operation.js';
import { uniformPicker, zipfPicker, type IndexPicker } from './popularity.js';
import { NodeQueueing, type QueueStats } from './queueing.js';
import { REACTION_CODES, reactionTriggered, type ReactionKind } from './reactions.js';
import { ReplicaLog, type DrawUs } from './replica.js';
import { SyncReplication, type SyncMode } from './syncReplication.js';
import { NumberRing } from './ring.js';
import { ADMIT, NO_NODE, REJECT, type Balancer, type ClusterView, type ReadRouting } from './routing.js';
import { Session } from './session.js';
import type { ActionSpec, ModelSpec } from './spec.js';

/** Receives every completed operation (checks, metrics and the history hang off this). */
export interface OperationObserver {
  onWrite(session: Session, op: Operation): void;
  /** Returns the checker's anomaly flags for the read (FLAG_* bits), which reactions look at. */
  onRead(session: Session, op: Operation): number | void;
  /** A log entry committed at commitUs will be applied on replica `node` at applyUs. */
  onApplyScheduled(node: number, commitUs: number, applyUs: number): void;
  /** A session can never read `keyId` again (a `new` key after its writer moved on). */
  onKeyForgotten(session: Session, keyId: number): void;
  /** A new session starts in slot session.index (its state from any earlier occupant is gone). */
  onSessionStart(session: Session): void;
  /** A leader's replica was promoted (semantics.md section 6); `lost` lists [keyId, version]. */
  onFailover(record: FailoverRecord): void;
  /** A fault started or ended (for time series and charts). */
  onFault(atUs: number, description: string, started: boolean): void;
}

export interface FailoverRecord {
  atUs: number;
  shard: number;
  from: string;
  to: string;
  /** The highest position the promoted replica had received when the leader crashed. */
  received: number;
  crashUs: number;
  lost: [keyId: number, version: number][];
}

/**
 * What happens at one instant happens in this order (semantics.md section 1, "Ties"): commits, then
 * applies (implicit: a replica serving at t has applied every entry with a_i ≤ t), then position and
 * lag polls, then reads; everything else after. Other ties break by insertion sequence.
 */
const PHASE_COMMIT = 0;
/** Batch boundaries run with the commits of their instant (insertion order among them). */
const PHASE_BOUNDARY = PHASE_COMMIT;
const PHASE_POLL = 2;
const PHASE_READ = 3;
const PHASE_OTHER = 4;

const enum Ev {
  Start = 1,
  WriteArrive,
  WriteBegin,
  WriteCommit,
  WriteReply,
  WriteSyncCheck,
  ReadArrive,
  ReadBegin,
  ReadDone,
  ReadReply,
  WaitRecheck,
  PollLag,
  PollPositions,
  Arrival,
  FaultStart,
  FaultEnd,
  Failover,
  Sample,
  Boundary,
  ReactionStart,
  Migration,
  MonitorSample,
}

/** Options of one run beyond the model. */
export interface RunHooks {
  /** Called about 100 times with the simulated time reached. */
  onProgress?: (nowUs: number) => void;
  /** Called every `sampleEveryUs` of simulated time until the end (time series). */
  sampleEveryUs?: number;
  onSample?: (nowUs: number) => void;
  /**
   * Called at `count` instants, the i-th at `atUs(i)` (increasing, whole µs): batch means keep their
   * books per batch, never per operation.
   */
  boundaries?: { count: number; atUs: (index: number) => number; onBoundary: (nowUs: number) => void };
  /** Called when a request's service starts in the measured window: its wait for a slot and its service time. */
  onServiceStart?: (node: number, waitUs: number, serviceUs: number) => void;
  /** Called every `monitorEveryUs` of simulated time until the end (scenario `monitor`: lag scrapes). */
  monitorEveryUs?: number;
  onMonitorSample?: (nowUs: number) => void;
  /** A session reacts to an anomaly (client group `reactions`): a resubmit or refresh starts, or a session abandons; `counted`: after warm-up. */
  onReaction?: (session: Session, kind: ReactionKind, counted: boolean) => void;
}

/** Draws per wanted key before distinct popular keys are taken in rank order instead. */
const MAX_KEY_DRAWS = 64;

/** Attempts per part of a read before it fails (a retry follows a node that was down or unreachable). */
const MAX_ATTEMPTS = 3;

const WRITE_PART = 255;
const GEN_MASK = 0x3fffff;
const round = (x: number): number => Math.floor(x + 0.5);

export interface NodeStats {
  name: string;
  role: 'leader' | 'replica';
  shard: number;
  region: string;
  concurrency: number;
  readsServed: number;
  writesServed: number;
  busyUs: number;
}

/**
 * The replicated database and its users (semantics.md sections 1–2), driven by the engine's event
 * loop. Node state lives in arrays indexed by node; session state in Session objects, each owning its
 * one in-flight Operation, so the hot path allocates nothing per event.
 */
export class Simulator implements EventHandler, ClusterView {
  readonly sim = new Simulation();
  readonly keys: KeyTable;
  readonly sessions: Session[] = [];
  readonly shardCount: number;
  readonly routingStream: Uniform;
  readonly endUs: number;

  // Nodes.
  readonly nodeNames: string[] = [];
  private readonly nodeRegion: number[] = [];
  private readonly nodeShard: number[] = [];
  private readonly nodeIsLeader: boolean[] = [];
  readonly nodeReplica: (ReplicaLog | null)[] = [];
  private readonly nodeService: (DrawUs | null)[] = [];
  /** Write service per node: a leader's `writeService` when given, else its `service`. */
  private readonly nodeWriteService: (DrawUs | null)[] = [];
  private readonly nodeConcurrency: number[] = [];
  private readonly nodeServiceStream: Uniform[] = [];
  private readonly nodeNetStream: Uniform[] = [];
  private readonly nodeQueue: NumberRing[] = [];
  /** When each queued request joined its node's queue (aligned with nodeQueue). */
  private readonly nodeQueueSinceUs: NumberRing[] = [];
  /** The queue wait of the request a session has just taken from a queue, by session index. */
  private readonly queueWaitUs: number[] = [];
  private queueing!: NodeQueueing;
  private readonly nodeBusy: Int32Array;
  private readonly nodeUp: boolean[] = [];
  private readonly nodeReads: Float64Array;
  private readonly nodeWrites: Float64Array;
  private readonly nodeBusyUs: Float64Array;
  readonly polledLagUs: Float64Array;
  readonly polledPositions: Float64Array;

  // Shards.
  private readonly leaders: number[] = [];
  private readonly replicas: number[][] = [];
  private readonly committed: number[] = [];
  /** Per node: its replica group's index (-1 for a leader). */
  private readonly nodeGroup: number[] = [];
  /** Per node: the hot-standby conflict max delay of a replica, null when its queries do not block replay. */
  private readonly nodeConflictMaxDelayUs: (number | null)[] = [];
  /** Per node: synchronous mode of a replica, null for asynchronous replicas and leaders. */
  private readonly nodeSync: (SyncMode | null)[] = [];
  private readonly syncReplication: SyncReplication | null;

  /**
   * Key ids chosen for the operation being started, consumed at once by startOperation: one scratch
   * array for every session (warm in cache, never shrunk; \`length = 0\` would free its storage).
   */
  private readonly chosen: number[] = [];
  private chosenCount = 0;
  private readonly balancer: Balancer;
  private routing!: ReadRouting;
  private observer!: OperationObserver;
  private readonly pickers: IndexPicker[] = [];
  private readonly topicPickers: IndexPicker[] = [];
  private readonly actionTotals: number[] = [];
  private readonly arrivalStreams: (Uniform | null)[] = [];
  private readonly arrivalSources: (ArrivalSource | null)[] = [];
  /** Per client group with reactions, the stream of its reaction draws (p and delay). */
  private readonly reactionStreams: (Uniform | null)[] = [];
  private readonly streams: RandomStreams;
  /** Every session's random stream, row = session index: one 32-byte row per session instead of an alea object graph. */
  private readonly sessionStreams = new StreamRows();
  private readonly arrivalMaxRate: number[] = [];
  private readonly faultStreams: Uniform[] = [];
  private readonly faultEndUs: number[] = [];
  /** Active partitions between regions [a][b] (counts), and when the latest ends. */
  private readonly partitioned: number[][];
  private readonly partitionEndUs: number[][];
  private readonly leaderRegion: number[] = [];
  private readonly leaderCrashUs: number[] = [];
  /** Writes waiting for a shard's new leader (faults.duringFailover: wait), by session index. */
  private readonly waitingWrites: number[][] = [];
  private hooks: RunHooks = {};
  /** Session slots free for open-loop arrivals, reused last-freed first. */
  private readonly freeSlots: number[] = [];
  private lastSessionId = 0;

  constructor(
    readonly spec: ModelSpec,
    streams: RandomStreams,
  ) {
    this.streams = streams;
    this.shardCount = spec.shards;
    this.endUs = spec.warmupUs + spec.durationUs;
    this.keys = new KeyTable(spec.keyspace);
    this.routingStream = streams.stream('routing');

    const weights: number[] = [];
    for (let shard = 0; shard < spec.shards; shard++) {
      this.committed.push(0);
      this.leaderRegion.push(spec.leader.region);
      this.leaderCrashUs.push(-1);
      this.waitingWrites.push([]);
      this.leaders.push(
        this.addNode(`leader-${shard}`, spec.leader.region, shard, true, null, spec.leader.service, spec.leader.concurrency, streams),
      );
      this.nodeSync.push(null);
      this.nodeGroup.push(-1);
      this.nodeConflictMaxDelayUs.push(null);
      weights.push(0);
      const shardReplicas: number[] = [];
      for (const group of spec.replicaGroups) {
        for (let copy = 1; copy <= group.count; copy++) {
          const name = `${group.name}-${shard}-${copy}`;
          const log = new ReplicaLog(
            group.lag,
            group.lagHoldUs,
            group.apply,
            streams.stream(`replica/${name}/lag`),
            streams.stream(`replica/${name}/apply`),
            group.stalls,
            group.stalls === null ? null : streams.stream(`replica/${name}/stalls`),
          );
          shardReplicas.push(this.addNode(name, group.region, shard, false, log, group.service, group.concurrency, streams));
          this.nodeSync.push(group.sync ?? null);
          this.nodeGroup.push(spec.replicaGroups.indexOf(group));
          this.nodeConflictMaxDelayUs.push(group.replayConflictMaxDelayUs ?? null);
          weights.push(group.weight);
        }
      }
      this.replicas.push(shardReplicas);
    }
    const nodeCount = this.nodeNames.length;
    this.partitioned = spec.regions.map(() => spec.regions.map(() => 0));
    this.partitionEndUs = spec.regions.map(() => spec.regions.map(() => 0));
    spec.faults.events.forEach((_, i) => {
      this.faultStreams.push(streams.stream(`faults/${i}`));
      this.faultEndUs.push(0);
    });
    this.nodeBusy = new Int32Array(nodeCount);
    this.nodeReads = new Float64Array(nodeCount);
    this.nodeWrites = new Float64Array(nodeCount);
    this.nodeBusyUs = new Float64Array(nodeCount);
    this.queueing = new NodeQueueing(nodeCount, spec.warmupUs, this.endUs);
    this.polledLagUs = new Float64Array(nodeCount);
    this.polledPositions = new Float64Array(nodeCount);
    const anySync = this.nodeSync.some((mode) => mode !== null);
    this.syncReplication = anySync ? new SyncReplication(this.nodeSync, spec.syncQuorum ?? 1) : null;
    this.balancer = balancers[spec.balancer.policy].create({
      cluster: this,
      maxLagUs: spec.balancer.maxLagUs,
      polledLagUs: this.polledLagUs,
      weights: Float64Array.from(weights),
      nodeCount,
      readable: spec.balancer.readFrom === 'sync' ? Uint8Array.from(this.nodeSync, (mode) => (mode === null ? 0 : 1)) : null,
    });

    spec.clientGroups.forEach((group, groupIndex) => {
      const keyspace = spec.keyspace.keyspaceCount;
      const topics = this.keys.topicCount;
      this.pickers.push(group.popularity.kind === 'zipf' ? zipfPicker(keyspace, group.popularity.s) : uniformPicker(keyspace));
      this.topicPickers.push(group.popularity.kind === 'zipf' ? zipfPicker(topics, group.popularity.s) : uniformPicker(topics));
      this.actionTotals.push(group.actions.reduce((sum, action) => sum + action.weight, 0));
      this.arrivalStreams.push(group.rate === null ? null : streams.stream(`arrivals/${group.name}`));
      this.reactionStreams.push(group.reactions !== undefined && group.reactions.length > 0 ? streams.stream(`reactions/${group.name}`) : null);
      this.arrivalMaxRate.push(Math.max(group.rate ?? 0, ...(group.schedule ?? []).map((point) => point.rate)));
      const arrivalStream = this.arrivalStreams[groupIndex]!;
      this.arrivalSources.push(
        arrivalStream === null
          ? null
          : new ArrivalSource(
              group.arrivals ?? { process: 'poisson' },
              arrivalStream,
              this.arrivalMaxRate[groupIndex]!,
              (atUs) => this.arrivalRate(groupIndex, atUs),
              (atUs) => group.schedule?.find((point) => point.atUs > atUs)?.atUs ?? Infinity,
              this.endUs,
              group.arrivals?.process === 'onoff' ? streams.stream(`arrivals/${group.name}/periods`) : null,
            ),
      );
      for (let i = 0; i < group.sessions; i++) this.sessions.push(this.newSession(this.sessions.length, groupIndex));
    });
  }

  private newSession(index: number, groupIndex: number): Session {
    const group = this.spec.clientGroups[groupIndex]!;
    const id = ++this.lastSessionId;
    const session = new Session(index, id, group, groupIndex);
    this.streams.seedRow(this.sessionStreams, index, `session/${id}`);
    for (let j = 0; j < group.ownKeys; j++) session.ownKeys.push(this.keys.namedKey(`own-${group.name}-${id}-${j}`, true));
    return session;
  }

  get sessionCount(): number {
    return this.sessions.length;
  }

  /** Runs the whole simulation: sessions start after one think time; in-flight operations drain after the end. */
  run(routing: ReadRouting, observer: OperationObserver, hooks: RunHooks = {}): void {
    this.begin(routing, observer, hooks);
    const onProgress = hooks.onProgress;
    if (onProgress === undefined) {
      this.sim.run(this);
      return;
    }
    const sliceUs = Math.max(1, Math.ceil(this.endUs / 100));
    for (let until = sliceUs; this.sim.queue.size > 0; until += sliceUs) {
      this.sim.run(this, until);
      onProgress(Math.min(until, this.endUs));
    }
  }

  /**
   * A run in steps (the playground's worker yields between them): `begin` schedules the first
   * events, then `advance` up to later and later times until it returns false. The events and their
   * order are those of `run`, which is `begin` and `advance(Infinity)`.
   */
  begin(routing: ReadRouting, observer: OperationObserver, hooks: RunHooks = {}): void {
    this.hooks = hooks;
    this.routing = routing;
    this.observer = observer;
    for (const session of this.sessions) {
      routing.onSessionStart(session.index, session.id);
      observer.onSessionStart(session);
    }
    for (const session of this.sessions) this.scheduleNext(session);
    this.arrivalStreams.forEach((stream, group) => {
      if (stream !== null) this.scheduleArrival(group, 0);
    });
    this.spec.faults.events.forEach((fault, i) => {
      const atUs = fault.atUs ?? round(fault.every!(this.faultStreams[i]!));
      if (atUs < this.endUs) this.sim.schedule(atUs, PHASE_OTHER, Ev.FaultStart, i);
    });
    this.spec.migrations?.forEach((migration, i) => {
      if (migration.atUs < this.endUs) this.sim.schedule(migration.atUs, PHASE_COMMIT, Ev.Migration, i);
    });
    if (this.spec.balancer.maxLagUs !== null) this.sim.schedule(0, PHASE_POLL, Ev.PollLag, 0);
    if (hooks.monitorEveryUs !== undefined && hooks.monitorEveryUs > 0 && hooks.monitorEveryUs <= this.endUs) {
      this.sim.schedule(hooks.monitorEveryUs, PHASE_POLL, Ev.MonitorSample, 0);
    }
    if (hooks.sampleEveryUs !== undefined && hooks.sampleEveryUs > 0) {
      this.sim.schedule(hooks.sampleEveryUs, PHASE_POLL, Ev.Sample, 0);
    }
    if (hooks.boundaries !== undefined && hooks.boundaries.count > 0) {
      this.sim.schedule(hooks.boundaries.atUs(0), PHASE_BOUNDARY, Ev.Boundary, 0);
    }
    const positionPollUs = routing.positionPollUs;
    if (positionPollUs !== null && positionPollUs > 0) this.sim.schedule(0, PHASE_POLL, Ev.PollPositions, 0);
  }

  /** Handles every event up to `untilUs` (after `begin`); false once no event is left: the run is over. */
  advance(untilUs: number): boolean {
    this.sim.run(this, untilUs);
    return this.sim.queue.size > 0;
  }

  handle(kind: number, a: number, b: number): void {
    if (kind === Ev.Arrival) return this.arrive(a);
    if (kind === Ev.FaultStart) return this.startFault(a);
    if (kind === Ev.FaultEnd) return this.endFault(a);
    if (kind === Ev.Failover) return this.failover(a);
    if (kind === Ev.Sample) return this.sample();
    if (kind === Ev.Boundary) return this.boundary(a);
    if (kind === Ev.Migration) return this.migrate(a);
    if (kind === Ev.MonitorSample) return this.monitorSample();
    const session = this.sessions[a]!;
    switch (kind) {
      case Ev.Start:
        return this.startOperation(session);
      case Ev.ReactionStart:
        return this.startReaction(session, b);
      case Ev.WriteArrive:
        return this.arriveWrite(session);
      case Ev.WriteBegin:
        return this.beginWrite(session, true);
      case Ev.WriteCommit:
        return this.commitWrite(session);
      case Ev.WriteReply:
        return this.completeWrite(session);
      case Ev.WriteSyncCheck:
        return this.awaitSyncQuorum(session);
      case Ev.ReadArrive:
      case Ev.WaitRecheck:
        if (this.isCurrent(session.op, b)) this.admitRead(session, b & 0xff, kind === Ev.WaitRecheck);
        return;
      case Ev.ReadBegin:
        return this.beginRead(session, b, true);
      case Ev.ReadDone: {
        const part = b & 0xff;
        this.finishService(session.op.partNode(part));
        if (b > 0xff) {
          session.op.cancelled = true;
          return this.sendReadReply(session, part, PartStatus.Failed);
        }
        return this.sendReadReply(session, part, PartStatus.Replied);
      }
      case Ev.ReadReply:
        if (this.isCurrent(session.op, b)) this.receiveReadReply(session, b & 0xff);
        return;
      case Ev.PollLag:
        return this.pollLag();
      case Ev.PollPositions:
        return this.pollPositions();
    }
  }

  // ---- ClusterView -------------------------------------------------------------------------------

  nowUs(): number {
    return this.sim.nowUs;
  }
  leaderOf(shard: number): number {
    return this.leaders[shard]!;
  }
  replicasOf(shard: number): readonly number[] {
    return this.replicas[shard]!;
  }
  nodeName(node: number): string {
    return this.nodeNames[node]!;
  }
  isLeader(node: number): boolean {
    return this.nodeIsLeader[node]!;
  }
  isUp(node: number): boolean {
    return this.nodeUp[node]!;
  }
  appliedPosition(node: number): number {
    const log = this.nodeReplica[node];
    return log === null || log === undefined ? this.committed[this.nodeShard[node]!]! : log.advance(this.sim.nowUs);
  }
  applyTimeUs(node: number, position: number): number {
    const log = this.nodeReplica[node];
    if (log === null || log === undefined) return this.sim.nowUs;
    return log.applyTimeUs(position, this.sim.nowUs);
  }
  committedPosition(shard: number): number {
    return this.committed[shard]!;
  }
  polledPosition(node: number): number {
    return this.polledPositions[node]!;
  }
  balancerFor(): Balancer {
    return this.balancer;
  }

  nodeStats(): NodeStats[] {
    return this.nodeNames.map((name, node) => ({
      name,
      role: this.nodeIsLeader[node] ? 'leader' : 'replica',
      shard: this.nodeShard[node]!,
      region: this.spec.regions[this.nodeRegion[node]!]!,
      concurrency: this.nodeConcurrency[node]!,
      readsServed: this.nodeReads[node]!,
      writesServed: this.nodeWrites[node]!,
      busyUs: this.nodeBusyUs[node]!,
    }));
  }

  // ---- Sessions ----------------------------------------------------------------------------------

  /** Open loop: Poisson arrivals at the group's rate; each arrival is a new session that starts at once. */
  private scheduleArrival(groupIndex: number, fromUs: number): void {
    const atUs = this.arrivalSources[groupIndex]!.next(fromUs);
    if (atUs < this.endUs) this.sim.schedule(atUs, PHASE_OTHER, Ev.Arrival, groupIndex);
  }

  /** An open-loop group's arrival rate (sessions/s) at atUs: `rate`, then the schedule from its first point. */
  arrivalRate(groupIndex: number, atUs: number): number {
    const group = this.spec.clientGroups[groupIndex]!;
    const points = group.schedule;
    if (points === null || atUs < points[0]!.atUs) return group.rate ?? 0;
    let i = 0;
    while (i + 1 < points.length && points[i + 1]!.atUs <= atUs) i++;
    const point = points[i]!;
    const next = points[i + 1];
    if (next === undefined || group.interpolate === 'step') return point.rate;
    return point.rate + ((next.rate - point.rate) * (atUs - point.atUs)) / (next.atUs - point.atUs);
  }

  private arrive(groupIndex: number): void {
    const index = this.freeSlots.length > 0 ? this.freeSlots.pop()! : this.sessions.length;
    const session = this.newSession(index, groupIndex);
    this.sessions[index] = session;
    this.routing.onSessionStart(index, session.id);
    this.observer.onSessionStart(session);
    this.startOperation(session);
    this.scheduleArrival(groupIndex, this.sim.nowUs);
  }

  /** An open-loop session that ran its steps leaves: its slot and the keys only it could read are freed. */
  private leave(session: Session): void {
    for (const key of session.ownKeys) this.keys.release(key);
    if (session.lastWrittenIsNew) this.keys.release(session.lastWritten);
    this.freeSlots.push(session.index);
  }

  private scheduleNext(session: Session): void {
    if (session.group.rate !== null && session.completed - session.reactionOps >= session.group.steps) return this.leave(session);
    const think = session.thinkAfter ?? session.group.think;
    const nextUs = this.sim.nowUs + round(think(this.sessionStream(session)));
    // No operation starts at or after warmup + duration (semantics.md section 2).
    if (nextUs < this.endUs) this.sim.schedule(nextUs, PHASE_OTHER, Ev.Start, session.index);
  }

  /** The session's random stream; valid until another session's is taken (see StreamRows.select). */
  private sessionStream(session: Session): Uniform {
    return this.sessionStreams.select(session.index);
  }

  private chooseAction(session: Session, u: Uniform): ActionSpec {
    const action = nextAction(session.group, session.cycle, u, this.actionTotals[session.groupIndex]!);
    if (session.group.order === 'cycle') session.cycle++;
    return action;
  }

  private choose(key: number): void {
    this.chosen[this.chosenCount++] = key;
  }

  /** Fills this.chosen with the action's keys (scenario.md "Key selectors"). */
  private chooseKeys(session: Session, action: ActionSpec, u: Uniform): void {
    this.chosenCount = 0;
    const keys = this.keys;
    const selector = action.key;
    switch (selector.kind) {
      case 'new':
        if (session.newKeyPrefix === '') {
          session.newKeyPrefix = `new-${session.group.name}-${session.id}-`;
          session.newKeyPrefixHash = fnv1a32(session.newKeyPrefix);
        }
        this.choose(keys.newKey(session.newKeyPrefix, session.newKeyPrefixHash, session.inserts++));
        return;
      case 'own':
        this.choose(this.ownKey(session, u));
        return;
      case 'lastWritten':
        this.choose(session.lastWritten >= 0 ? session.lastWritten : this.ownKey(session, u));
        return;
      case 'popular':
        return this.choosePopular(session, action.count, u);
      case 'topic': {
        const [first, end] = keys.topicRange(this.topicPickers[session.groupIndex]!(u));
        for (let i = first; i < end; i++) this.choose(keys.keyspaceKey(i));
        return;
      }
      case 'topicHead':
        this.choose(keys.keyspaceKey(keys.topicRange(this.topicPickers[session.groupIndex]!(u))[0]));
        return;
      case 'reply': {
        if (session.lastReadTopic >= 0) {
          const [first, end] = keys.topicRange(session.lastReadTopic);
          if (end - first > 1) {
            this.choose(keys.keyspaceKey(first + 1 + Math.min(end - first - 2, Math.floor(u() * (end - first - 1)))));
            return;
          }
        }
        return this.choosePopular(session, 1, u);
      }
      case 'shared':
        this.choose(keys.namedKey(selector.name, true));
        return;
    }
  }

  private ownKey(session: Session, u: Uniform): number {
    const own = session.ownKeys;
    return own.length === 1 ? own[0]! : own[Math.min(own.length - 1, Math.floor(u() * own.length))]!;
  }

  private choosePopular(session: Session, count: number, u: Uniform): void {
    const picker = this.pickers[session.groupIndex]!;
    const want = Math.min(count, this.spec.keyspace.keyspaceCount);
    // Distinct keys by rejection, a bounded number of draws: a popularity so skewed that the draws
    // keep finding the same few keys (Zipf 50 over 3 keys) would otherwise never end. Then the most
    // popular keys not chosen yet, in rank order.
    for (let draws = 0; this.chosenCount < want && draws < MAX_KEY_DRAWS * want; draws++) this.chooseDistinct(this.keys.keyspaceKey(picker(u)));
    for (let rank = 0; this.chosenCount < want; rank++) this.chooseDistinct(this.keys.keyspaceKey(rank));
  }

  private chooseDistinct(key: number): void {
    for (let i = 0; i < this.chosenCount; i++) if (this.chosen[i] === key) return;
    this.choose(key);
  }

  private startOperation(session: Session): void {
    const u = this.sessionStream(session);
    const action = this.chooseAction(session, u);
    session.thinkAfter = action.think ?? null;
    session.currentAction = action;
    this.chooseKeys(session, action, u);
    if (session.group.reactions !== undefined) {
      session.actionIndex = session.group.actions.indexOf(action);
      session.reactionsInRow = 0;
      if (action.write) session.lastWriteAction = action;
    }
    this.launch(session, action.write, 0);
  }

  /**
   * A reaction starts (client group `reactions`): a resubmit writes again what the session last
   * wrote (a new key again for a `new` action, else the key it wrote); a refresh re-reads the keys
   * of the read that showed the anomaly.
   */
  private startReaction(session: Session, code: number): void {
    session.actionIndex = -1;
    session.reactionOps++;
    this.hooks.onReaction?.(session, code === REACTION_CODES.resubmit ? 'resubmit' : 'refresh', this.sim.nowUs >= this.spec.warmupUs);
    this.chosenCount = 0;
    if (code === REACTION_CODES.resubmit) {
      const action = session.lastWriteAction!;
      if (action.key.kind === 'new' || session.lastWritten < 0) this.chooseKeys(session, action, this.sessionStream(session));
      else this.choose(session.lastWritten);
      return this.launch(session, true, code);
    }
    for (const key of session.refreshKeys) this.choose(key);
    this.launch(session, false, code);
  }

  /** Starts the session's operation on the keys in this.chosen. */
  private launch(session: Session, write: boolean, reaction: number): void {
    const now = this.sim.nowUs;
    const op = session.op;
    op.reset(write ? OpKind.Write : OpKind.Read, now, now < this.spec.warmupUs);
    op.reaction = reaction;
    const action = reaction === 0 ? session.currentAction : null;
    if (action !== null) {
      if (action.hold !== undefined && action.hold !== null) op.holdUs = Math.max(1, round(action.hold(this.sessionStream(session))));
      if (action.target !== undefined) op.target = action.target;
      else if (action.untracked !== undefined && !write && this.sessionStream(session)() < action.untracked) op.target = -3;
    }
    for (let k = 0; k < this.chosenCount; k++) {
      const keyId = this.chosen[k]!;
      const record = this.keys.get(keyId);
      op.addKey(keyId, record.shard, record.committedVersion, record.committedUs, record.committedOrdinal);
    }
    this.routing.onOperationStart(session.index, op);
    if (write) {
      this.collectDeps(session, op);
      const leader = this.leaders[op.keyShards[0]!]!;
      op.node = leader;
      this.sim.schedule(now + this.latency(session, leader), PHASE_COMMIT, Ev.WriteArrive, session.index);
      return;
    }
    for (let part = 0; part < op.partCount; part++) {
      op.partsInFlight++;
      this.sendAttempt(session, part, this.routeRead(session, op, part));
    }
  }

  /** The node for a read attempt: the strategy's, or for a targeted action a node of its target. */
  private routeRead(session: Session, op: Operation, part: number): number {
    if (op.target === -2) return this.routing.route(session.index, op, part);
    const shard = op.partShard(part);
    if (op.target === -1) return this.leaders[shard]!;
    if (op.target === -3) return this.balancer.pick(shard, 0, null);
    let count = 0;
    for (const node of this.replicas[shard]!) if (this.nodeGroup[node] === op.target && this.nodeUp[node]) count++;
    if (count === 0) return NO_NODE;
    let pick = Math.min(count - 1, Math.floor(this.sessionStream(session)() * count));
    for (const node of this.replicas[shard]!) {
      if (this.nodeGroup[node] !== op.target || !this.nodeUp[node]) continue;
      if (pick-- === 0) return node;
    }
    return NO_NODE;
  }

  /**
   * A one-off big transaction (scenario `migrations`): on every shard whose leader is up, one log
   * entry commits now, touching no key, and each replica applies it in its own apply time.
   */
  private migrate(index: number): void {
    const now = this.sim.nowUs;
    const migration = this.spec.migrations![index]!;
    const stream = this.streams.stream(`migrations/${index}`);
    for (let shard = 0; shard < this.shardCount; shard++) {
      const leader = this.leaders[shard]!;
      if (!this.nodeUp[leader]) continue;
      const position = ++this.committed[shard]!;
      const workUs = round(migration.apply(stream));
      for (const node of this.replicas[shard]!) {
        const regionFrom = this.leaderRegion[shard]!;
        const regionTo = this.nodeRegion[node]!;
        const floorUs = this.reachable(regionFrom, regionTo) ? 0 : this.partitionEndUs[regionFrom]![regionTo]!;
        const applyUs = this.nodeReplica[node]!.enqueue(position, now, floorUs, workUs);
        if (applyUs < Infinity) this.observer.onApplyScheduled(node, now, applyUs);
      }
    }
  }

  /**
   * deps: the highest version the session has seen or written of each other key of the written
   * key's topic; absent and version-0 entries are left out (semantics.md section 2).
   */
  private collectDeps(session: Session, op: Operation): void {
    const record = this.keys.get(op.keyIds[0]!);
    if (record.topic < 0) return;
    const [first, end] = this.keys.topicRange(record.topic);
    for (let i = first; i < end; i++) {
      const other = this.keys.keyspaceKey(i);
      if (other === record.id) continue;
      const known = session.known.get(other);
      if (known !== undefined && known.version > 0) op.addDep(other, known.version);
    }
  }

  /** past(k, v): the transitive closure over deps, each other key at its highest required version. */
  private pastOf(session: Session, op: Operation): Past {
    if (op.deps.length === 0) return EMPTY_PAST;
    const self = op.keyIds[0]!;
    const merged = new Map<number, number>();
    const raise = (key: number, version: number): void => {
      if (key !== self && version > (merged.get(key) ?? -1)) merged.set(key, version);
    };
    for (let i = 0; i < op.deps.length; i += 2) {
      const dep = op.deps[i]!;
      raise(dep, op.deps[i + 1]!);
      const past = session.known.get(dep)?.past;
      if (past) for (let j = 0; j < past.length; j += 2) raise(past[j]!, past[j + 1]!);
    }
    const flat: number[] = [];
    for (const key of [...merged.keys()].sort((x, y) => x - y)) flat.push(key, merged.get(key)!);
    return flat;
  }

  private remember(session: Session, keyId: number, version: number, past: Past | null): void {
    if (this.keys.get(keyId).topic < 0) return;
    const known = session.known.get(keyId);
    if (known === undefined) session.known.set(keyId, { version, past });
    else if (version > known.version) {
      known.version = version;
      known.past = past;
    }
  }

  // ---- Writes ------------------------------------------------------------------------------------

  private arriveWrite(session: Session): void {
    const op = session.op;
    const shard = op.keyShards[0]!;
    const leader = this.leaders[shard]!;
    if (!this.nodeUp[leader] && this.leaderCrashUs[shard]! >= 0 && this.spec.faults.duringFailover === 'wait') {
      this.waitingWrites[shard]!.push(session.index);
      return;
    }
    if (!this.nodeUp[leader] || leader !== op.node || !this.reachable(session.group.region, this.nodeRegion[leader]!)) {
      op.failed = true;
      this.sim.schedule(this.sim.nowUs + this.latency(session, op.node), PHASE_OTHER, Ev.WriteReply, session.index);
      return;
    }
    if (this.nodeBusy[leader]! < this.nodeConcurrency[leader]!) this.beginWrite(session, false);
    else this.enqueue(leader, session.index * 256 + WRITE_PART);
  }

  private beginWrite(session: Session, slotReserved: boolean): void {
    const leader = session.op.node;
    if (!slotReserved) this.nodeBusy[leader]!++;
    const holdUs = session.op.holdUs;
    const serviceUs = holdUs > 0 ? this.holdTime(leader, holdUs) : this.serviceTime(leader, true);
    this.serviceStarted(leader, session.index, slotReserved, serviceUs);
    // A write commits when the leader has served it (the end of its service time).
    if (serviceUs === 0) this.commitWrite(session);
    else this.sim.schedule(this.sim.nowUs + serviceUs, PHASE_COMMIT, Ev.WriteCommit, session.index);
  }

  private commitWrite(session: Session): void {
    const now = this.sim.nowUs;
    const op = session.op;
    const leader = op.node;
    this.finishService(leader);
    if (now >= this.spec.warmupUs) this.nodeWrites[leader]!++;
    const shard = op.keyShards[0]!;
    if (!this.nodeUp[leader] || this.leaders[shard] !== leader) {
      // The leader crashed while serving the write: it never committed.
      op.failed = true;
      this.sim.schedule(now + this.latency(session, leader), PHASE_OTHER, Ev.WriteReply, session.index);
      return;
    }
    const position = ++this.committed[shard]!;
    const record = this.keys.get(op.keyIds[0]!);
    const past = this.pastOf(session, op);
    let token: Float64Array | null = null;
    if (this.routing.needsWriteTokens) {
      token = Float64Array.from(this.routing.writerToken(session.index) ?? new Float64Array(this.shardCount));
      if (token[shard]! < position) token[shard] = position;
    }
    record.append(position, now, past, token);
    op.version = position;
    op.commitUs = now;
    op.writtenPast = past;
    let minApplied = position;
    for (const node of this.replicas[shard]!) {
      const log = this.nodeReplica[node]!;
      const regionFrom = this.leaderRegion[shard]!;
      const regionTo = this.nodeRegion[node]!;
      const floorUs = this.reachable(regionFrom, regionTo) ? 0 : this.partitionEndUs[regionFrom]![regionTo]!;
      const applyUs = log.enqueue(position, now, floorUs);
      op.applyNodes[op.applyCount] = node;
      op.applyUs[op.applyCount++] = applyUs;
      // A replica paused or cut off until the end never applies the entry (applyUs is Infinity).
      if (applyUs < Infinity) this.observer.onApplyScheduled(node, now, applyUs);
      const applied = log.advance(now);
      if (applied < minApplied) minApplied = applied;
    }
    record.prune(minApplied);
    if (this.syncReplication !== null && this.syncReplication.waits(this.replicas[shard]!)) return this.awaitSyncQuorum(session);
    this.sim.schedule(now + this.latency(session, leader), PHASE_OTHER, Ev.WriteReply, session.index);
  }

  /**
   * A committed write waits for its shard's synchronous quorum (syncReplication.ts), checked again at
   * the time the replicas' schedules give, since a pause may move it; the reply leaves the leader
   * then. A leader that crashed or was replaced meanwhile never replies: the write fails.
   */
  private awaitSyncQuorum(session: Session): void {
    const now = this.sim.nowUs;
    const op = session.op;
    const leader = op.node;
    const shard = op.keyShards[0]!;
    if (!this.nodeUp[leader] || this.leaders[shard] !== leader) {
      op.failed = true;
      this.sim.schedule(now + this.latency(session, leader), PHASE_OTHER, Ev.WriteReply, session.index);
      return;
    }
    const ackUs = this.syncReplication!.ackTimeUs(this.replicas[shard]!, this.nodeReplica, op.version, now);
    if (ackUs <= now) this.sim.schedule(now + this.latency(session, leader), PHASE_OTHER, Ev.WriteReply, session.index);
    // Never confirmed (a replica stopped for good): the write waits for ever, as a PostgreSQL commit would.
    else if (ackUs < Infinity) this.sim.schedule(ackUs, PHASE_OTHER, Ev.WriteSyncCheck, session.index);
  }

  private completeWrite(session: Session): void {
    const op = session.op;
    op.endUs = this.sim.nowUs;
    if (op.failed) {
      session.completed++;
      this.observer.onWrite(session, op);
      this.scheduleNext(session);
      return;
    }
    const keyId = op.keyIds[0]!;
    const record = this.keys.get(keyId);
    this.remember(session, keyId, op.version, op.writtenPast);
    const previous = session.lastWritten;
    const previousWasNew = session.lastWrittenIsNew;
    session.lastWritten = keyId;
    session.lastWrittenIsNew = record.isNew;
    session.completed++;
    this.routing.onWriteAcked(session.index, op);
    this.observer.onWrite(session, op);
    // A `new` key is read only through its writer's lastWritten: once that moves on, no one can read it.
    if (previousWasNew && previous !== keyId) {
      this.observer.onKeyForgotten(session, previous);
      this.keys.release(previous);
    }
    this.scheduleNext(session);
  }

  // ---- Reads -------------------------------------------------------------------------------------

  private isCurrent(op: Operation, b: number): boolean {
    return op.partGeneration(b & 0xff) === b >>> 8;
  }

  private sendAttempt(session: Session, part: number, node: number): void {
    const op = session.op;
    if (node === NO_NODE) {
      op.failed = true;
      op.setPartStatus(part, PartStatus.Failed);
      return this.partDone(session);
    }
    const generation = (op.partGeneration(part) + 1) & GEN_MASK;
    op.startAttempt(part, node, generation);
    op.attempts++;
    this.balancer.sent(node);
    this.sim.schedule(this.sim.nowUs + this.latency(session, node), PHASE_READ, Ev.ReadArrive, session.index, part | (generation << 8));
  }

  private admitRead(session: Session, part: number, recheck: boolean): void {
    const op = session.op;
    const node = op.partNode(part);
    const now = this.sim.nowUs;
    if (!recheck) op.setPartArrivalUs(part, now);
    if (!this.nodeUp[node] || !this.reachable(session.group.region, this.nodeRegion[node]!)) {
      return this.sendReadReply(session, part, PartStatus.Failed);
    }
    const verdict = op.target === -2 ? this.routing.admit(session.index, op, part, node, now) : ADMIT;
    if (verdict === ADMIT) {
      if (recheck) op.waitUs += now - op.partArrivalUs(part);
      if (this.nodeBusy[node]! < this.nodeConcurrency[node]!) this.beginRead(session, part, false);
      else this.enqueue(node, session.index * 256 + part);
    } else if (verdict === REJECT) {
      if (recheck) op.waitUs += now - op.partArrivalUs(part);
      this.sendReadReply(session, part, PartStatus.Rejected);
    } else {
      if (!recheck) op.waits++;
      this.sim.schedule(Math.max(now, verdict), PHASE_READ, Ev.WaitRecheck, session.index, part | (op.partGeneration(part) << 8));
    }
  }

  /** Serves a read attempt: reads the part's needed keys at the instant service starts (semantics.md section 2). */
  private beginRead(session: Session, part: number, slotReserved: boolean): void {
    const op = session.op;
    const node = op.partNode(part);
    const now = this.sim.nowUs;
    if (!slotReserved) this.nodeBusy[node]!++;
    if (now >= this.spec.warmupUs) this.nodeReads[node]!++;
    const log = this.nodeReplica[node];
    const position = log === null || log === undefined ? Infinity : log.advance(now);
    const shard = op.partShard(part);
    for (let i = 0; i < op.keyCount; i++) {
      if (op.keyShards[i] !== shard || !op.isNeeded(i)) continue;
      const record = this.keys.get(op.keyIds[i]!);
      const count = record.count;
      const index = position === Infinity ? count - 1 : record.indexAt(position);
      if (index >= 0) {
        const missedCommitUs = index + 1 < count ? record.commitUsAt(index + 1) : -1;
        op.setReturned(i, node, record.versionAt(index), record.ordinalAt(index), record.pastAt(index), record.tokenAt(index), missedCommitUs);
      } else {
        op.setReturned(i, node, ABSENT, 0, null, null, count > 0 ? record.commitUsAt(0) : -1);
      }
    }
    const serviceUs = op.holdUs > 0 ? this.holdTime(node, op.holdUs) : this.serviceTime(node);
    this.serviceStarted(node, session.index, slotReserved, serviceUs);
    const maxDelayUs = op.holdUs > 0 ? this.nodeConflictMaxDelayUs[node] : null;
    if (maxDelayUs !== null && maxDelayUs !== undefined && log !== null && log !== undefined) {
      // Hot-standby conflict: replay waits for the query, but no entry waits more than maxDelay
      // past its receipt (max_standby_streaming_delay); then replay cancels the query.
      const cancelUs = Math.max(now, log.oldestWaitingArrivalUs(now) + maxDelayUs);
      log.pauseUntil(Math.min(now + serviceUs, cancelUs));
      if (now + serviceUs > cancelUs) {
        if (now >= this.spec.warmupUs) this.nodeBusyUs[node]! -= now + serviceUs - cancelUs;
        this.sim.schedule(cancelUs, PHASE_OTHER, Ev.ReadDone, session.index, part | 0x100);
        return;
      }
    }
    if (serviceUs === 0) {
      this.finishService(node);
      this.sendReadReply(session, part, PartStatus.Replied);
    } else {
      this.sim.schedule(now + serviceUs, PHASE_OTHER, Ev.ReadDone, session.index, part);
    }
  }

  private sendReadReply(session: Session, part: number, status: PartStatus): void {
    const op = session.op;
    op.setPartStatus(part, status);
    const node = op.partNode(part);
    this.sim.schedule(
      this.sim.nowUs + this.latency(session, node),
      PHASE_OTHER,
      Ev.ReadReply,
      session.index,
      part | (op.partGeneration(part) << 8),
    );
  }

  private receiveReadReply(session: Session, part: number): void {
    const op = session.op;
    this.balancer.replied(op.partNode(part));
    if (op.partStatus(part) === PartStatus.Failed) {
      if (op.cancelled) {
        op.failed = true;
        return this.partDone(session);
      }
      // The node was down or unreachable: try again where the strategy now sends it.
      if (op.partAttempts(part) >= MAX_ATTEMPTS) {
        op.failed = true;
        return this.partDone(session);
      }
      op.retries++;
      return this.sendAttempt(session, part, this.routeRead(session, op, part));
    }
    const next = op.target === -2 ? this.routing.onReply(session.index, op, part) : NO_NODE;
    if (next === NO_NODE) {
      if (op.partStatus(part) === PartStatus.Rejected) {
        op.failed = true;
        op.setPartStatus(part, PartStatus.Failed);
      }
      return this.partDone(session);
    }
    op.redirects++;
    this.sendAttempt(session, part, next);
  }

  private partDone(session: Session): void {
    const op = session.op;
    if (--op.partsInFlight > 0) return;
    if (!op.failed && op.target === -2 && this.routing.onReadComplete(session.index, op)) {
      op.rounds++;
      for (let part = 0; part < op.partCount; part++) {
        if (!this.partNeedsRead(op, part)) continue;
        op.partsInFlight++;
        this.sendAttempt(session, part, this.routeRead(session, op, part));
      }
      if (op.partsInFlight > 0) return;
    }
    this.completeRead(session);
  }

  private partNeedsRead(op: Operation, part: number): boolean {
    const shard = op.partShard(part);
    for (let i = 0; i < op.keyCount; i++) if (op.keyShards[i] === shard && op.isNeeded(i)) return true;
    return false;
  }

  private completeRead(session: Session): void {
    const op = session.op;
    op.endUs = this.sim.nowUs;
    if (!op.failed) {
      this.includeCommitsAtStart(op);
      let topic = -1;
      for (let i = 0; i < op.keyCount; i++) {
        const keyId = op.keyIds[i]!;
        const record = this.keys.get(keyId);
        if (topic < 0 && record.topic >= 0) topic = record.topic;
        if (op.returned[i]! > 0) this.remember(session, keyId, op.returned[i]!, op.returnedPasts[i]!);
      }
      if (topic >= 0) session.lastReadTopic = topic;
    }
    session.completed++;
    const flags = this.observer.onRead(session, op);
    if (session.group.reactions !== undefined && this.react(session, op, flags ?? 0)) return;
    this.scheduleNext(session);
  }

  /**
   * The first of the group's reaction rules whose trigger holds and whose draw (probability p, from
   * the group's reaction stream) succeeds fires instead of the think time. True when the session
   * reacts (a resubmit or refresh is scheduled, or an open-loop session abandons and leaves); a
   * closed-loop session that abandons thinks and comes back as before.
   */
  private react(session: Session, op: Operation, flags: number): boolean {
    if (op.failed) return false;
    let absent = false;
    for (let i = 0; i < op.keyCount; i++) if (op.returned[i] === ABSENT) absent = true;
    const stream = this.reactionStreams[session.groupIndex]!;
    for (const rule of session.group.reactions!) {
      if (session.reactionsInRow >= rule.limit || !reactionTriggered(rule, session.actionIndex, flags, absent)) continue;
      if (rule.kind === 'resubmit' && session.lastWriteAction === null) continue;
      if (!(stream() < rule.p)) continue;
      session.reactionsInRow++;
      if (rule.kind === 'abandon') {
        this.hooks.onReaction?.(session, rule.kind, !op.warmup);
        if (session.group.rate === null) return false;
        this.leave(session);
        return true;
      }
      if (rule.kind === 'refresh') {
        session.refreshKeys.length = 0;
        for (let i = 0; i < op.keyCount; i++) session.refreshKeys.push(op.keyIds[i]!);
      }
      const atUs = this.sim.nowUs + round(rule.after(stream));
      // No operation starts at or after warmup + duration (semantics.md section 2).
      if (atUs < this.endUs) this.sim.schedule(atUs, PHASE_OTHER, Ev.ReactionStart, session.index, REACTION_CODES[rule.kind]);
      return true;
    }
    return false;
  }

  /**
   * A read's `leader` versions are the latest committed at or before t0, and commits precede reads at
   * one instant (semantics.md sections 1 and 3): a write that commits at t0 after the read started
   * (an event of that instant handled later, e.g. a zero-latency write started at t0) counts too.
   */
  private includeCommitsAtStart(op: Operation): void {
    for (let i = 0; i < op.keyCount; i++) {
      const record = this.keys.get(op.keyIds[i]!);
      for (let j = record.count - 1; j >= 0 && record.versionAt(j) > op.leaderVersions[i]!; j--) {
        if (record.commitUsAt(j) > op.startUs) continue;
        if (record.commitUsAt(j) === op.startUs) {
          op.setLeader(i, record.versionAt(j), op.startUs, record.ordinalAt(j));
        }
        break;
      }
    }
  }

  // ---- Nodes, network, polls ---------------------------------------------------------------------

  private addNode(
    name: string,
    region: number,
    shard: number,
    leader: boolean,
    log: ReplicaLog | null,
    service: DrawUs | null,
    concurrency: number,
    streams: RandomStreams,
  ): number {
    const node = this.nodeNames.length;
    this.nodeNames.push(name);
    this.nodeRegion.push(region);
    this.nodeShard.push(shard);
    this.nodeIsLeader.push(leader);
    this.nodeReplica.push(log);
    this.nodeService.push(service);
    this.nodeWriteService.push(leader && this.spec.leader.writeService !== undefined ? this.spec.leader.writeService : service);
    this.nodeConcurrency.push(concurrency);
    this.nodeServiceStream.push(streams.stream(`node/${name}/service`));
    this.nodeNetStream.push(streams.stream(`node/${name}/network`));
    this.nodeQueue.push(new NumberRing(4));
    this.nodeQueueSinceUs.push(new NumberRing(4));
    this.nodeUp.push(true);
    return node;
  }

  /** A long-running operation's service time (action `hold`), counted as busy time like any other. */
  private holdTime(node: number, holdUs: number): number {
    if (this.sim.nowUs >= this.spec.warmupUs) this.nodeBusyUs[node]! += holdUs;
    return holdUs;
  }

  private serviceTime(node: number, write = false): number {
    const service = write ? this.nodeWriteService[node] : this.nodeService[node];
    if (service === null || service === undefined) return 0;
    const serviceUs = round(service(this.nodeServiceStream[node]!));
    if (this.sim.nowUs >= this.spec.warmupUs) this.nodeBusyUs[node]! += serviceUs;
    return serviceUs;
  }

  /** A request waits FIFO for a service slot of `node`. */
  private enqueue(node: number, handle: number): void {
    this.nodeQueue[node]!.push(handle);
    this.nodeQueueSinceUs[node]!.push(this.sim.nowUs);
    this.queueing.change(node, this.sim.nowUs, 1);
  }

  /** Counts a service start for the queueing statistics and the onServiceStart hook. */
  private serviceStarted(node: number, sessionIndex: number, fromQueue: boolean, serviceUs: number): void {
    const now = this.sim.nowUs;
    if (now < this.spec.warmupUs || now >= this.endUs) return;
    this.queueing.serviceStarted(node, now, fromQueue);
    this.hooks.onServiceStart?.(node, fromQueue ? this.queueWaitUs[sessionIndex]! : 0, serviceUs);
  }

  /** Service starts and waits of `node` so far in the measured window. */
  queueCountsSoFar(node: number): { started: number; waited: number } {
    return { started: this.queueing.startedSoFar(node), waited: this.queueing.waitedSoFar(node) };
  }

  /** Per node: requests served, how many waited, and the mean queue length over the measured window. */
  queueStats(): QueueStats[] {
    return this.queueing.stats();
  }

  /** Frees a service slot, handing it straight to the next queued request (FIFO) if any. */
  private finishService(node: number): void {
    const queue = this.nodeQueue[node]!;
    if (queue.length === 0) {
      this.nodeBusy[node]!--;
      return;
    }
    const handle = queue.shift();
    const now = this.sim.nowUs;
    this.queueing.change(node, now, -1);
    const sessionIndex = Math.floor(handle / 256);
    this.queueWaitUs[sessionIndex] = now - this.nodeQueueSinceUs[node]!.shift();
    const part = handle - sessionIndex * 256;
    if (part === WRITE_PART) this.sim.schedule(this.sim.nowUs, PHASE_COMMIT, Ev.WriteBegin, sessionIndex);
    else this.sim.schedule(this.sim.nowUs, PHASE_READ, Ev.ReadBegin, sessionIndex, part);
  }

  /** One-way network latency between a session's region and a node's (drawn from the node's stream). */
  private latency(session: Session, node: number): number {
    const draw = this.spec.latency[session.group.region]![this.nodeRegion[node]!];
    return draw === null || draw === undefined ? 0 : round(draw(this.nodeNetStream[node]!));
  }

  // ---- Faults (scenario `faults`; semantics.md section 6) ------------------------------------------

  private reachable(regionA: number, regionB: number): boolean {
    return this.partitioned[regionA]![regionB] === 0;
  }

  private nodeIndex(name: string): number {
    return this.nodeNames.indexOf(name);
  }

  private describeFault(index: number): string {
    const fault = this.spec.faults.events[index]!;
    if (fault.kind === 'partition') return `partition ${this.spec.regions[fault.regions[0]]}/${this.spec.regions[fault.regions[1]]}`;
    return `${fault.kind} ${fault.node}`;
  }

  private startFault(index: number): void {
    const fault = this.spec.faults.events[index]!;
    const now = this.sim.nowUs;
    const endUs = fault.for === null ? Infinity : now + round(fault.for(this.faultStreams[index]!));
    this.faultEndUs[index] = endUs;
    this.observer.onFault(now, this.describeFault(index), true);
    if (fault.kind === 'partition') {
      const [a, b] = fault.regions;
      this.partitioned[a]![b]!++;
      this.partitioned[b]![a]!++;
      this.partitionEndUs[a]![b] = Math.max(this.partitionEndUs[a]![b]!, endUs);
      this.partitionEndUs[b]![a] = this.partitionEndUs[a]![b]!;
    } else {
      const node = this.nodeIndex(fault.node);
      const log = this.nodeReplica[node];
      if (fault.kind === 'crash') {
        this.nodeUp[node] = false;
        if (this.nodeIsLeader[node]) {
          const shard = this.nodeShard[node]!;
          this.leaderCrashUs[shard] = now;
          // Nothing more arrives from a dead leader: each replica keeps what it had received by now.
          for (const replica of this.replicas[shard]!) {
            const replicaLog = this.nodeReplica[replica]!;
            replicaLog.truncateAfter(replicaLog.receivedPosition(now));
          }
          this.sim.schedule(now + this.spec.faults.failoverTimeUs, PHASE_OTHER, Ev.Failover, shard);
        }
      }
      // A paused or crashed replica applies nothing until it is back (faults only delay applies).
      if (log !== null && log !== undefined) log.pauseUntil(endUs);
    }
    if (endUs < Infinity) this.sim.schedule(endUs, PHASE_OTHER, Ev.FaultEnd, index);
  }

  private endFault(index: number): void {
    const fault = this.spec.faults.events[index]!;
    const now = this.sim.nowUs;
    this.observer.onFault(now, this.describeFault(index), false);
    if (fault.kind === 'partition') {
      const [a, b] = fault.regions;
      this.partitioned[a]![b]!--;
      this.partitioned[b]![a]!--;
    } else if (fault.kind === 'crash') {
      const node = this.nodeIndex(fault.node);
      // A crashed leader that was replaced stays out; one that comes back before its failover resumes.
      if (!(this.nodeIsLeader[node] === false && this.nodeReplica[node] === null)) {
        this.nodeUp[node] = true;
        if (this.nodeIsLeader[node]) this.leaderCrashUs[this.nodeShard[node]!] = -1;
      }
    }
    if (fault.every !== null) {
      const nextUs = now + round(fault.every(this.faultStreams[index]!));
      if (nextUs < this.endUs) this.sim.schedule(nextUs, PHASE_OTHER, Ev.FaultStart, index);
    }
  }

  /**
   * semantics.md section 6: the shard's replica with the highest position received by the crash is
   * promoted; it applies what it received; acknowledged writes it never received are lost, and new
   * writes continue numbering after the highest position ever committed.
   */
  private failover(shard: number): void {
    const crashUs = this.leaderCrashUs[shard]!;
    const oldLeader = this.leaders[shard]!;
    if (crashUs < 0 || this.nodeUp[oldLeader]) return;
    let promoted = -1;
    let best = -1;
    // A synchronous replica first (it holds every acknowledged write); else any replica.
    for (const syncOnly of [true, false]) {
      for (const node of this.replicas[shard]!) {
        if (!this.nodeUp[node] || (syncOnly && this.nodeSync[node] === null)) continue;
        const received = this.nodeReplica[node]!.receivedPosition(crashUs);
        if (received > best) {
          best = received;
          promoted = node;
        }
      }
      if (promoted >= 0) break;
    }
    if (promoted < 0) return;
    const now = this.sim.nowUs;
    this.nodeReplica[promoted]!.applyReceived(crashUs);
    for (const node of this.replicas[shard]!) if (node !== promoted) this.nodeReplica[node]!.truncateAfter(best);
    const lost: [number, number][] = [];
    for (const record of this.keys.records) {
      if (record === undefined || record.shard !== shard || record.latestVersion <= best) continue;
      for (const version of record.dropAbove(best)) lost.push([record.id, version]);
    }
    lost.sort((x, y) => x[1] - y[1]);
    this.nodeIsLeader[promoted] = true;
    this.nodeReplica[promoted] = null;
    this.nodeIsLeader[oldLeader] = false;
    this.leaders[shard] = promoted;
    this.leaderRegion[shard] = this.nodeRegion[promoted]!;
    this.replicas[shard] = this.replicas[shard]!.filter((node) => node !== promoted);
    this.leaderCrashUs[shard] = -1;
    this.observer.onFailover({
      atUs: now,
      shard,
      from: this.nodeNames[oldLeader]!,
      to: this.nodeNames[promoted]!,
      received: best,
      crashUs,
      lost,
    });
    for (const sessionIndex of this.waitingWrites[shard]!.splice(0)) {
      const session = this.sessions[sessionIndex]!;
      session.op.node = promoted;
      this.sim.schedule(now + this.latency(session, promoted), PHASE_COMMIT, Ev.WriteArrive, sessionIndex);
    }
  }

  private boundary(index: number): void {
    const boundaries = this.hooks.boundaries!;
    boundaries.onBoundary(this.sim.nowUs);
    const next = index + 1;
    if (next < boundaries.count) this.sim.schedule(boundaries.atUs(next), PHASE_BOUNDARY, Ev.Boundary, next);
  }

  private monitorSample(): void {
    const now = this.sim.nowUs;
    this.hooks.onMonitorSample?.(now);
    const next = now + this.hooks.monitorEveryUs!;
    if (next <= this.endUs) this.sim.schedule(next, PHASE_POLL, Ev.MonitorSample, 0);
  }

  private sample(): void {
    const now = this.sim.nowUs;
    this.hooks.onSample?.(now);
    const next = now + this.hooks.sampleEveryUs!;
    if (next <= this.endUs) this.sim.schedule(next, PHASE_POLL, Ev.Sample, 0);
  }

  /** A node's load now: requests waiting, in service, and service time spent so far (after warm-up). */
  nodeLoad(node: number): { queued: number; inService: number; busyUs: number } {
    return { queued: this.nodeQueue[node]!.length, inService: this.nodeBusy[node]!, busyUs: this.nodeBusyUs[node]! };
  }

  /** A replica's lag now (semantics.md section 1), or 0 for a leader. */
  lagNowUs(node: number): number {
    const log = this.nodeReplica[node];
    return log === null || log === undefined ? 0 : log.lagUs(this.sim.nowUs);
  }

  private pollLag(): void {
    const now = this.sim.nowUs;
    for (let node = 0; node < this.nodeNames.length; node++) {
      const log = this.nodeReplica[node];
      if (log !== null && log !== undefined) this.polledLagUs[node] = log.lagUs(now);
    }
    const next = now + this.spec.balancer.pollUs;
    if (next < this.endUs) this.sim.schedule(next, PHASE_POLL, Ev.PollLag, 0);
  }

  private pollPositions(): void {
    const now = this.sim.nowUs;
    for (let node = 0; node < this.nodeNames.length; node++) this.polledPositions[node] = this.appliedPosition(node);
    const next = now + (this.routing.positionPollUs ?? Infinity);
    if (next < this.endUs) this.sim.schedule(next, PHASE_POLL, Ev.PollPositions, 0);
  }
}

