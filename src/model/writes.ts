import type { Simulation } from '../engine/simulation.js';
import type { Cluster } from './cluster.js';
import { Ev, PHASE_COMMIT, PHASE_OTHER, WRITE_PART, queueHandle, round } from './events.js';
import { EMPTY_PAST, type KeyTable, type Past } from './keys.js';
import type { OperationObserver } from './observer.js';
import type { Operation } from './operation.js';
import type { ReadRouting } from './routing.js';
import type { RunContext } from './runContext.js';
import { rememberVersion, type Session } from './session.js';
import type { ModelSpec } from './spec.js';

/**
 * A write (semantics.md section 2): to the shard's leader over the network, a service slot there,
 * the commit at the end of its service (the next log position, sent to every replica), a
 * synchronous quorum when the scenario has one, the reply back.
 */
export class WritePath {
  private readonly spec: ModelSpec;
  private readonly sim: Simulation;
  private readonly cluster: Cluster;
  private readonly keys: KeyTable;
  private readonly routing: ReadRouting;
  private readonly observer: OperationObserver;

  constructor(private readonly context: RunContext) {
    this.spec = context.spec;
    this.sim = context.sim;
    this.cluster = context.cluster;
    this.keys = context.keys;
    this.routing = context.routing;
    this.observer = context.observer;
  }

  /** Sends the session's write (its key already added to the operation) to its shard's leader. */
  send(session: Session, op: Operation): void {
    this.collectDeps(session, op);
    const leader = this.cluster.leaders[op.keyShards[0]!]!;
    op.node = leader;
    this.sim.schedule(this.sim.nowUs + this.cluster.latency(session.group.region, leader), PHASE_COMMIT, Ev.WriteArrive, session.index);
  }

  arrive(session: Session): void {
    const cluster = this.cluster;
    const op = session.op;
    const shard = op.keyShards[0]!;
    const leader = cluster.leaders[shard]!;
    if (!cluster.nodeUp[leader] && cluster.leaderCrashUs[shard]! >= 0 && this.spec.faults.duringFailover === 'wait') {
      cluster.waitingWrites[shard]!.push(session.index);
      return;
    }
    if (!cluster.nodeUp[leader] || leader !== op.node || !cluster.reachable(session.group.region, cluster.nodeRegion[leader]!)) {
      op.failed = true;
      this.reply(session, op.node);
      return;
    }
    op.nodeCrashes = cluster.nodeCrashes[leader]!;
    if (cluster.hasFreeSlot(leader)) this.begin(session, false);
    else cluster.enqueue(leader, queueHandle(session.index, WRITE_PART));
  }

  begin(session: Session, slotReserved: boolean): void {
    const cluster = this.cluster;
    const op = session.op;
    const leader = op.node;
    if (cluster.nodeCrashes[leader] !== op.nodeCrashes) {
      // The leader crashed while the write waited in its queue, even if it is back (semantics.md
      // section 6): the connection is cut, and the write fails there, as a read does, never served.
      if (slotReserved) cluster.finishService(leader);
      op.failed = true;
      this.reply(session, leader);
      return;
    }
    if (!slotReserved) cluster.nodeBusy[leader]!++;
    const holdUs = op.holdUs;
    const serviceUs = holdUs > 0 ? cluster.holdTime(leader, holdUs) : cluster.serviceTime(leader, true);
    cluster.serviceStarted(leader, session.index, slotReserved, serviceUs);
    // A write commits when the leader has served it (the end of its service time).
    if (serviceUs === 0) this.commit(session);
    else this.sim.schedule(this.sim.nowUs + serviceUs, PHASE_COMMIT, Ev.WriteCommit, session.index);
  }

  commit(session: Session): void {
    const cluster = this.cluster;
    const now = this.sim.nowUs;
    const op = session.op;
    const leader = op.node;
    cluster.finishService(leader);
    const shard = op.keyShards[0]!;
    // A different crash count means the leader crashed while it served the write, even if it is
    // back (semantics.md section 6): the write never committed, and the leader did not serve it.
    if (cluster.nodeCrashes[leader] !== op.nodeCrashes || cluster.leaders[shard] !== leader) {
      op.failed = true;
      this.reply(session, leader);
      return;
    }
    if (now >= this.spec.warmupUs) cluster.nodeWrites[leader]!++;
    const position = ++cluster.committed[shard]!;
    const record = this.keys.get(op.keyIds[0]!);
    const past = this.pastOf(session, op);
    let token: Float64Array | null = null;
    if (this.routing.needsWriteTokens) {
      token = Float64Array.from(this.routing.writerToken(session.index) ?? new Float64Array(cluster.shardCount));
      if (token[shard]! < position) token[shard] = position;
    }
    record.append(position, now, past, token);
    this.context.committed(record.id, position, record.newestOrdinal);
    op.version = position;
    op.commitUs = now;
    op.writtenPast = past;
    let minApplied = position;
    for (const node of cluster.replicas[shard]!) {
      const log = cluster.nodeReplica[node]!;
      const applyUs = log.enqueue(position, now, cluster.deliveryFloorUs(shard, node));
      op.applyNodes[op.applyCount] = node;
      op.applyUs[op.applyCount++] = applyUs;
      // A replica paused or cut off until the end never applies the entry (applyUs is Infinity).
      if (applyUs < Infinity) this.observer.onApplyScheduled(node, now, applyUs);
      const applied = log.advance(now);
      if (applied < minApplied) minApplied = applied;
    }
    record.prune(minApplied);
    this.keys.confirm(shard, minApplied);
    if (cluster.syncReplication !== null && cluster.syncReplication.waits(cluster.replicas[shard]!)) {
      op.awaitingQuorum = true;
      return this.awaitSyncQuorum(session);
    }
    this.reply(session, leader);
  }

  /**
   * A committed write waits for its shard's synchronous quorum (syncReplication.ts), checked again at
   * the time the replicas' schedules give, since a pause may move it; the reply leaves the leader
   * then. A leader that crashes meanwhile never replies: the crash checks its waiting writes at once
   * (Faults.start), and they fail — even those whose quorum could never have come, which would
   * otherwise wait for ever and stop their sessions.
   */
  awaitSyncQuorum(session: Session): void {
    const cluster = this.cluster;
    const now = this.sim.nowUs;
    const op = session.op;
    const leader = op.node;
    const shard = op.keyShards[0]!;
    // A check of a write that has already had its answer (a crash woke it early) has nothing to do.
    if (!op.awaitingQuorum) return;
    // Its leader crashed since the write arrived (the crash's own check comes at the crash instant).
    if (cluster.nodeCrashes[leader] !== op.nodeCrashes || cluster.leaders[shard] !== leader) {
      this.giveUpQuorum(op);
      this.reply(session, leader);
      return;
    }
    const ackUs = cluster.syncReplication!.ackTimeUs(cluster.replicas[shard]!, cluster.nodeReplica, op.version, now);
    if (ackUs <= now) {
      op.awaitingQuorum = false;
      this.reply(session, leader);
    }
    // Never confirmed (a replica stopped for good): the write waits for ever, as a PostgreSQL commit would.
    else if (ackUs < Infinity) this.sim.schedule(ackUs, PHASE_OTHER, Ev.WriteSyncCheck, session.index);
  }

  /**
   * The run is over (no event is left) while some writes still wait: committed ones for a
   * synchronous quorum that can never come (its replicas stopped for good), as a PostgreSQL commit
   * would, never acknowledged — reported failed, their commits kept (see the history's
   * committed-then-failed writes), so that no commit is missing from the history; and, with
   * `duringFailover: wait`, ones for a leader that never came (no replica to promote, the old
   * leader never back) — reported failed, never committed. So every operation started is counted.
   */
  endInFlight(): void {
    const waitingForLeader = new Set(this.cluster.waitingWrites.flatMap((sessions) => sessions.splice(0)));
    // The run ends at warm-up + duration, or later when operations in flight completed after it; the
    // last event before the end is no end (it may be a statistics boundary, not the model's).
    const endUs = Math.max(this.sim.nowUs, this.context.endUs);
    for (const session of this.context.workload.sessions) {
      const op = session.op;
      if (op.awaitingQuorum) this.giveUpQuorum(op);
      else if (waitingForLeader.has(session.index)) op.failed = true;
      else continue;
      op.endUs = endUs;
      session.completed++;
      this.observer.onWrite(session, op);
    }
  }

  /** A committed write stops waiting for its quorum and fails, never acknowledged: the history keeps its commit (others may have read it). */
  private giveUpQuorum(op: Operation): void {
    op.awaitingQuorum = false;
    op.failed = true;
    this.cluster.unacknowledged[op.keyShards[0]!]!.add(op.version);
  }

  private reply(session: Session, node: number): void {
    this.sim.schedule(this.sim.nowUs + this.cluster.latency(session.group.region, node), PHASE_OTHER, Ev.WriteReply, session.index);
  }

  complete(session: Session): void {
    const op = session.op;
    op.endUs = this.sim.nowUs;
    if (op.failed) {
      session.completed++;
      this.observer.onWrite(session, op);
      this.context.afterWrite(session);
      return;
    }
    const keyId = op.keyIds[0]!;
    const record = this.keys.get(keyId);
    rememberVersion(session, this.keys, keyId, op.version, op.writtenPast);
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
    this.context.afterWrite(session);
  }

  /**
   * A one-off big transaction (scenario `migrations`): on every shard whose leader is up, one log
   * entry commits now, touching no key, and each replica applies it in its own apply time.
   */
  migrate(index: number, stream: () => number): void {
    const cluster = this.cluster;
    const now = this.sim.nowUs;
    const migration = this.spec.migrations![index]!;
    for (let shard = 0; shard < cluster.shardCount; shard++) {
      const leader = cluster.leaders[shard]!;
      if (!cluster.nodeUp[leader]) continue;
      const position = ++cluster.committed[shard]!;
      const workUs = round(migration.apply(stream));
      for (const node of cluster.replicas[shard]!) {
        const applyUs = cluster.nodeReplica[node]!.enqueue(position, now, cluster.deliveryFloorUs(shard, node), workUs);
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
}
