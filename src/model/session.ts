import type { KeyTable, Past } from './keys.js';
import { Operation } from './operation.js';
import type { DrawUs } from './replica.js';
import type { ActionSpec, ClientGroupSpec } from './spec.js';

/** A version a session has seen or written, with its causal past (for the deps of its later writes). */
export interface KnownVersion {
  version: number;
  past: Past | null;
}

/**
 * One user: one operation at a time, its own keys, and what it last wrote and read. Its random
 * stream ("session/<id>") is row `index` of the simulator's StreamRows.
 */
export class Session {
  readonly op = new Operation();
  /** The session's own keys (set once, at its length: an array grown by push keeps room for 16). */
  ownKeys: readonly number[] = [];
  lastWritten = -1;
  lastWrittenIsNew = false;
  /** Topic of the session's last read (for `reply`), -1 when none. */
  lastReadTopic = -1;
  inserts = 0;
  /** `new-<group>-<id>-`, the name of this session's `new` keys before their counter, and its fnv1a32 (set at the first insert). */
  newKeyPrefix = '';
  newKeyPrefixHash = 0;
  cycle = 0;
  /** The think time after the current operation when its action has its own (null: the group's). */
  thinkAfter: DrawUs | null = null;
  /** The current ordinary operation's action. */
  currentAction: ActionSpec | null = null;
  /** Index in the group's actions of the current operation's action (-1 for a reaction). */
  actionIndex = -1;
  /** The session's last write action (what a resubmit repeats), null before its first write. */
  lastWriteAction: ActionSpec | null = null;
  /** Reactions since the session's last ordinary operation. */
  reactionsInRow = 0;
  /** Operations run as reactions (they do not count toward an open-loop session's steps). */
  reactionOps = 0;
  /** The keys a refresh re-reads. */
  readonly refreshKeys: number[] = [];
  /** Operations completed (an open-loop session leaves after its group's `steps`). */
  completed = 0;
  private knownVersions: Map<number, KnownVersion> | null = null;

  constructor(
    /** 0-based index into the simulator's arrays. */
    readonly index: number,
    /** 1-based number used in histories and ring hashing ("session-<id>"). */
    readonly id: number,
    readonly group: ClientGroupSpec,
    readonly groupIndex: number,
  ) {}

  /**
   * Highest version seen or written per topic key (only keys in topics of size > 1). Made on first
   * use: without topics it never is, and thousands of sessions then carry no empty Map each.
   */
  get known(): Map<number, KnownVersion> {
    return (this.knownVersions ??= new Map());
  }
}

/** A version the session wrote or read, remembered for the deps of its later writes when the key is in a topic (semantics.md section 2). */
export function rememberVersion(session: Session, keys: KeyTable, keyId: number, version: number, past: Past | null): void {
  if (keys.get(keyId).topic < 0) return;
  const known = session.known.get(keyId);
  if (known === undefined) session.known.set(keyId, { version, past });
  else if (version > known.version) {
    known.version = version;
    known.past = past;
  }
}
