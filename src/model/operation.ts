import { ABSENT, EMPTY_PAST, type Past } from './keys.js';

export const enum OpKind {
  Read = 0,
  Write = 1,
}

/** Where a read attempt stands. */
export const enum PartStatus {
  Idle = 0,
  InFlight = 1,
  Replied = 2,
  /** The node said it could not serve (behind its token); the client must go elsewhere. */
  Rejected = 3,
  /** No node could be reached. */
  Failed = 4,
}

/**
 * The per-key and per-part numbers that only the simulator, the strategies and the metrics read,
 * kept in one array of doubles with a row per index: row i holds key i's fields and part i's (a
 * read has at most as many parts as keys). See Operation.
 */
const ROW = 12;
const LEADER_COMMIT_US = 0;
const LEADER_ORDINAL = 1;
const RETURNED_ORDINAL = 2;
const MISSED_COMMIT_US = 3;
const NEEDED = 4;
const PART_SHARD = 5;
const PART_NODE = 6;
const PART_GENERATION = 7;
const PART_STATUS = 8;
const PART_ARRIVAL_US = 9;
const PART_ATTEMPTS = 10;
const PART_NODE_CRASHES = 11;
/** Rows allocated with the operation (more are added for operations of more keys). */
const INITIAL_ROWS = 4;

/**
 * One session's current operation. A session runs one operation at a time (semantics.md section 2),
 * so each session owns one Op that is reset and reused: no allocation per operation. Read keys are
 * grouped into parts, one per shard; each attempt of a part reads that shard's keys still `needed`.
 */
/** Operation.target: the strategy routes the read (no action `target`). */
export const TARGET_STRATEGY = -2;
/** Operation.target: the leader, whatever the strategy (action `target: leader`). */
export const TARGET_LEADER = -1;
/** Operation.target: the balancer alone (action `untracked`). */
export const TARGET_BALANCER = -3;

export class Operation {
  kind: OpKind = OpKind.Read;
  startUs = 0;
  /** The completion time t1; −1 while the operation is in flight. */
  endUs = 0;
  warmup = false;
  failed = false;
  /** REACTION_CODES of the reaction this operation is (0: an ordinary operation). */
  reaction = 0;
  /** Service time this operation holds its node for (action `hold`), 0: the node's own service time. */
  holdUs = 0;
  /** Where a read goes regardless of the strategy (action `target`): a TARGET_* constant, else a replica group index. */
  target = TARGET_STRATEGY;
  /** Cancelled by replay (a hot-standby conflict past the replica's maxDelay): the read failed. */
  cancelled = false;

  // Per key of the operation (a write has one key). Every array starts with room for 4, so that it is
  // allocated with its elements and next to the others. Thousands of sessions take turns, so each
  // operation finds its Operation cold in cache and pays a miss per array: only the arrays that the
  // history, the checks and the CLI read stay arrays; the other per-key and per-part numbers share
  // one array (`fields`, read through the methods below), a couple of cache lines for all of them.
  keyCount = 0;
  readonly keyIds: number[] = [0, 0, 0, 0];
  readonly keyShards: number[] = [0, 0, 0, 0];
  /** The latest version committed at or before t0 ("leader" in the history); see also leaderCommitUs, leaderOrdinal. */
  readonly leaderVersions: number[] = [0.5, 0.5, 0.5, 0.5];
  readonly returned: number[] = [0.5, 0.5, 0.5, 0.5];
  readonly returnedPasts: (Past | null)[] = [null, null, null, null];
  readonly returnedTokens: (Float64Array | null)[] = [null, null, null, null];
  readonly servedBy: number[] = [0, 0, 0, 0];
  /** Rows of per-key and per-part numbers (see ROW); doubles from the start, so never converted. */
  private readonly fields: number[] = Operation.newRows(INITIAL_ROWS);

  // Per part (shard) of a read: see partShard, partNode, partGeneration, partStatus, partArrivalUs, partAttempts, partNodeCrashes.
  partCount = 0;
  partsInFlight = 0;
  /** Strategy-owned flag for this operation (e.g. pin scope request). */
  strategyFlag = false;

  // Costs of this operation.
  attempts = 0;
  redirects = 0;
  /** Attempts re-sent after a node was down or unreachable. */
  retries = 0;
  waits = 0;
  waitUs = 0;
  rounds = 0;

  // A write's outcome.
  version = 0;
  commitUs = 0;
  /** The write's deps as flat [keyId, version] pairs; only addDep adds to them, so hasDeps stays true to them. */
  private depPairs: number[] = [];
  /**
   * Whether `depPairs` has entries: reset checks this instead of its length, so that an operation
   * without deps (most of them) never touches the array, a cache line of its own.
   */
  private hasDeps = false;
  /** The written version's causal past. */
  writtenPast: Past = EMPTY_PAST;
  /**
   * Where and when the write is applied (replica node, a_i), as scheduled at commit: the first
   * applyCount entries. Room for 4 replicas from the start, like the per-key arrays (grown by index
   * from empty, each kept room for 17).
   */
  readonly applyNodes: number[] = [0, 0, 0, 0];
  readonly applyUs: number[] = [0.5, 0.5, 0.5, 0.5];
  /** Entries of applyNodes/applyUs that belong to this operation (the arrays are reused, never shrunk). */
  applyCount = 0;
  node = -1;
  /** A write's: Cluster.nodeCrashes of its leader when it arrived there. */
  nodeCrashes = 0;
  /** A committed write waiting for its synchronous quorum (WritePath.awaitSyncQuorum): no answer yet. */
  awaitingQuorum = false;

  reset(kind: OpKind, startUs: number, warmup: boolean): void {
    this.kind = kind;
    this.startUs = startUs;
    this.endUs = -1;
    this.warmup = warmup;
    this.failed = false;
    this.reaction = 0;
    this.holdUs = 0;
    this.target = TARGET_STRATEGY;
    this.cancelled = false;
    this.keyCount = 0;
    this.partCount = 0;
    this.partsInFlight = 0;
    this.strategyFlag = false;
    this.attempts = 0;
    this.redirects = 0;
    this.retries = 0;
    this.waits = 0;
    this.waitUs = 0;
    this.rounds = 0;
    this.version = 0;
    this.commitUs = 0;
    if (this.hasDeps) {
      this.depPairs = [];
      this.hasDeps = false;
    }
    this.writtenPast = EMPTY_PAST;
    this.applyCount = 0;
    this.node = -1;
    this.nodeCrashes = 0;
    this.awaitingQuorum = false;
  }

  addKey(keyId: number, shard: number, leaderVersion: number, leaderCommitUs: number, leaderOrdinal: number): void {
    const i = this.keyCount++;
    const fields = this.fields;
    if ((i + 1) * ROW > fields.length) fields.push(...Operation.newRows(Math.max(1, fields.length / ROW)));
    this.keyIds[i] = keyId;
    this.keyShards[i] = shard;
    this.leaderVersions[i] = leaderVersion;
    this.returned[i] = ABSENT;
    this.returnedPasts[i] = null;
    this.returnedTokens[i] = null;
    this.servedBy[i] = -1;
    const at = i * ROW;
    fields[at + LEADER_COMMIT_US] = leaderCommitUs;
    fields[at + LEADER_ORDINAL] = leaderOrdinal;
    fields[at + RETURNED_ORDINAL] = 0;
    fields[at + MISSED_COMMIT_US] = -1;
    fields[at + NEEDED] = 1;
    let part = 0;
    while (part < this.partCount && fields[part * ROW + PART_SHARD] !== shard) part++;
    if (part === this.partCount) {
      this.partCount++;
      const partAt = part * ROW;
      fields[partAt + PART_SHARD] = shard;
      fields[partAt + PART_NODE] = -1;
      // The generation is kept across operations: a late event of an earlier one must not match.
      fields[partAt + PART_STATUS] = PartStatus.Idle;
      fields[partAt + PART_ARRIVAL_US] = 0;
      fields[partAt + PART_ATTEMPTS] = 0;
      fields[partAt + PART_NODE_CRASHES] = 0;
    }
  }

  /**
   * `count` rows of doubles, the part generations 0, allocated at their length (built by push, the
   * array kept room for 70% more, the largest part of an Operation, and every session has one).
   */
  private static newRows(count: number): number[] {
    return Array.from({ length: count * ROW }, (_, i) => (i % ROW === PART_GENERATION ? 0 : 0.5));
  }

  // ---- Per key ----

  /** Commit time of leaderVersions[i]. */
  leaderCommitUs(i: number): number {
    return this.fields[i * ROW + LEADER_COMMIT_US]!;
  }

  /** Ordinal (1 for the key's first write…) of leaderVersions[i]. */
  leaderOrdinal(i: number): number {
    return this.fields[i * ROW + LEADER_ORDINAL]!;
  }

  /** The leader version of key i is a newer one: version, commit time, ordinal. */
  setLeader(i: number, version: number, commitUs: number, ordinal: number): void {
    this.leaderVersions[i] = version;
    this.fields[i * ROW + LEADER_COMMIT_US] = commitUs;
    this.fields[i * ROW + LEADER_ORDINAL] = ordinal;
  }

  returnedOrdinal(i: number): number {
    return this.fields[i * ROW + RETURNED_ORDINAL]!;
  }

  /** Commit time of the oldest version newer than the returned one (for "time behind"), else -1. */
  missedCommitUs(i: number): number {
    return this.fields[i * ROW + MISSED_COMMIT_US]!;
  }

  /** What node `node` returned for key i (version ABSENT: none), which is no longer needed. */
  setReturned(
    i: number,
    node: number,
    version: number,
    ordinal: number,
    past: Past | null,
    token: Float64Array | null,
    missedCommitUs: number,
  ): void {
    this.returned[i] = version;
    this.returnedPasts[i] = past;
    this.returnedTokens[i] = token;
    this.servedBy[i] = node;
    const at = i * ROW;
    this.fields[at + RETURNED_ORDINAL] = ordinal;
    this.fields[at + MISSED_COMMIT_US] = missedCommitUs;
    this.fields[at + NEEDED] = 0;
  }

  /** Whether key i still has to be read (in the next attempt or round). */
  isNeeded(i: number): boolean {
    return this.fields[i * ROW + NEEDED] === 1;
  }

  /** Key i has to be read again (a strategy's re-read). */
  needAgain(i: number): void {
    this.fields[i * ROW + NEEDED] = 1;
  }

  // ---- Per part ----

  partShard(part: number): number {
    return this.fields[part * ROW + PART_SHARD]!;
  }

  /** The node of the part's current attempt. */
  partNode(part: number): number {
    return this.fields[part * ROW + PART_NODE]!;
  }

  /** Counts the part's attempts; stamped on its events so that a late event of an earlier attempt is ignored. */
  partGeneration(part: number): number {
    return this.fields[part * ROW + PART_GENERATION]!;
  }

  partStatus(part: number): PartStatus {
    return this.fields[part * ROW + PART_STATUS]! as PartStatus;
  }

  setPartStatus(part: number, status: PartStatus): void {
    this.fields[part * ROW + PART_STATUS] = status;
  }

  /** When the part's current attempt arrived at its node. */
  partArrivalUs(part: number): number {
    return this.fields[part * ROW + PART_ARRIVAL_US]!;
  }

  /**
   * The part's current attempt arrived at its node at `atUs`, when the node had gone down
   * `nodeCrashes` times (Cluster.nodeCrashes).
   */
  arrived(part: number, atUs: number, nodeCrashes: number): void {
    const at = part * ROW;
    this.fields[at + PART_ARRIVAL_US] = atUs;
    this.fields[at + PART_NODE_CRASHES] = nodeCrashes;
  }

  /** Cluster.nodeCrashes of the part's node when its current attempt arrived there. */
  partNodeCrashes(part: number): number {
    return this.fields[part * ROW + PART_NODE_CRASHES]!;
  }

  partAttempts(part: number): number {
    return this.fields[part * ROW + PART_ATTEMPTS]!;
  }

  /** A new attempt of the part, to `node`, with generation `generation`, in flight. */
  startAttempt(part: number, node: number, generation: number): void {
    const at = part * ROW;
    this.fields[at + PART_GENERATION] = generation;
    this.fields[at + PART_NODE] = node;
    this.fields[at + PART_STATUS] = PartStatus.InFlight;
    this.fields[at + PART_ATTEMPTS]!++;
  }

  /** The write's deps as flat [keyId, version] pairs. */
  get deps(): readonly number[] {
    return this.depPairs;
  }

  addDep(keyId: number, version: number): void {
    this.depPairs.push(keyId, version);
    this.hasDeps = true;
  }

  hasKey(keyId: number): boolean {
    for (let i = 0; i < this.keyCount; i++) if (this.keyIds[i] === keyId) return true;
    return false;
  }
}
