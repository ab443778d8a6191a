import type { RandomStreams } from '../engine/random.js';
import { KeyTable } from '../model/keys.js';
import { rememberVersion, type Session } from '../model/session.js';
import type { ModelSpec } from '../model/spec.js';
import { Workload } from '../model/workload.js';

/** A chosen operation: what to do and on which keys (ids of the key table, and their row names). */
export interface PlannedOperation {
  write: boolean;
  keyIds: number[];
  keys: string[];
}

/**
 * The scenario's client workload for a real run: the simulator's own (src/model/workload.ts), so a
 * real run and a simulation on one seed give every session the same actions, keys and think times
 * (common random numbers); keys become rows by name.
 */
export class RealWorkload {
  readonly keys: KeyTable;
  private readonly workload: Workload;

  constructor(
    private readonly spec: ModelSpec,
    streams: RandomStreams,
  ) {
    this.keys = new KeyTable(spec.keyspace);
    this.workload = new Workload(spec, this.keys, streams);
  }

  get sessions(): readonly Session[] {
    return this.workload.sessions;
  }

  /** Every key that exists at version 0 before the run (semantics.md section 1). */
  preloadedKeys(): string[] {
    const keys: string[] = [];
    if (this.spec.keyspace.preload) for (let i = 0; i < this.spec.keyspace.keyspaceCount; i++) keys.push(this.name(this.keys.keyspaceKey(i)));
    for (const session of this.sessions) for (const key of session.ownKeys) keys.push(this.name(key));
    const shared = new Set<string>();
    for (const group of this.spec.clientGroups) for (const action of group.actions) if (action.key.kind === 'shared') shared.add(action.key.name);
    keys.push(...shared);
    return keys;
  }

  /** The think time before the session's next operation, in µs. */
  think(session: Session): number {
    return this.workload.thinkUs(session);
  }

  plan(session: Session): PlannedOperation {
    const action = this.workload.plan(session);
    const keyIds = this.workload.chosen.slice(0, this.workload.chosenCount);
    return { write: action.write, keyIds, keys: keyIds.map((key) => this.name(key)) };
  }

  name(keyId: number): string {
    return this.keys.get(keyId).name;
  }

  /** Topic number of a key, -1 when it is not a keyspace key of a topic of size > 1. */
  topicOf(keyId: number): number {
    return this.keys.get(keyId).topic;
  }

  /**
   * deps of a write of `keyId`: the highest version the session has seen or written of each other
   * key of its topic; absent and version-0 entries are left out (semantics.md section 2).
   */
  deps(session: Session, keyId: number): [string, number][] {
    const topic = this.topicOf(keyId);
    if (topic < 0) return [];
    const [first, end] = this.keys.topicRange(topic);
    const deps: [string, number][] = [];
    for (let i = first; i < end; i++) {
      const other = this.keys.keyspaceKey(i);
      if (other === keyId) continue;
      const known = session.known.get(other);
      if (known !== undefined && known.version > 0) deps.push([this.name(other), known.version]);
    }
    return deps;
  }

  /** A version the session wrote or read (> 0), remembered for deps when the key is in a topic. */
  remember(session: Session, keyId: number, version: number): void {
    rememberVersion(session, this.keys, keyId, version, null);
  }

  /** The session's write of keyId was acknowledged: it is what `lastWritten` reads next. */
  written(session: Session, keyId: number): void {
    session.lastWritten = keyId;
  }
}
