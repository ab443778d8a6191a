import type { RandomStreams } from '../engine/random.js';
import { Simulation, type EventHandler } from '../engine/simulation.js';
import { Cluster } from './cluster.js';
import { Ev, PHASE_BOUNDARY, PHASE_COMMIT, PHASE_POLL, PHASE_START, afterCompletionUs, partOf } from './events.js';
import { Faults } from './faults.js';
import { ABSENT, KeyTable } from './keys.js';
import type { OperationObserver, RunHooks } from './observer.js';
import { OpKind, TARGET_STRATEGY, type Operation } from './operation.js';
import { REACTION_CODES, reactionTriggered } from './reactions.js';
import { ReadPath } from './reads.js';
import type { ReadRouting } from './routing.js';
import type { RunContext } from './runContext.js';
import type { Session } from './session.js';
import type { ModelSpec } from './spec.js';
import { Workload } from './workload.js';
import { WritePath } from './writes.js';

export type { FailoverRecord, OperationObserver, RunHooks } from './observer.js';

/**
 * The replicated database and its users (semantics.md sections 1–2), driven by the engine's event
 * loop: the cluster (cluster.ts), the workload (workload.ts), the write and read paths (writes.ts,
 * reads.ts) and faults (faults.ts) hang off one run; this class starts the run, hands each event to
 * its part and decides what a session does after each operation. Each session owns its one
 * in-flight Operation, so the hot path allocates nothing per event.
 */
export class Simulator implements EventHandler, RunContext {
  readonly sim = new Simulation();
  readonly keys: KeyTable;
  readonly workload: Workload;
  readonly cluster: Cluster;
  readonly endUs: number;
  private readonly streams: RandomStreams;
  private hooks: RunHooks = {};
  routing!: ReadRouting;
  observer!: OperationObserver;
  private writes!: WritePath;
  private reads!: ReadPath;
  private faults!: Faults;

  constructor(
    readonly spec: ModelSpec,
    streams: RandomStreams,
  ) {
    this.streams = streams;
    this.endUs = spec.warmupUs + spec.durationUs;
    this.keys = new KeyTable(spec.keyspace);
    this.workload = new Workload(spec, this.keys, streams);
    this.cluster = new Cluster(spec, streams, this.sim, this.keys, this.workload.sessions);
  }

  get sessions(): readonly Session[] {
    return this.workload.sessions;
  }

  /** Runs the whole simulation: sessions start after one think time; in-flight operations drain after the end. */
  run(routing: ReadRouting, observer: OperationObserver, hooks: RunHooks = {}): void {
    this.begin(routing, observer, hooks);
    const onProgress = hooks.onProgress;
    if (onProgress === undefined) {
      this.advance(Infinity);
      return;
    }
    const sliceUs = Math.max(1, Math.ceil(this.endUs / 100));
    for (let until = sliceUs; this.sim.queue.size > 0; until += sliceUs) {
      this.advance(until);
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
    this.cluster.onServiceStart = hooks.onServiceStart;
    if (hooks.onApplied !== undefined) this.cluster.tellApplies(hooks.onApplied);
    this.writes = new WritePath(this);
    this.reads = new ReadPath(this);
    this.faults = new Faults(this, this.streams);
    const sim = this.sim;
    for (const session of this.sessions) {
      routing.onSessionStart(session.index, session.id);
      observer.onSessionStart(session);
    }
    for (const session of this.sessions) this.scheduleNext(session);
    this.spec.clientGroups.forEach((_, group) => {
      if (this.workload.arrives(group)) this.scheduleArrival(group, 0);
    });
    this.faults.begin();
    this.spec.migrations?.forEach((migration, i) => {
      if (migration.atUs < this.endUs) sim.schedule(migration.atUs, PHASE_COMMIT, Ev.Migration, i);
    });
    if (this.spec.balancer.maxLagUs !== null) sim.schedule(0, PHASE_POLL, Ev.PollLag, 0);
    if (hooks.monitorEveryUs !== undefined && hooks.monitorEveryUs > 0 && hooks.monitorEveryUs <= this.endUs) {
      sim.schedule(hooks.monitorEveryUs, PHASE_POLL, Ev.MonitorSample, 0);
    }
    // Samples every sampleEveryUs and at the end, however the interval divides the run (never after it).
    if (hooks.sampleEveryUs !== undefined && hooks.sampleEveryUs > 0) sim.schedule(Math.min(hooks.sampleEveryUs, this.endUs), PHASE_POLL, Ev.Sample, 0);
    if (hooks.boundaries !== undefined && hooks.boundaries.count > 0) {
      sim.schedule(hooks.boundaries.atUs(0), PHASE_BOUNDARY, Ev.Boundary, 0);
    }
    const positionPollUs = routing.positionPollUs;
    if (positionPollUs !== null && positionPollUs > 0) sim.schedule(0, PHASE_POLL, Ev.PollPositions, 0);
  }

  /** Handles every event up to `untilUs` (after `begin`); false once no event is left: the run is over. */
  advance(untilUs: number): boolean {
    this.sim.run(this, untilUs);
    if (this.sim.queue.size > 0) return true;
    this.writes.endInFlight();
    return false;
  }

  /** Operations started and not completed: none once the run is over (every started operation is counted). */
  operationsInFlight(): number {
    let count = 0;
    for (const session of this.sessions) if (session.op.endUs < 0) count++;
    return count;
  }

  handle(kind: number, a: number, b: number): void {
    if (kind >= Ev.PollLag) return this.handleRunEvent(kind, a, b);
    const session = this.workload.sessions[a]!;
    switch (kind) {
      case Ev.Start:
        return this.startOperation(session);
      case Ev.ReactionStart:
        return this.startReaction(session, b);
      case Ev.WriteArrive:
        return this.writes.arrive(session);
      case Ev.WriteBegin:
        return this.writes.begin(session, true);
      case Ev.WriteCommit:
        return this.writes.commit(session);
      case Ev.WriteReply:
        return this.writes.complete(session);
      case Ev.WriteSyncCheck:
        return this.writes.awaitSyncQuorum(session);
      case Ev.ReadArrive:
      case Ev.WaitRecheck:
        if (this.reads.isCurrent(session.op, b)) this.reads.admit(session, partOf(b), kind === Ev.WaitRecheck);
        return;
      case Ev.ReadBegin:
        return this.reads.begin(session, b, true);
      case Ev.ReadDone:
        return this.reads.served(session, b);
      case Ev.ReadReply:
        if (this.reads.isCurrent(session.op, b)) this.reads.receiveReply(session, partOf(b));
        return;
      case Ev.ReadComplete:
        return this.reads.complete(session);
    }
  }

  /** Events that are not one session's: arrivals, faults, migrations, polls and the run's samples. */
  private handleRunEvent(kind: number, a: number, b: number): void {
    switch (kind) {
      case Ev.Arrival:
        return this.arrive(a);
      case Ev.FaultStart:
        return this.faults.start(a);
      case Ev.FaultEnd:
        return this.faults.end(a);
      case Ev.Failover:
        return this.faults.failover(a, b);
      case Ev.Migration:
        return this.writes.migrate(a, this.streams.stream(`migrations/${a}`));
      case Ev.Boundary: {
        const boundaries = this.hooks.boundaries!;
        boundaries.onBoundary(this.sim.nowUs);
        if (a + 1 < boundaries.count) this.sim.schedule(boundaries.atUs(a + 1), PHASE_BOUNDARY, Ev.Boundary, a + 1);
        return;
      }
      case Ev.Sample:
        this.hooks.onSample?.(this.sim.nowUs);
        // The next sample after the interval, or at the end if that comes first: the last is at the end.
        if (this.sim.nowUs < this.endUs) this.sim.schedule(Math.min(this.sim.nowUs + this.hooks.sampleEveryUs!, this.endUs), PHASE_POLL, kind, 0);
        return;
      case Ev.MonitorSample:
        this.hooks.onMonitorSample?.(this.sim.nowUs);
        return this.repeat(kind, this.hooks.monitorEveryUs!, true);
      case Ev.PollLag:
        this.cluster.pollLag();
        return this.repeat(kind, this.spec.balancer.pollUs, false);
      case Ev.PollPositions:
        this.cluster.pollPositions();
        return this.repeat(kind, this.routing.positionPollUs ?? Infinity, false);
    }
  }

  /** Schedules a periodic event again after everyUs, while before the end (or at it, for samples taken at the end). */
  private repeat(kind: number, everyUs: number, atEnd: boolean): void {
    const next = this.sim.nowUs + everyUs;
    if (next < this.endUs || (atEnd && next === this.endUs)) this.sim.schedule(next, PHASE_POLL, kind, 0);
  }

  // ---- Sessions ----------------------------------------------------------------------------------

  /** Open loop: each arrival is a new session that starts at once. */
  private scheduleArrival(groupIndex: number, fromUs: number): void {
    const atUs = this.workload.nextArrivalUs(groupIndex, fromUs);
    if (atUs < this.endUs) this.sim.schedule(atUs, PHASE_START, Ev.Arrival, groupIndex);
  }

  private arrive(groupIndex: number): void {
    const session = this.workload.arrive(groupIndex);
    this.routing.onSessionStart(session.index, session.id);
    this.observer.onSessionStart(session);
    this.startOperation(session);
    this.scheduleArrival(groupIndex, this.sim.nowUs);
  }

  private scheduleNext(session: Session): void {
    if (session.group.rate !== null && session.completed - session.reactionOps >= session.group.steps) return this.workload.leave(session);
    const nextUs = this.sim.nowUs + this.workload.thinkUs(session);
    // No operation starts at or after warmup + duration (semantics.md section 2).
    if (nextUs < this.endUs) this.sim.schedule(nextUs, PHASE_START, Ev.Start, session.index);
  }

  afterWrite(session: Session): void {
    if (session.group.reactions !== undefined && this.react(session, session.op, 0)) return;
    this.scheduleNext(session);
  }

  committed(keyId: number, version: number, ordinal: number): void {
    this.reads.committed(keyId, version, ordinal);
  }

  afterRead(session: Session, flags: number): void {
    if (session.group.reactions !== undefined && this.react(session, session.op, flags)) return;
    this.scheduleNext(session);
  }

  private startOperation(session: Session): void {
    const action = this.workload.plan(session);
    this.launch(session, action.write, 0, this.workload.plannedHoldUs, this.workload.plannedTarget);
  }

  /** A reaction starts (client group `reactions`): a resubmit or a refresh (workload.ts says of which keys). */
  private startReaction(session: Session, code: number): void {
    session.actionIndex = -1;
    session.reactionOps++;
    const resubmit = code === REACTION_CODES.resubmit;
    this.hooks.onReaction?.(session, resubmit ? 'resubmit' : 'refresh', this.sim.nowUs >= this.spec.warmupUs);
    if (resubmit) this.workload.planResubmit(session);
    else this.workload.planRefresh(session);
    this.launch(session, resubmit, code, 0, TARGET_STRATEGY);
  }

  /** Starts the session's operation on the keys the workload chose. */
  private launch(session: Session, write: boolean, reaction: number, holdUs: number, target: number): void {
    const now = this.sim.nowUs;
    const op = session.op;
    op.reset(write ? OpKind.Write : OpKind.Read, now, now < this.spec.warmupUs);
    op.reaction = reaction;
    op.holdUs = holdUs;
    op.target = target;
    const chosen = this.workload.chosen;
    for (let k = 0; k < this.workload.chosenCount; k++) {
      const record = this.keys.get(chosen[k]!);
      op.addKey(record.id, record.shard, record.committedVersion, record.committedUs, record.committedOrdinal);
    }
    this.routing.onOperationStart(session.index, op);
    if (write) this.writes.send(session, op);
    else this.reads.send(session, op);
  }

  /**
   * The first of the group's reaction rules whose trigger holds and whose draw (probability p, from
   * the group's reaction stream) succeeds fires instead of the think time. True when the session
   * reacts (a resubmit or refresh is scheduled, or an open-loop session abandons and leaves); a
   * closed-loop session that abandons thinks and comes back as before.
   */
  private react(session: Session, op: Operation, flags: number): boolean {
    if (op.failed) return false;
    const write = op.kind === OpKind.Write;
    let absent = false;
    if (!write) for (let i = 0; i < op.keyCount; i++) if (op.returned[i] === ABSENT) absent = true;
    const stream = this.workload.reactionStreams[session.groupIndex]!;
    for (const rule of session.group.reactions!) {
      if (session.reactionsInRow >= rule.limit || !reactionTriggered(rule, session.actionIndex, write, flags, absent)) continue;
      if (rule.kind === 'resubmit' && session.lastWriteAction === null) continue;
      if (!(stream() < rule.p)) continue;
      session.reactionsInRow++;
      if (rule.kind === 'abandon') {
        this.hooks.onReaction?.(session, rule.kind, !op.warmup);
        if (session.group.rate === null) return false;
        this.workload.leave(session);
        return true;
      }
      if (rule.kind === 'refresh') {
        session.refreshKeys.length = 0;
        for (let i = 0; i < op.keyCount; i++) session.refreshKeys.push(op.keyIds[i]!);
      }
      const atUs = this.sim.nowUs + afterCompletionUs(rule.after(stream));
      // No operation starts at or after warmup + duration (semantics.md section 2).
      if (atUs < this.endUs) this.sim.schedule(atUs, PHASE_START, Ev.ReactionStart, session.index, REACTION_CODES[rule.kind]);
      return true;
    }
    return false;
  }
}
