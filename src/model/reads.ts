import type { Simulation } from '../engine/simulation.js';
import type { Cluster } from './cluster.js';
import {
  CANCELLED,
  Ev,
  GENERATION_MASK,
  PHASE_LATE,
  PHASE_OTHER,
  PHASE_READ,
  generationOf,
  partHandle,
  partOf,
  queueHandle,
} from './events.js';
import { ABSENT, type KeyTable } from './keys.js';
import type { OperationObserver } from './observer.js';
import { OpKind, PartStatus, TARGET_BALANCER, TARGET_LEADER, TARGET_STRATEGY, type Operation } from './operation.js';
import { ADMIT, NO_NODE, REJECT, type Balancer, type ReadRouting } from './routing.js';
import type { RunContext } from './runContext.js';
import { rememberVersion, type Session } from './session.js';
import type { ModelSpec } from './spec.js';
import type { Workload } from './workload.js';

/** Attempts per part of a read before it fails (a retry follows a node that was down or unreachable). */
const MAX_ATTEMPTS = 3;

/**
 * A read (semantics.md section 2): one part per shard its keys live on, each routed by the strategy
 * (or the action's target), admitted or held by it at the node, served from the node's applied
 * position when its service starts, replied; a part may be retried, redirected or read again in
 * another round before the read completes.
 */
export class ReadPath {
  private readonly spec: ModelSpec;
  private readonly sim: Simulation;
  private readonly cluster: Cluster;
  private readonly keys: KeyTable;
  private readonly workload: Workload;
  private readonly routing: ReadRouting;
  private readonly observer: OperationObserver;
  private readonly balancer: Balancer;
  /**
   * The sessions whose read started at `startedAtUs`. A read's `leader` versions are the latest
   * committed at or before its t0, and commits precede reads at one instant (semantics.md sections 1
   * and 3): a commit at t0 handled after the read started counts too, so each commit tells the reads
   * started at its instant (`committed`). Such a read is still in flight then: one that would
   * complete within its first instant while other events of it are due completes in PHASE_LATE,
   * after them (its completion schedules nothing at this instant).
   */
  private startedAtUs = -1;
  private startedCount = 0;
  private readonly startedNow: number[] = [];

  constructor(private readonly context: RunContext) {
    this.spec = context.spec;
    this.sim = context.sim;
    this.cluster = context.cluster;
    this.keys = context.keys;
    this.workload = context.workload;
    this.routing = context.routing;
    this.observer = context.observer;
    this.balancer = context.cluster.balancerFor();
  }

  /** Sends every part of the session's read (its keys already added to the operation). */
  send(session: Session, op: Operation): void {
    if (this.startedAtUs !== op.startUs) {
      this.startedAtUs = op.startUs;
      this.startedCount = 0;
    }
    this.startedNow[this.startedCount++] = session.index;
    // Every part counts before any is sent: a part that fails at once (no node) must not complete the read.
    op.partsInFlight = op.partCount;
    for (let part = 0; part < op.partCount; part++) this.sendAttempt(session, part, this.route(session, op, part));
  }

  /** Key `keyId` committed `version` now: reads started at this instant count it as their leader version. */
  committed(keyId: number, version: number, ordinal: number): void {
    const now = this.sim.nowUs;
    if (this.startedAtUs !== now) return;
    const sessions = this.workload.sessions;
    for (let s = 0; s < this.startedCount; s++) {
      const op = sessions[this.startedNow[s]!]!.op;
      if (op.kind !== OpKind.Read || op.startUs !== now) continue;
      for (let i = 0; i < op.keyCount; i++) if (op.keyIds[i] === keyId) op.setLeader(i, version, now, ordinal);
    }
  }

  /** Whether a read event `b` (a part handle) belongs to the part's current attempt. */
  isCurrent(op: Operation, b: number): boolean {
    return op.partGeneration(partOf(b)) === generationOf(b);
  }

  /** The node for a read attempt: the strategy's, or for a targeted action a node of its target. */
  private route(session: Session, op: Operation, part: number): number {
    if (op.target === TARGET_STRATEGY) return this.routing.route(session.index, op, part);
    const cluster = this.cluster;
    const shard = op.partShard(part);
    if (op.target === TARGET_LEADER) return cluster.leaders[shard]!;
    if (op.target === TARGET_BALANCER) return this.balancer.pick(shard, 0, null);
    let count = 0;
    for (const node of cluster.replicas[shard]!) if (cluster.nodeGroup[node] === op.target && cluster.nodeUp[node]) count++;
    if (count === 0) return NO_NODE;
    let pick = Math.min(count - 1, Math.floor(this.workload.stream(session)() * count));
    for (const node of cluster.replicas[shard]!) {
      if (cluster.nodeGroup[node] !== op.target || !cluster.nodeUp[node]) continue;
      if (pick-- === 0) return node;
    }
    return NO_NODE;
  }

  private sendAttempt(session: Session, part: number, node: number): void {
    const op = session.op;
    if (node === NO_NODE) {
      op.failed = true;
      op.setPartStatus(part, PartStatus.Failed);
      return this.partDone(session);
    }
    const generation = (op.partGeneration(part) + 1) & GENERATION_MASK;
    op.startAttempt(part, node, generation);
    op.attempts++;
    this.balancer.sent(node);
    const arriveUs = this.sim.nowUs + this.cluster.latency(session.group.region, node);
    this.sim.schedule(arriveUs, PHASE_READ, Ev.ReadArrive, session.index, partHandle(part, generation));
  }

  /** A part arrives at its node (or is checked again after a wait): the strategy admits, rejects or holds it. */
  admit(session: Session, part: number, recheck: boolean): void {
    const cluster = this.cluster;
    const op = session.op;
    const node = op.partNode(part);
    const now = this.sim.nowUs;
    if (!recheck) op.arrived(part, now, cluster.nodeCrashes[node]!);
    // A part held for a wait whose node crashed meanwhile fails at its recheck, even with the node
    // back: the crash cut its connection (semantics.md section 6).
    if (!cluster.nodeUp[node] || cluster.nodeCrashes[node] !== op.partNodeCrashes(part) || !cluster.reachable(session.group.region, cluster.nodeRegion[node]!)) {
      return this.sendReply(session, part, PartStatus.Failed);
    }
    const verdict = op.target === TARGET_STRATEGY ? this.routing.admit(session.index, op, part, node, now) : ADMIT;
    if (verdict === ADMIT) {
      if (recheck) op.waitUs += now - op.partArrivalUs(part);
      if (cluster.hasFreeSlot(node)) this.begin(session, part, false);
      else cluster.enqueue(node, queueHandle(session.index, part));
    } else if (verdict === REJECT) {
      if (recheck) op.waitUs += now - op.partArrivalUs(part);
      this.sendReply(session, part, PartStatus.Rejected);
    } else {
      if (!recheck) op.waits++;
      this.sim.schedule(Math.max(now, verdict), PHASE_READ, Ev.WaitRecheck, session.index, partHandle(part, op.partGeneration(part)));
    }
  }

  /** Serves a read attempt: reads the part's needed keys at the instant service starts (semantics.md section 2). */
  begin(session: Session, part: number, slotReserved: boolean): void {
    const cluster = this.cluster;
    const op = session.op;
    const node = op.partNode(part);
    const now = this.sim.nowUs;
    // The part arrived with the node up: a different crash count means the node crashed while the
    // read waited in its queue, even if it is back (semantics.md section 6). The connection is cut,
    // and the read fails there.
    if (cluster.nodeCrashes[node] !== op.partNodeCrashes(part)) {
      if (slotReserved) cluster.finishService(node);
      return this.sendReply(session, part, PartStatus.Failed);
    }
    if (!slotReserved) cluster.nodeBusy[node]!++;
    if (now >= this.spec.warmupUs) cluster.nodeReads[node]!++;
    const log = cluster.nodeReplica[node];
    const position = log === null || log === undefined ? Infinity : log.advance(now);
    const shard = op.partShard(part);
    for (let i = 0; i < op.keyCount; i++) {
      if (op.keyShards[i] !== shard || !op.isNeeded(i)) continue;
      const record = this.keys.get(op.keyIds[i]!);
      const newest = record.newestVersion;
      if (newest !== ABSENT && newest <= position) {
        // The node has applied the key's newest version (its index is count − 1): nothing newer was missed.
        const last = record.count - 1;
        op.setReturned(i, node, newest, record.newestOrdinal, record.pastAt(last), record.tokenAt(last), -1);
        continue;
      }
      const count = record.count;
      const index = position === Infinity ? count - 1 : record.indexAt(position);
      if (index >= 0) {
        const missedCommitUs = index + 1 < count ? record.commitUsAt(index + 1) : -1;
        op.setReturned(i, node, record.versionAt(index), record.ordinalAt(index), record.pastAt(index), record.tokenAt(index), missedCommitUs);
      } else {
        op.setReturned(i, node, ABSENT, 0, null, null, count > 0 ? record.commitUsAt(0) : -1);
      }
    }
    const serviceUs = op.holdUs > 0 ? cluster.holdTime(node, op.holdUs) : cluster.serviceTime(node);
    cluster.serviceStarted(node, session.index, slotReserved, serviceUs);
    const maxDelayUs = op.holdUs > 0 ? cluster.nodeConflictMaxDelayUs[node] : null;
    if (maxDelayUs !== null && maxDelayUs !== undefined && log !== null && log !== undefined) {
      // Hot-standby conflict: replay waits for the query, but no entry waits more than maxDelay
      // past its receipt (max_standby_streaming_delay); then replay cancels the query.
      const cancelUs = Math.max(now, log.oldestWaitingArrivalUs(now) + maxDelayUs);
      log.pauseUntil(Math.min(now + serviceUs, cancelUs));
      if (now + serviceUs > cancelUs) {
        if (now >= this.spec.warmupUs) cluster.nodeBusyUs[node]! -= now + serviceUs - cancelUs;
        this.sim.schedule(cancelUs, PHASE_OTHER, Ev.ReadDone, session.index, part | CANCELLED);
        return;
      }
    }
    if (serviceUs === 0) {
      cluster.finishService(node);
      this.sendReply(session, part, PartStatus.Replied);
    } else {
      this.sim.schedule(now + serviceUs, PHASE_OTHER, Ev.ReadDone, session.index, part);
    }
  }

  /** The node has served the part (b: part, + CANCELLED when replay cancelled the query). */
  served(session: Session, b: number): void {
    const op = session.op;
    const part = partOf(b);
    const node = op.partNode(part);
    this.cluster.finishService(node);
    if (this.cluster.nodeCrashes[node] !== op.partNodeCrashes(part)) {
      // A node that crashed during the service answers nothing, even if it is back by its end (the
      // crash cut the connection): the read fails there, and a retry reads the part's keys again.
      const shard = op.partShard(part);
      for (let i = 0; i < op.keyCount; i++) if (op.keyShards[i] === shard && op.servedBy[i] === node) op.needAgain(i);
      return this.sendReply(session, part, PartStatus.Failed);
    }
    if ((b & CANCELLED) !== 0) {
      op.cancelled = true;
      return this.sendReply(session, part, PartStatus.Failed);
    }
    this.sendReply(session, part, PartStatus.Replied);
  }

  private sendReply(session: Session, part: number, status: PartStatus): void {
    const op = session.op;
    op.setPartStatus(part, status);
    const node = op.partNode(part);
    const replyUs = this.sim.nowUs + this.cluster.latency(session.group.region, node);
    this.sim.schedule(replyUs, PHASE_OTHER, Ev.ReadReply, session.index, partHandle(part, op.partGeneration(part)));
  }

  receiveReply(session: Session, part: number): void {
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
      return this.sendAttempt(session, part, this.route(session, op, part));
    }
    const next = op.target === TARGET_STRATEGY ? this.routing.onReply(session.index, op, part) : NO_NODE;
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
    if (!op.failed && op.target === TARGET_STRATEGY && this.routing.onReadComplete(session.index, op)) {
      op.rounds++;
      let parts = 0;
      for (let part = 0; part < op.partCount; part++) if (this.partNeedsRead(op, part)) parts++;
      if (parts > 0) {
        // As in send: every part counts before any is sent.
        op.partsInFlight = parts;
        for (let part = 0; part < op.partCount; part++) if (this.partNeedsRead(op, part)) this.sendAttempt(session, part, this.route(session, op, part));
        return;
      }
    }
    // A read within one instant completes after the rest of it, when there is a rest: a commit at its t0 may still come.
    if (op.startUs === this.sim.nowUs && this.sim.moreAtThisInstant()) this.sim.schedule(op.startUs, PHASE_LATE, Ev.ReadComplete, session.index);
    else this.complete(session);
  }

  private partNeedsRead(op: Operation, part: number): boolean {
    const shard = op.partShard(part);
    for (let i = 0; i < op.keyCount; i++) if (op.keyShards[i] === shard && op.isNeeded(i)) return true;
    return false;
  }

  /** The read has its last reply (and, if it started at this instant, the instant is over). */
  complete(session: Session): void {
    const op = session.op;
    op.endUs = this.sim.nowUs;
    if (!op.failed) {
      let topic = -1;
      for (let i = 0; i < op.keyCount; i++) {
        const keyId = op.keyIds[i]!;
        const record = this.keys.get(keyId);
        if (topic < 0 && record.topic >= 0) topic = record.topic;
        if (op.returned[i]! > 0) rememberVersion(session, this.keys, keyId, op.returned[i]!, op.returnedPasts[i]!);
      }
      if (topic >= 0) session.lastReadTopic = topic;
    }
    session.completed++;
    const flags = this.observer.onRead(session, op);
    this.context.afterRead(session, flags ?? 0);
  }
}
