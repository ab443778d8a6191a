import { fnv1a32 } from './hash.js';

/** The version a read returns for a key that was never written and not preloaded. */
export const ABSENT = -1;

/**
 * A version's causal past (semantics.md section 2): flat pairs [keyId, version, keyId, version, …]
 * sorted by keyId, each key at the highest version required, never the key itself.
 */
export type Past = readonly number[];

export const EMPTY_PAST: Past = [];

/**
 * One key: its shard, its topic, and the versions that may still be returned by some node. Versions
 * are log positions of the key's shard (semantics.md section 1), kept ascending; versions that no
 * replica can return any more are dropped (see `prune`).
 */
export class KeyRecord {
  readonly versions: number[] = [];
  readonly commitUs: number[] = [];
  /** 1 for the key's first write, 2 for the second…; 0 for the preloaded version 0. */
  readonly ordinals: number[] = [];
  readonly pasts: (Past | null)[] = [];
  /** Per version, the writer's token (per-shard positions), kept only when a strategy asks. */
  readonly tokens: (Float64Array | null)[] = [];
  writes = 0;
  /**
   * The latest version ever committed and its commit time and ordinal: what the history's `leader`
   * field reports, lost writes included (a failover removes them from `versions`, not from here).
   */
  committedVersion = ABSENT;
  committedUs = 0;
  committedOrdinal = 0;

  constructor(
    readonly id: number,
    readonly name: string,
    readonly shard: number,
    /** Topic number for keyspace keys grouped in topics of size > 1, else -1. */
    readonly topic: number,
  ) {}

  get latestVersion(): number {
    const n = this.versions.length;
    return n === 0 ? ABSENT : this.versions[n - 1]!;
  }

  get latestCommitUs(): number {
    const n = this.commitUs.length;
    return n === 0 ? 0 : this.commitUs[n - 1]!;
  }

  /** Index of the newest version at or below `position` (what a node that applied up to it holds), or -1. */
  indexAt(position: number): number {
    const versions = this.versions;
    for (let i = versions.length - 1; i >= 0; i--) if (versions[i]! <= position) return i;
    return -1;
  }

  append(version: number, commitUs: number, past: Past | null, token: Float64Array | null): void {
    const ordinal = version === 0 ? 0 : ++this.writes;
    this.versions.push(version);
    this.commitUs.push(commitUs);
    this.ordinals.push(ordinal);
    this.pasts.push(past);
    this.tokens.push(token);
    this.committedVersion = version;
    this.committedUs = commitUs;
    this.committedOrdinal = ordinal;
  }

  /** Removes the versions above `position` (writes lost in a failover); returns them. */
  dropAbove(position: number): number[] {
    let keep = this.versions.length;
    while (keep > 0 && this.versions[keep - 1]! > position) keep--;
    const lost = this.versions.slice(keep);
    for (const list of [this.versions, this.commitUs, this.ordinals, this.pasts, this.tokens] as unknown[][]) list.length = keep;
    return lost;
  }

  /** Drops versions older than the newest one at or below `minAppliedPosition` (no node can return them). */
  prune(minAppliedPosition: number): void {
    const keep = this.indexAt(minAppliedPosition);
    if (keep > 0) {
      this.versions.splice(0, keep);
      this.commitUs.splice(0, keep);
      this.ordinals.splice(0, keep);
      this.pasts.splice(0, keep);
      this.tokens.splice(0, keep);
    }
  }
}

export interface KeyspaceLayout {
  shards: number;
  keyspaceCount: number;
  topicSize: number;
  preload: boolean;
  placement: 'hash' | 'position';
}

/** All keys of a run, interned to small integer ids. */
export class KeyTable {
  readonly records: (KeyRecord | undefined)[] = [];
  private readonly ids = new Map<string, number>();
  private readonly keyspaceIds: Int32Array;
  private freeIds: number[] = [];
  readonly topicCount: number;

  constructor(readonly layout: KeyspaceLayout) {
    this.keyspaceIds = new Int32Array(layout.keyspaceCount).fill(-1);
    this.topicCount = Math.ceil(layout.keyspaceCount / layout.topicSize);
  }

  get(id: number): KeyRecord {
    return this.records[id]!;
  }

  /** Number of live keys (for memory accounting). */
  get size(): number {
    return this.ids.size;
  }

  /** Key `k<i>` of the shared keyspace. */
  keyspaceKey(index: number): number {
    const known = this.keyspaceIds[index]!;
    if (known >= 0) return known;
    const { topicSize, shards, placement, preload } = this.layout;
    const name = `k${index}`;
    const topic = topicSize > 1 ? Math.floor(index / topicSize) : -1;
    // placement: position puts each topic's head on shard 0 and its other keys on the other shards
    // (scenario.md: "with 2 shards, every question on shard 0 and its answers on shard 1").
    const positionInTopic = index % topicSize;
    const shard =
      placement === 'position'
        ? positionInTopic === 0 || shards === 1
          ? 0
          : 1 + ((positionInTopic - 1) % (shards - 1))
        : fnv1a32(name) % shards;
    const id = this.add(name, shard, topic, preload);
    this.keyspaceIds[index] = id;
    return id;
  }

  /** An own, shared or new key, hashed to its shard. */
  namedKey(name: string, preloaded: boolean): number {
    const known = this.ids.get(name);
    if (known !== undefined) return known;
    return this.add(name, fnv1a32(name) % this.layout.shards, -1, preloaded);
  }

  /** Keyspace indices of topic `topic`'s keys. */
  topicRange(topic: number): [first: number, end: number] {
    const first = topic * this.layout.topicSize;
    return [first, Math.min(this.layout.keyspaceCount, first + this.layout.topicSize)];
  }

  /** Forgets a key no one can read again (a `new` key once its writer moved on). */
  release(id: number): void {
    const record = this.records[id];
    if (record === undefined) return;
    this.ids.delete(record.name);
    this.records[id] = undefined;
    this.freeIds.push(id);
  }

  private add(name: string, shard: number, topic: number, preloaded: boolean): number {
    const id = this.freeIds.length > 0 ? this.freeIds.pop()! : this.records.length;
    const record = new KeyRecord(id, name, shard, topic);
    if (preloaded) record.append(0, 0, null, null);
    this.records[id] = record;
    this.ids.set(name, id);
    return id;
  }
}
