import type { RandomStreams, Uniform } from '../engine/random.js';
import type { Simulation } from '../engine/simulation.js';
import { balancers } from './balancers/index.js';
import { Ev, PHASE_COMMIT, PHASE_READ, WRITE_PART, queuedPart, queuedSession, round } from './events.js';
import type { KeyTable } from './keys.js';
import { NodeQueueing, type QueueStats } from './queueing.js';
import { ReplicaLog, type DrawUs } from './replica.js';
import { NumberRing } from './ring.js';
import type { Balancer, ClusterView } from './routing.js';
import type { Session } from './session.js';
import type { ModelSpec } from './spec.js';
import { SyncReplication, type SyncMode } from './syncReplication.js';

/** A queued request's row in Cluster.nodeQueue. */
const QUEUED_HANDLE = 0;
const QUEUED_SINCE_US = 1;
const QUEUED_FIELDS = 2;

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
 * The database: nodes (a leader and its replicas per shard, each with service slots and a FIFO
 * queue), the network between regions (latencies, partitions) and the shards' commit positions
 * (semantics.md section 1). Node state lives in arrays indexed by node, read directly by the read
 * and write paths and by faults; strategies and balancers see it through ClusterView.
 */
export class Cluster implements ClusterView {
  readonly shardCount: number;
  readonly routingStream: Uniform;
  /** warmup + duration: the end of the measured window. */
  private readonly endUs: number;

  // Nodes.
  readonly nodeNames: string[] = [];
  readonly nodeRegion: number[] = [];
  readonly nodeShard: number[] = [];
  readonly nodeIsLeader: boolean[] = [];
  /**
   * When each node became its shard's leader (−∞ for the first leaders, +∞ for a node never
   * promoted) and stopped being it (+∞ while it leads), µs: see servedAsLeader.
   */
  readonly leaderFromUs: number[] = [];
  readonly leaderUntilUs: number[] = [];
  readonly nodeReplica: (ReplicaLog | null)[] = [];
  private readonly nodeService: (DrawUs | null)[] = [];
  /** Write service per node: a leader's `writeService` when given, else its `service`. */
  private readonly nodeWriteService: (DrawUs | null)[] = [];
  readonly nodeConcurrency: number[] = [];
  private readonly nodeServiceStream: Uniform[] = [];
  private readonly nodeNetStream: Uniform[] = [];
  /** Per node, the requests waiting for a service slot: a row (queueHandle, when it joined) each. */
  private readonly nodeQueue: NumberRing[] = [];
  /** The queue wait of the request a session has just taken from a queue, by session index. */
  private readonly queueWaitUs: number[] = [];
  private readonly queueing: NodeQueueing;
  readonly nodeBusy: Int32Array;
  readonly nodeUp: boolean[] = [];
  /**
   * Per node, how many times it has gone down (Faults.start). A request remembers the count when it
   * reaches the node; a different count at a later step means a crash cut its connection, also one
   * the node is back from (semantics.md section 6).
   */
  readonly nodeCrashes: Float64Array;
  /** Per node, the end of its latest crash (Infinity: for good); what it means only while the node is down. */
  readonly nodeDownUntilUs: Float64Array;
  readonly nodeReads: Float64Array;
  readonly nodeWrites: Float64Array;
  readonly nodeBusyUs: Float64Array;
  readonly polledLagUs: Float64Array;
  readonly polledPositions: Float64Array;
  /** Per node: its replica group's index (-1 for a leader). */
  readonly nodeGroup: number[] = [];
  /** Per node: the hot-standby conflict max delay of a replica, null when its queries do not block replay. */
  readonly nodeConflictMaxDelayUs: (number | null)[] = [];
  /** Per node: synchronous mode of a replica, null for asynchronous replicas and leaders. */
  readonly nodeSync: (SyncMode | null)[] = [];
  readonly syncReplication: SyncReplication | null;

  // Shards.
  readonly leaders: number[] = [];
  readonly replicas: number[][] = [];
  readonly committed: number[] = [];
  readonly leaderRegion: number[] = [];
  /** When each shard's leader crashed, -1 while it is up or after its failover. */
  readonly leaderCrashUs: number[] = [];
  /** Writes waiting for a shard's new leader (faults.duringFailover: wait), by session index. */
  readonly waitingWrites: number[][] = [];
  /**
   * Positions committed on each shard's leader whose writes then failed, never acknowledged: the
   * leader crashed while they waited for their synchronous quorum. A failover that drops them does
   * not count them lost (semantics.md section 3: a lost write is an acknowledged one).
   */
  readonly unacknowledged: Set<number>[] = [];

  // Network.
  /** Active partitions between regions [a][b] (counts), and when the latest ends. */
  readonly partitioned: number[][];
  readonly partitionEndUs: number[][];

  private readonly balancer: Balancer;
  /** The run's onServiceStart hook (RunHooks), set when the run begins. */
  onServiceStart: ((node: number, waitUs: number, serviceUs: number) => void) | undefined;

  constructor(
    private readonly spec: ModelSpec,
    streams: RandomStreams,
    private readonly sim: Simulation,
    readonly keys: KeyTable,
    private readonly sessions: readonly Session[],
  ) {
    this.shardCount = spec.shards;
    this.endUs = spec.warmupUs + spec.durationUs;
    this.routingStream = streams.stream('routing');
    const weights: number[] = [];
    for (let shard = 0; shard < spec.shards; shard++) {
      this.committed.push(0);
      this.leaderRegion.push(spec.leader.region);
      this.leaderCrashUs.push(-1);
      this.waitingWrites.push([]);
      this.unacknowledged.push(new Set());
      this.leaders.push(this.addNode(`leader-${shard}`, spec.leader.region, shard, null, spec.leader.service, spec.leader.concurrency, streams));
      this.nodeSync.push(null);
      this.nodeGroup.push(-1);
      this.nodeConflictMaxDelayUs.push(null);
      weights.push(0);
      const shardReplicas: number[] = [];
      spec.replicaGroups.forEach((group, groupIndex) => {
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
            group.applyWorkers ?? 1,
          );
          shardReplicas.push(this.addNode(name, group.region, shard, log, group.service, group.concurrency, streams));
          this.nodeSync.push(group.sync ?? null);
          this.nodeGroup.push(groupIndex);
          this.nodeConflictMaxDelayUs.push(group.replayConflictMaxDelayUs ?? null);
          weights.push(group.weight);
        }
      });
      this.replicas.push(shardReplicas);
    }
    const nodeCount = this.nodeNames.length;
    this.partitioned = spec.regions.map(() => spec.regions.map(() => 0));
    this.partitionEndUs = spec.regions.map(() => spec.regions.map(() => 0));
    this.nodeBusy = new Int32Array(nodeCount);
    this.nodeCrashes = new Float64Array(nodeCount);
    this.nodeDownUntilUs = new Float64Array(nodeCount);
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
  }

  private addNode(
    name: string,
    region: number,
    shard: number,
    log: ReplicaLog | null,
    service: DrawUs | null,
    concurrency: number,
    streams: RandomStreams,
  ): number {
    const node = this.nodeNames.length;
    const leader = log === null;
    this.nodeNames.push(name);
    this.nodeRegion.push(region);
    this.nodeShard.push(shard);
    this.nodeIsLeader.push(leader);
    this.leaderFromUs.push(leader ? -Infinity : Infinity);
    this.leaderUntilUs.push(Infinity);
    this.nodeReplica.push(log);
    this.nodeService.push(service);
    this.nodeWriteService.push(leader && this.spec.leader.writeService !== undefined ? this.spec.leader.writeService : service);
    this.nodeConcurrency.push(concurrency);
    this.nodeServiceStream.push(streams.stream(`node/${name}/service`));
    this.nodeNetStream.push(streams.stream(`node/${name}/network`));
    this.nodeQueue.push(new NumberRing(4, QUEUED_FIELDS));
    this.nodeUp.push(true);
    return node;
  }

  // ---- ClusterView -------------------------------------------------------------------------------

  get sessionCount(): number {
    return this.sessions.length;
  }
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
  /**
   * Whether a key-read that `node` answered, completing at `atUs`, counts as a leader read (the
   * leader share, semantics-readings.md): `node` led its shard before that instant. A failover at
   * `atUs` counts from the next microsecond, so that the history decides every case: its failover
   * records carry their time, not their order among the completions of that time.
   */
  servedAsLeader(node: number, atUs: number): boolean {
    return this.leaderFromUs[node]! < atUs && atUs <= this.leaderUntilUs[node]!;
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

  /** Each replica log tells `onApplied` of the entries it applies (RunHooks.onApplied). */
  tellApplies(onApplied: (node: number, position: number, applyUs: number) => void): void {
    this.nodeReplica.forEach((log, node) => {
      if (log !== null) log.onApplied = (position, applyUs) => onApplied(node, position, applyUs);
    });
  }

  // ---- Service slots and queues ------------------------------------------------------------------

  /** A free service slot of `node` is taken at once; else the request waits FIFO (handle: queueHandle). */
  hasFreeSlot(node: number): boolean {
    return this.nodeBusy[node]! < this.nodeConcurrency[node]!;
  }

  /** A request waits FIFO for a service slot of `node`. */
  enqueue(node: number, handle: number): void {
    const queue = this.nodeQueue[node]!;
    queue.append();
    queue.set(queue.length - 1, QUEUED_HANDLE, handle);
    queue.set(queue.length - 1, QUEUED_SINCE_US, this.sim.nowUs);
    this.queueing.change(node, this.sim.nowUs, 1);
  }

  /** Frees a service slot, handing it straight to the next queued request (FIFO) if any. */
  finishService(node: number): void {
    const queue = this.nodeQueue[node]!;
    if (queue.length === 0) {
      this.nodeBusy[node]!--;
      return;
    }
    const sinceUs = queue.get(0, QUEUED_SINCE_US);
    const handle = queue.shift();
    const now = this.sim.nowUs;
    this.queueing.change(node, now, -1);
    const sessionIndex = queuedSession(handle);
    this.queueWaitUs[sessionIndex] = now - sinceUs;
    const part = queuedPart(handle);
    if (part === WRITE_PART) this.sim.schedule(now, PHASE_COMMIT, Ev.WriteBegin, sessionIndex);
    else this.sim.schedule(now, PHASE_READ, Ev.ReadBegin, sessionIndex, part);
  }

  /** A long-running operation's service time (action `hold`), counted as busy time like any other. */
  holdTime(node: number, holdUs: number): number {
    if (this.sim.nowUs >= this.spec.warmupUs) this.nodeBusyUs[node]! += holdUs;
    return holdUs;
  }

  serviceTime(node: number, write = false): number {
    const service = write ? this.nodeWriteService[node] : this.nodeService[node];
    if (service === null || service === undefined) return 0;
    const serviceUs = round(service(this.nodeServiceStream[node]!));
    if (this.sim.nowUs >= this.spec.warmupUs) this.nodeBusyUs[node]! += serviceUs;
    return serviceUs;
  }

  /** Counts a service start for the queueing statistics and the onServiceStart hook. */
  serviceStarted(node: number, sessionIndex: number, fromQueue: boolean, serviceUs: number): void {
    const now = this.sim.nowUs;
    if (now < this.spec.warmupUs || now >= this.endUs) return;
    this.queueing.serviceStarted(node, now, fromQueue);
    this.onServiceStart?.(node, fromQueue ? this.queueWaitUs[sessionIndex]! : 0, serviceUs);
  }

  /** Service starts and waits of `node` so far in the measured window. */
  queueCountsSoFar(node: number): { started: number; waited: number } {
    return { started: this.queueing.startedSoFar(node), waited: this.queueing.waitedSoFar(node) };
  }

  /** Per node: requests served, how many waited, and the mean queue length over the measured window. */
  queueStats(): QueueStats[] {
    return this.queueing.stats();
  }

  /** A node's load now: requests waiting, in service, and service time spent so far (after warm-up). */
  nodeLoad(node: number): { queued: number; inService: number; busyUs: number } {
    return { queued: this.nodeQueue[node]!.length, inService: this.nodeBusy[node]!, busyUs: this.nodeBusyUs[node]! };
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

  // ---- Network and replication -------------------------------------------------------------------

  /** One-way network latency between a region and a node's (drawn from the node's stream). */
  latency(region: number, node: number): number {
    const draw = this.spec.latency[region]![this.nodeRegion[node]!];
    return draw === null || draw === undefined ? 0 : round(draw(this.nodeNetStream[node]!));
  }

  reachable(regionA: number, regionB: number): boolean {
    return this.partitioned[regionA]![regionB] === 0;
  }

  /**
   * When an entry sent now from `shard`'s leader can reach `node` at the earliest: 0, or the end of
   * a partition between them, or the end of the node's crash (a crashed replica receives nothing).
   */
  deliveryFloorUs(shard: number, node: number): number {
    const regionFrom = this.leaderRegion[shard]!;
    const regionTo = this.nodeRegion[node]!;
    const partitionUs = this.reachable(regionFrom, regionTo) ? 0 : this.partitionEndUs[regionFrom]![regionTo]!;
    return this.nodeUp[node] ? partitionUs : Math.max(partitionUs, this.nodeDownUntilUs[node]!);
  }

  /**
   * `shard`'s leader sends replica `node` what it lacks (ReplicaLog.resend), from now, through the
   * network like any entry: not across a partition before it ends, nor to a crashed replica.
   */
  resend(shard: number, node: number): void {
    this.nodeReplica[node]!.resend(Math.max(this.sim.nowUs, this.deliveryFloorUs(shard, node)));
  }

  /** A replica's lag now (semantics.md section 1), or 0 for a leader. */
  lagNowUs(node: number): number {
    const log = this.nodeReplica[node];
    return log === null || log === undefined ? 0 : log.lagUs(this.sim.nowUs);
  }

  /** What a balancer's `maxLag` sees until the next poll. */
  pollLag(): void {
    const now = this.sim.nowUs;
    for (let node = 0; node < this.nodeNames.length; node++) {
      const log = this.nodeReplica[node];
      if (log !== null && log !== undefined) this.polledLagUs[node] = log.lagUs(now);
    }
  }

  /** What a strategy with `positionPollUs` sees until the next poll. */
  pollPositions(): void {
    for (let node = 0; node < this.nodeNames.length; node++) this.polledPositions[node] = this.appliedPosition(node);
  }
}
