import { fnv1a32, fnv1a32Decimal } from './hash.js';

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
 *
 * Layout: a read touches one record per key, usually cold in cache, so each live version is three
 * adjacent numbers (version, commit time, ordinal) in one array, from `head`; pruning moves `head`
 * instead of splicing. Pasts and tokens, which most scenarios never have, get their arrays on first
 * use.
 */
export class KeyRecord {
  private data: number[] = [];
  private head = 0;
  private end = 0;
  private pasts: (Past | null)[] | null = null;
  private tokens: (Float64Array | null)[] | null = null;
  writes = 0;
  /**
   * The newest live version and its ordinal (ABSENT, 0 when none): a read from a node that has
   * applied it — most reads — needs nothing else of the record, so it touches the record and not
   * its version array, a cache line of its own.
   */
  newestVersion = ABSENT;
  newestOrdinal = 0;
  /**
   * The latest version ever committed and its commit time and ordinal: what the history's `leader`
   * field reports, lost writes included (a failover removes them from the live versions, not from here).
   */
  committedVersion = ABSENT;
  committedUs = 0;
  committedOrdinal = 0;
  /**
   * A key of the `new` selector, readable only through its writer's lastWritten. Its name is its
   * session's prefix and a counter (`new-<group>-<session>-<n>`), built only when something prints
   * it: `new` keys come and go by the million, and a string per insert is most of what a run allocates.
   */
  isNew = false;
  private fixedName: string | null;
  private newPrefix = '';
  private newIndex = 0;

  constructor(
    public id: number,
    name: string,
    public shard: number,
    /** Topic number for keyspace keys grouped in topics of size > 1, else -1. */
    public topic: number,
  ) {
    this.fixedName = name;
  }

  get name(): string {
    if (this.fixedName === null) this.fixedName = `${this.newPrefix}${this.newIndex}`;
    return this.fixedName;
  }

  /** Makes this record the `new` key `prefix + index` (names are built lazily, see isNew). */
  nameAsNew(prefix: string, index: number): void {
    this.isNew = true;
    this.fixedName = null;
    this.newPrefix = prefix;
    this.newIndex = index;
  }

  /** Makes a released record a fresh key (KeyTable reuses records: `new` keys come and go by the million). */
  reuse(id: number, name: string, shard: number, topic: number): void {
    this.id = id;
    this.fixedName = name;
    this.isNew = false;
    this.shard = shard;
    this.topic = topic;
    this.head = 0;
    this.end = 0;
    this.pasts = null;
    this.tokens = null;
    this.writes = 0;
    this.newestVersion = ABSENT;
    this.newestOrdinal = 0;
    this.committedVersion = ABSENT;
    this.committedUs = 0;
    this.committedOrdinal = 0;
  }

  /** Live versions; index 0 is the oldest. */
  get count(): number {
    return this.end - this.head;
  }

  versionAt(index: number): number {
    return this.data[(this.head + index) * 3]!;
  }

  commitUsAt(index: number): number {
    return this.data[(this.head + index) * 3 + 1]!;
  }

  /** 1 for the key's first write, 2 for the second…; 0 for the preloaded version 0. */
  ordinalAt(index: number): number {
    return this.data[(this.head + index) * 3 + 2]!;
  }

  pastAt(index: number): Past | null {
    return this.pasts === null ? null : this.pasts[this.head + index]!;
  }

  /** The writer's token (per-shard positions), kept only when a strategy asks. */
  tokenAt(index: number): Float64Array | null {
    return this.tokens === null ? null : this.tokens[this.head + index]!;
  }

  /** Index of the newest version at or below `position` (what a node that applied up to it holds), or -1. */
  indexAt(position: number): number {
    const data = this.data;
    for (let i = this.end - 1; i >= this.head; i--) if (data[i * 3]! <= position) return i - this.head;
    return -1;
  }

  /** The oldest live version at or above `version`, or ABSENT when there is none (e.g. lost in a failover). */
  oldestVersionFrom(version: number): number {
    const data = this.data;
    for (let i = this.head; i < this.end; i++) if (data[i * 3]! >= version) return data[i * 3]!;
    return ABSENT;
  }

  append(version: number, commitUs: number, past: Past | null, token: Float64Array | null): void {
    const ordinal = version === 0 ? 0 : ++this.writes;
    const at = this.end++;
    this.data[at * 3] = version;
    this.data[at * 3 + 1] = commitUs;
    this.data[at * 3 + 2] = ordinal;
    if (past !== null && past.length > 0 && this.pasts === null) this.pasts = [];
    if (this.pasts !== null) this.pasts[at] = past !== null && past.length > 0 ? past : null;
    if (token !== null && this.tokens === null) this.tokens = [];
    if (this.tokens !== null) this.tokens[at] = token;
    if (this.pasts !== null) for (let i = this.head; i < at; i++) this.pasts[i] ??= null;
    if (this.tokens !== null) for (let i = this.head; i < at; i++) this.tokens[i] ??= null;
    this.newestVersion = version;
    this.newestOrdinal = ordinal;
    this.committedVersion = version;
    this.committedUs = commitUs;
    this.committedOrdinal = ordinal;
  }

  /** Removes the versions above `position` (writes lost in a failover); returns them. */
  dropAbove(position: number): number[] {
    const lost: number[] = [];
    let end = this.end;
    while (end > this.head && this.data[(end - 1) * 3]! > position) end--;
    for (let i = end; i < this.end; i++) lost.push(this.data[i * 3]!);
    this.end = end;
    this.data.length = end * 3;
    this.newestVersion = end === this.head ? ABSENT : this.data[(end - 1) * 3]!;
    this.newestOrdinal = end === this.head ? 0 : this.data[(end - 1) * 3 + 2]!;
    if (this.pasts !== null) this.pasts.length = end;
    if (this.tokens !== null) this.tokens.length = end;
    return lost;
  }

  /** Drops versions older than the newest one at or below `minAppliedPosition` (no node can return them). */
  prune(minAppliedPosition: number): void {
    const keep = this.indexAt(minAppliedPosition);
    if (keep <= 0) return;
    this.head += keep;
    // Compact once the dead prefix outweighs the live versions (amortised O(1) per version).
    if (this.head >= 8 && this.head * 2 >= this.end) {
      const live = this.end - this.head;
      this.data.copyWithin(0, this.head * 3, this.end * 3);
      this.data.length = live * 3;
      if (this.pasts !== null) {
        this.pasts.copyWithin(0, this.head, this.end);
        this.pasts.length = live;
      }
      if (this.tokens !== null) {
        this.tokens.copyWithin(0, this.head, this.end);
        this.tokens.length = live;
      }
      this.head = 0;
      this.end = live;
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
  /**
   * Released records, reused by the next key: a `new` key lives for one of its writer's think times,
   * long enough to be promoted to V8's old generation, so a fresh object per insert makes the old
   * generation (and the peak RSS) grow with the length of the run until a full collection.
   */
  private readonly freeRecords: KeyRecord[] = [];
  /**
   * Per shard, released records with a version that some replica of the shard had not applied when
   * they were released: a failover may still lose it, and its failover record must list it
   * (semantics.md section 6), so they are kept, in release order, until every replica has applied it
   * (`confirm`). `releasedFrom` is the first of each queue still in it.
   */
  private readonly released: KeyRecord[][];
  private readonly releasedFrom: number[];
  /** Per shard, the highest position every replica had applied at the last `confirm`. */
  private readonly confirmedPosition: number[];
  readonly topicCount: number;

  constructor(readonly layout: KeyspaceLayout) {
    this.keyspaceIds = new Int32Array(layout.keyspaceCount).fill(-1);
    this.topicCount = Math.ceil(layout.keyspaceCount / layout.topicSize);
    this.released = Array.from({ length: layout.shards }, () => []);
    this.releasedFrom = new Array<number>(layout.shards).fill(0);
    this.confirmedPosition = new Array<number>(layout.shards).fill(0);
  }

  get(id: number): KeyRecord {
    return this.records[id]!;
  }

  /** The name key `id` has now (ids are reused once a key is released). */
  nameOf(id: number): string {
    return this.records[id]!.name;
  }

  /** Number of live keys (for memory accounting). */
  get size(): number {
    return this.records.length - this.freeIds.length;
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

  /**
   * A fresh key of the `new` selector, named `prefix + index` where prefix is `new-<group>-<session>-`
   * and prefixHash its fnv1a32: hashed to its shard like any name, without building the string. Never
   * looked up by name (each is unique), so it stays out of the name index.
   */
  newKey(prefix: string, prefixHash: number, index: number): number {
    const id = this.add(null, fnv1a32Decimal(prefixHash, index) % this.layout.shards, -1, false);
    this.records[id]!.nameAsNew(prefix, index);
    return id;
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
    if (!record.isNew) this.ids.delete(record.name);
    this.records[id] = undefined;
    this.freeIds.push(id);
    if (record.newestVersion > this.confirmedPosition[record.shard]!) this.released[record.shard]!.push(record);
    else this.freeRecords.push(record);
  }

  /**
   * Every replica of `shard` has applied up to `position`: no failover can lose a version at or below
   * it (the promoted replica has received at least that much), so the released records whose newest
   * version it covers are free to reuse.
   */
  confirm(shard: number, position: number): void {
    if (position <= this.confirmedPosition[shard]!) return;
    this.confirmedPosition[shard] = position;
    const queue = this.released[shard]!;
    let from = this.releasedFrom[shard]!;
    // In release order, which is nearly version order: one still unconfirmed holds back those after it a while.
    while (from < queue.length && queue[from]!.newestVersion <= position) this.freeRecords.push(queue[from++]!);
    if (from === queue.length) {
      queue.length = 0;
      from = 0;
    } else if (from >= 64 && from * 2 >= queue.length) {
      queue.copyWithin(0, from);
      queue.length -= from;
      from = 0;
    }
    this.releasedFrom[shard] = from;
  }

  /** The records of `shard` a failover may drop versions of: the live ones, and the released ones not yet confirmed. */
  forEachOnShard(shard: number, visit: (record: KeyRecord) => void): void {
    for (const record of this.records) if (record !== undefined && record.shard === shard) visit(record);
    const queue = this.released[shard]!;
    for (let i = this.releasedFrom[shard]!; i < queue.length; i++) visit(queue[i]!);
  }

  /** A record for a key; `name` null for a `new` key (named by the caller, out of the name index). */
  private add(name: string | null, shard: number, topic: number, preloaded: boolean): number {
    const id = this.freeIds.length > 0 ? this.freeIds.pop()! : this.records.length;
    const reused = this.freeRecords.pop();
    const record = reused ?? new KeyRecord(id, name ?? '', shard, topic);
    if (reused !== undefined) reused.reuse(id, name ?? '', shard, topic);
    if (preloaded) record.append(0, 0, null, null);
    this.records[id] = record;
    if (name !== null) this.ids.set(name, id);
    return id;
  }
}
