import type { RandomStreams, Uniform } from '../engine/random.js';
import { Ev, PHASE_COMMIT, PHASE_OTHER, round } from './events.js';
import type { RunContext } from './runContext.js';

/**
 * Scenario `faults` (semantics.md section 6): crashes, pauses and partitions that start and end,
 * once or every so often, and the failover a leader's crash sets off.
 */
export class Faults {
  private readonly faultStreams: Uniform[] = [];
  /** Crash faults under way per node: a node is down while any is (overlapping crashes of one node). */
  private readonly crashesOn: number[];
  /** Leader crashes per shard so far: a Failover event is for the crash it counts (a later one voids it). */
  private readonly leaderCrashes: number[];

  constructor(
    private readonly context: RunContext,
    streams: RandomStreams,
  ) {
    context.spec.faults.events.forEach((_, i) => this.faultStreams.push(streams.stream(`faults/${i}`)));
    this.crashesOn = context.cluster.nodeNames.map(() => 0);
    this.leaderCrashes = context.cluster.leaders.map(() => 0);
  }

  /** Schedules each fault's first start. */
  begin(): void {
    const { spec, sim } = this.context;
    spec.faults.events.forEach((fault, i) => {
      const atUs = fault.atUs ?? round(fault.every!(this.faultStreams[i]!));
      if (atUs < this.context.endUs) sim.schedule(atUs, PHASE_OTHER, Ev.FaultStart, i);
    });
  }

  private describe(index: number): string {
    const spec = this.context.spec;
    const fault = spec.faults.events[index]!;
    if (fault.kind === 'partition') return `partition ${spec.regions[fault.regions[0]]}/${spec.regions[fault.regions[1]]}`;
    return `${fault.kind} ${fault.node}`;
  }

  start(index: number): void {
    const { spec, sim, cluster } = this.context;
    const fault = spec.faults.events[index]!;
    const now = sim.nowUs;
    const endUs = fault.for === null ? Infinity : now + round(fault.for(this.faultStreams[index]!));
    this.context.observer.onFault(now, this.describe(index), true);
    if (fault.kind === 'partition') {
      const [a, b] = fault.regions;
      cluster.partitioned[a]![b]!++;
      cluster.partitioned[b]![a]!++;
      cluster.partitionEndUs[a]![b] = Math.max(cluster.partitionEndUs[a]![b]!, endUs);
      cluster.partitionEndUs[b]![a] = cluster.partitionEndUs[a]![b]!;
    } else {
      const node = cluster.nodeNames.indexOf(fault.node);
      const log = cluster.nodeReplica[node];
      // Applies are taken lazily (ReplicaLog.advance): an entry due by now is applied already, and
      // the fault must not move it (semantics.md section 1: faults only delay applies not yet made).
      log?.advance(now);
      // A crash of a node already down (another crash fault under way) changes nothing but its count.
      if (fault.kind === 'crash' && this.crashesOn[node]!++ === 0) {
        cluster.nodeUp[node] = false;
        cluster.nodeCrashes[node]!++;
        if (cluster.nodeIsLeader[node]) {
          const shard = cluster.nodeShard[node]!;
          cluster.leaderCrashUs[shard] = now;
          // Nothing more arrives from a dead leader: what each replica had not received by now waits
          // for a leader to send it again (the same one back, or the replica promoted).
          for (const replica of cluster.replicas[shard]!) cluster.nodeReplica[replica]!.holdUnreceived(now);
          sim.schedule(now + spec.faults.failoverTimeUs, PHASE_OTHER, Ev.Failover, shard, ++this.leaderCrashes[shard]!);
          // The crash cuts the connections of writes waiting for their synchronous quorum: they fail.
          for (const session of this.context.workload.sessions) {
            if (session.op.awaitingQuorum && session.op.keyShards[0] === shard) sim.schedule(now, PHASE_OTHER, Ev.WriteSyncCheck, session.index);
          }
        }
      }
      // A paused or crashed replica applies nothing until it is back (faults only delay applies); a
      // crashed one receives nothing either (a paused one does: only its replay stops).
      if (fault.kind === 'crash') cluster.nodeDownUntilUs[node] = Math.max(cluster.nodeDownUntilUs[node]!, endUs);
      if (log !== null && log !== undefined) {
        log.pauseUntil(endUs);
        if (fault.kind === 'crash') log.delayArrivals(now, cluster.nodeDownUntilUs[node]!);
      }
    }
    if (endUs < Infinity) sim.schedule(endUs, PHASE_OTHER, Ev.FaultEnd, index);
  }

  end(index: number): void {
    const { spec, sim, cluster } = this.context;
    const fault = spec.faults.events[index]!;
    const now = sim.nowUs;
    this.context.observer.onFault(now, this.describe(index), false);
    if (fault.kind === 'partition') {
      const [a, b] = fault.regions;
      cluster.partitioned[a]![b]!--;
      cluster.partitioned[b]![a]!--;
    } else if (fault.kind === 'crash') {
      const node = cluster.nodeNames.indexOf(fault.node);
      // Back when its last crash fault ends. A crashed leader that was replaced stays out; one that
      // comes back before its failover resumes.
      if (--this.crashesOn[node]! === 0 && !(cluster.nodeIsLeader[node] === false && cluster.nodeReplica[node] === null)) {
        cluster.nodeUp[node] = true;
        const shard = cluster.nodeShard[node]!;
        if (cluster.nodeIsLeader[node]) {
          cluster.leaderCrashUs[shard] = -1;
          // Back before its failover: the leader sends its replicas what they had not received (not
          // across a partition before it ends), and the writes that waited for a leader
          // (duringFailover: wait) go to it.
          for (const replica of cluster.replicas[shard]!) cluster.resend(shard, replica);
          this.sendWaitingWrites(shard, node);
        } else if (cluster.leaderCrashUs[shard]! >= 0 && now >= cluster.leaderCrashUs[shard]! + spec.faults.failoverTimeUs) {
          // A replica back while its shard has had no leader past the failover time (none was up to
          // promote then): the failover happens now.
          sim.schedule(now, PHASE_OTHER, Ev.Failover, shard, this.leaderCrashes[shard]!);
        }
      }
    }
    if (fault.every !== null) {
      const nextUs = now + round(fault.every(this.faultStreams[index]!));
      if (nextUs < this.context.endUs) sim.schedule(nextUs, PHASE_OTHER, Ev.FaultStart, index);
    }
  }

  /**
   * semantics.md section 6: the shard's replica with the highest position received by the crash is
   * promoted; it applies what it received; acknowledged writes it never received are lost (those that
   * failed waiting for their synchronous quorum are dropped too, not counted lost), and new
   * writes continue numbering after the highest position ever committed.
   */
  failover(shard: number, crash: number): void {
    const { sim, cluster, keys } = this.context;
    const crashUs = cluster.leaderCrashUs[shard]!;
    const oldLeader = cluster.leaders[shard]!;
    // Only for the shard's latest leader crash, while its leader is still down.
    if (crash !== this.leaderCrashes[shard] || crashUs < 0 || cluster.nodeUp[oldLeader]) return;
    let promoted = -1;
    let best = -1;
    // A synchronous replica first (it holds every acknowledged write); else any replica.
    for (const syncOnly of [true, false]) {
      for (const node of cluster.replicas[shard]!) {
        if (!cluster.nodeUp[node] || (syncOnly && cluster.nodeSync[node] === null)) continue;
        const received = cluster.nodeReplica[node]!.receivedPosition(crashUs);
        if (received > best) {
          best = received;
          promoted = node;
        }
      }
      if (promoted >= 0) break;
    }
    if (promoted < 0) return;
    const now = sim.nowUs;
    // What each replica has applied by now stays applied, whatever the failover drops (applies are lazy).
    for (const node of cluster.replicas[shard]!) cluster.nodeReplica[node]!.advance(now);
    cluster.nodeReplica[promoted]!.applyReceived(crashUs, now);
    // The others drop what the new leader never had and receive from it, from now, what it had and
    // they had not: through the network from its region, so not across a partition before it ends.
    cluster.leaderRegion[shard] = cluster.nodeRegion[promoted]!;
    for (const node of cluster.replicas[shard]!) {
      if (node === promoted) continue;
      cluster.nodeReplica[node]!.truncateAfter(best);
      cluster.resend(shard, node);
    }
    const lost: [string, number][] = [];
    const unacknowledged = cluster.unacknowledged[shard]!;
    // A released key's writes can be lost too (a `new` key its writer has moved on from): no one reads
    // it again, but its acknowledged writes the new leader never had are lost all the same.
    keys.forEachOnShard(shard, (record) => {
      if (record.newestVersion <= best) return;
      for (const version of record.dropAbove(best)) if (!unacknowledged.has(version)) lost.push([record.name, version]);
    });
    lost.sort((x, y) => x[1] - y[1]);
    // Positions up to `best` stay on the new leader, and no later failover drops them.
    unacknowledged.clear();
    cluster.nodeIsLeader[promoted] = true;
    cluster.nodeReplica[promoted] = null;
    cluster.nodeIsLeader[oldLeader] = false;
    cluster.leaderFromUs[promoted] = now;
    cluster.leaderUntilUs[oldLeader] = now;
    cluster.leaders[shard] = promoted;
    cluster.replicas[shard] = cluster.replicas[shard]!.filter((node) => node !== promoted);
    cluster.leaderCrashUs[shard] = -1;
    this.context.observer.onFailover({
      atUs: now,
      shard,
      from: cluster.nodeNames[oldLeader]!,
      to: cluster.nodeNames[promoted]!,
      received: best,
      crashUs,
      lost,
    });
    this.sendWaitingWrites(shard, promoted);
  }

  /** The writes that waited for a leader of `shard` (duringFailover: wait) go to `leader`. */
  private sendWaitingWrites(shard: number, leader: number): void {
    const { sim, cluster, workload } = this.context;
    for (const sessionIndex of cluster.waitingWrites[shard]!.splice(0)) {
      const session = workload.sessions[sessionIndex]!;
      session.op.node = leader;
      sim.schedule(sim.nowUs + cluster.latency(session.group.region, leader), PHASE_COMMIT, Ev.WriteArrive, sessionIndex);
    }
  }
}
