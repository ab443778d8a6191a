import { nextAction } from '../model/actions.js';
import type { RandomStreams, Uniform } from '../engine/random.js';
import { KeyTable } from '../model/keys.js';
import { uniformPicker, zipfPicker, type IndexPicker } from '../model/popularity.js';
import type { ActionSpec, ClientGroupSpec, ModelSpec } from '../model/spec.js';

/** One user of a real run: what the simulator's Session holds, with keys by name. */
export class RealSession {
  readonly ownKeys: string[] = [];
  /** The key this session last wrote, or null. */
  lastWritten: string | null = null;
  /** Topic of the session's last read (for `reply`), -1 when none. */
  lastReadTopic = -1;
  inserts = 0;
  cycle = 0;
  /** Highest version seen or written per key of a topic of size > 1 (for the deps of later writes). */
  readonly known = new Map<string, number>();

  constructor(
    /** 0-based, for per-session arrays. */
    readonly index: number,
    /** 1-based, as in histories and the sticky ring ("session-<id>"). */
    readonly id: number,
    readonly group: ClientGroupSpec,
    readonly groupIndex: number,
    readonly stream: Uniform,
  ) {}
}

/** A chosen operation: what to do and on which keys. */
export interface PlannedOperation {
  write: boolean;
  keys: string[];
}

/**
 * The scenario's client workload, drawn exactly as the simulator draws it (src/model/simulator.ts:
 * one stream per session, `session/<id>`; a think time when an operation is scheduled, then the
 * action and its keys when it starts), so a real run and a simulation on one seed give every session
 * the same actions, keys and think times (common random numbers).
 */
export class Workload {
  readonly sessions: RealSession[] = [];
  readonly keys: KeyTable;
  private readonly pickers: IndexPicker[] = [];
  private readonly topicPickers: IndexPicker[] = [];
  private readonly actionTotals: number[] = [];

  constructor(
    private readonly spec: ModelSpec,
    streams: RandomStreams,
  ) {
    this.keys = new KeyTable(spec.keyspace);
    let sessionId = 0;
    spec.clientGroups.forEach((group, groupIndex) => {
      const keyspace = spec.keyspace.keyspaceCount;
      const topics = this.keys.topicCount;
      this.pickers.push(group.popularity.kind === 'zipf' ? zipfPicker(keyspace, group.popularity.s) : uniformPicker(keyspace));
      this.topicPickers.push(group.popularity.kind === 'zipf' ? zipfPicker(topics, group.popularity.s) : uniformPicker(topics));
      this.actionTotals.push(group.actions.reduce((sum, action) => sum + action.weight, 0));
      for (let i = 0; i < group.sessions; i++) {
        sessionId++;
        const session = new RealSession(sessionId - 1, sessionId, group, groupIndex, streams.stream(`session/${sessionId}`));
        for (let j = 0; j < group.ownKeys; j++) session.ownKeys.push(`own-${group.name}-${sessionId}-${j}`);
        this.sessions.push(session);
      }
    });
  }

  /** Every key that exists at version 0 before the run (semantics.md section 1). */
  preloadedKeys(): string[] {
    const keys: string[] = [];
    if (this.spec.keyspace.preload) for (let i = 0; i < this.spec.keyspace.keyspaceCount; i++) keys.push(`k${i}`);
    for (const session of this.sessions) keys.push(...session.ownKeys);
    const shared = new Set<string>();
    for (const group of this.spec.clientGroups) for (const action of group.actions) if (action.key.kind === 'shared') shared.add(action.key.name);
    keys.push(...shared);
    return keys;
  }

  /** A think time in µs, rounded half-up (as the simulator rounds draws). */
  think(session: RealSession): number {
    return Math.floor(session.group.think(session.stream) + 0.5);
  }

  plan(session: RealSession): PlannedOperation {
    const action = this.chooseAction(session);
    return { write: action.write, keys: this.chooseKeys(session, action) };
  }

  /** Topic number of a key, -1 when it is not a keyspace key of a topic of size > 1. */
  topicOf(key: string): number {
    if (!/^k\d+$/.test(key)) return -1;
    const index = Number(key.slice(1));
    if (index >= this.spec.keyspace.keyspaceCount) return -1;
    return this.keys.get(this.keys.keyspaceKey(index)).topic;
  }

  /**
   * deps of a write of `key`: the highest version the session has seen or written of each other key
   * of its topic; absent and version-0 entries are left out (semantics.md section 2).
   */
  deps(session: RealSession, key: string): [string, number][] {
    const topic = this.topicOf(key);
    if (topic < 0) return [];
    const [first, end] = this.keys.topicRange(topic);
    const deps: [string, number][] = [];
    for (let i = first; i < end; i++) {
      const other = `k${i}`;
      if (other === key) continue;
      const version = session.known.get(other);
      if (version !== undefined && version > 0) deps.push([other, version]);
    }
    return deps;
  }

  /** A version the session wrote or read (> 0), remembered for deps when the key is in a topic. */
  remember(session: RealSession, key: string, version: number): void {
    if (this.topicOf(key) < 0) return;
    if (version > (session.known.get(key) ?? -1)) session.known.set(key, version);
  }

  private chooseAction(session: RealSession): ActionSpec {
    const action = nextAction(session.group, session.cycle, session.stream, this.actionTotals[session.groupIndex]!);
    if (session.group.order === 'cycle') session.cycle++;
    return action;
  }

  private chooseKeys(session: RealSession, action: ActionSpec): string[] {
    const u = session.stream;
    const keys = this.keys;
    const name = (index: number): string => keys.get(keys.keyspaceKey(index)).name;
    const selector = action.key;
    switch (selector.kind) {
      case 'new':
        return [`new-${session.group.name}-${session.id}-${session.inserts++}`];
      case 'own':
        return [this.ownKey(session)];
      case 'lastWritten':
        return [session.lastWritten ?? this.ownKey(session)];
      case 'popular':
        return this.choosePopular(session, action.count);
      case 'topic': {
        const [first, end] = keys.topicRange(this.topicPickers[session.groupIndex]!(u));
        const chosen: string[] = [];
        for (let i = first; i < end; i++) chosen.push(name(i));
        return chosen;
      }
      case 'topicHead':
        return [name(keys.topicRange(this.topicPickers[session.groupIndex]!(u))[0])];
      case 'reply': {
        if (session.lastReadTopic >= 0) {
          const [first, end] = keys.topicRange(session.lastReadTopic);
          if (end - first > 1) return [name(first + 1 + Math.min(end - first - 2, Math.floor(u() * (end - first - 1))))];
        }
        return this.choosePopular(session, 1);
      }
      case 'shared':
        return [selector.name];
    }
  }

  private ownKey(session: RealSession): string {
    const own = session.ownKeys;
    return own.length === 1 ? own[0]! : own[Math.min(own.length - 1, Math.floor(session.stream() * own.length))]!;
  }

  private choosePopular(session: RealSession, count: number): string[] {
    const picker = this.pickers[session.groupIndex]!;
    const chosen: string[] = [];
    const want = Math.min(count, this.spec.keyspace.keyspaceCount);
    while (chosen.length < want) {
      const key = `k${picker(session.stream)}`;
      if (!chosen.includes(key)) chosen.push(key);
    }
    return chosen;
  }
}
