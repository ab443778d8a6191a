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
 * One session's current operation. A session runs one operation at a time (semantics.md section 2),
 * so each session owns one Op that is reset and reused: no allocation per operation. Read keys are
 * grouped into parts, one per shard; each attempt of a part reads that shard's keys still `needed`.
 */
export class Operation {
  kind: OpKind = OpKind.Read;
  startUs = 0;
  endUs = 0;
  warmup = false;
  failed = false;

  // Per key of the operation (a write has one key). Every array starts with room for 4, so that it is
  // allocated with its elements and next to the others: the session's next operation finds them in a
  // few adjacent cache lines instead of ~40 scattered ones.
  keyCount = 0;
  readonly keyIds: number[] = [0, 0, 0, 0];
  readonly keyShards: number[] = [0, 0, 0, 0];
  /** The latest version committed at or before t0 ("leader" in the history), and its commit time and ordinal. */
  readonly leaderVersions: number[] = [0.5, 0.5, 0.5, 0.5];
  readonly leaderCommitUs: number[] = [0.5, 0.5, 0.5, 0.5];
  readonly leaderOrdinals: number[] = [0.5, 0.5, 0.5, 0.5];
  readonly returned: number[] = [0.5, 0.5, 0.5, 0.5];
  readonly returnedOrdinals: number[] = [0.5, 0.5, 0.5, 0.5];
  /** Commit time of the oldest version newer than the returned one (for "time behind"), else -1. */
  readonly missedCommitUs: number[] = [0.5, 0.5, 0.5, 0.5];
  readonly returnedPasts: (Past | null)[] = [null, null, null, null];
  readonly returnedTokens: (Float64Array | null)[] = [null, null, null, null];
  readonly servedBy: number[] = [0, 0, 0, 0];
  readonly needed: boolean[] = [false, false, false, false];

  // Per part (shard) of a read.
  partCount = 0;
  readonly partShards: number[] = [0, 0, 0, 0];
  readonly partNodes: number[] = [0, 0, 0, 0];
  readonly partGenerations: number[] = [0, 0, 0, 0];
  readonly partStatus: PartStatus[] = [PartStatus.Idle, PartStatus.Idle, PartStatus.Idle, PartStatus.Idle];
  readonly partArrivalUs: number[] = [0.5, 0.5, 0.5, 0.5];
  readonly partAttempts: number[] = [0, 0, 0, 0];
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
  /** The write's deps as flat [keyId, version] pairs (added with addDep). */
  deps: number[] = [];
  /**
   * Whether `deps` has entries: reset checks this instead of deps.length, so that an operation
   * without deps (most of them) never touches the array, a cache line of its own.
   */
  private hasDeps = false;
  /** The written version's causal past. */
  writtenPast: Past = [];
  /** Where and when the write is applied (replica node, a_i), as scheduled at commit. */
  readonly applyNodes: number[] = [];
  readonly applyUs: number[] = [];
  /** Entries of applyNodes/applyUs that belong to this operation (the arrays are reused, never shrunk). */
  applyCount = 0;
  node = -1;

  reset(kind: OpKind, startUs: number, warmup: boolean): void {
    this.kind = kind;
    this.startUs = startUs;
    this.endUs = 0;
    this.warmup = warmup;
    this.failed = false;
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
      this.deps = [];
      this.hasDeps = false;
    }
    this.writtenPast = EMPTY_PAST;
    this.applyCount = 0;
    this.node = -1;
  }

  addKey(keyId: number, shard: number, leaderVersion: number, leaderCommitUs: number, leaderOrdinal: number): void {
    const i = this.keyCount++;
    this.keyIds[i] = keyId;
    this.keyShards[i] = shard;
    this.leaderVersions[i] = leaderVersion;
    this.leaderCommitUs[i] = leaderCommitUs;
    this.leaderOrdinals[i] = leaderOrdinal;
    this.returned[i] = ABSENT;
    this.returnedOrdinals[i] = 0;
    this.missedCommitUs[i] = -1;
    this.returnedPasts[i] = null;
    this.returnedTokens[i] = null;
    this.servedBy[i] = -1;
    this.needed[i] = true;
    let part = 0;
    while (part < this.partCount && this.partShards[part] !== shard) part++;
    if (part === this.partCount) {
      this.partCount++;
      this.partShards[part] = shard;
      this.partNodes[part] = -1;
      this.partGenerations[part] = this.partGenerations[part] ?? 0;
      this.partStatus[part] = PartStatus.Idle;
      this.partArrivalUs[part] = 0;
      this.partAttempts[part] = 0;
    }
  }

  addDep(keyId: number, version: number): void {
    this.deps.push(keyId, version);
    this.hasDeps = true;
  }

  hasKey(keyId: number): boolean {
    for (let i = 0; i < this.keyCount; i++) if (this.keyIds[i] === keyId) return true;
    return false;
  }
}
