import type { Operation } from './operation.js';
import type { ReactionKind } from './reactions.js';
import type { Session } from './session.js';

/** Receives every completed operation (checks, metrics and the history hang off this). */
export interface OperationObserver {
  onWrite(session: Session, op: Operation): void;
  /** Returns the checker's anomaly flags for the read (FLAG_* bits), which reactions look at. */
  onRead(session: Session, op: Operation): number | void;
  /** A log entry committed at commitUs will be applied on replica `node` at applyUs. */
  onApplyScheduled(node: number, commitUs: number, applyUs: number): void;
  /** A session can never read `keyId` again (a `new` key after its writer moved on). */
  onKeyForgotten(session: Session, keyId: number): void;
  /** A new session starts in slot session.index (its state from any earlier occupant is gone). */
  onSessionStart(session: Session): void;
  /** A leader's replica was promoted (semantics.md section 6); `lost` lists [key, version]. */
  onFailover(record: FailoverRecord): void;
  /** A fault started or ended (for time series and charts). */
  onFault(atUs: number, description: string, started: boolean): void;
}

export interface FailoverRecord {
  atUs: number;
  shard: number;
  from: string;
  to: string;
  /** The highest position the promoted replica had received when the leader crashed. */
  received: number;
  crashUs: number;
  /** The acknowledged writes lost, by version: each key's name (a released key has no id left to look up) and version. */
  lost: [key: string, version: number][];
}

/** Options of one run beyond the model. */
export interface RunHooks {
  /** Called about 100 times with the simulated time reached. */
  onProgress?: (nowUs: number) => void;
  /** Called every `sampleEveryUs` of simulated time and at the end (warm-up + duration), never after it (time series). */
  sampleEveryUs?: number;
  onSample?: (nowUs: number) => void;
  /**
   * Called at `count` instants, the i-th at `atUs(i)` (increasing, whole µs): batch means keep their
   * books per batch, never per operation.
   */
  boundaries?: { count: number; atUs: (index: number) => number; onBoundary: (nowUs: number) => void };
  /** Called when a request's service starts in the measured window: its wait for a slot and its service time. */
  onServiceStart?: (node: number, waitUs: number, serviceUs: number) => void;
  /**
   * Called as each log entry is applied on a replica, with the time it was (its apply time moved by
   * the faults since its commit); an entry dropped in a failover never is. Applies are lazy (a
   * replica applies when someone looks): the call can come after simulated time has passed applyUs.
   */
  onApplied?: (node: number, position: number, applyUs: number) => void;
  /** Called every `monitorEveryUs` of simulated time until the end (scenario `monitor`: lag scrapes). */
  monitorEveryUs?: number;
  onMonitorSample?: (nowUs: number) => void;
  /** A session reacts to an anomaly (client group `reactions`): a resubmit or refresh starts, or a session abandons; `counted`: after warm-up. */
  onReaction?: (session: Session, kind: ReactionKind, counted: boolean) => void;
}
