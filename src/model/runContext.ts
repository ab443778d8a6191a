import type { Simulation } from '../engine/simulation.js';
import type { Cluster } from './cluster.js';
import type { KeyTable } from './keys.js';
import type { OperationObserver } from './observer.js';
import type { ReadRouting } from './routing.js';
import type { Session } from './session.js';
import type { ModelSpec } from './spec.js';
import type { Workload } from './workload.js';

/** What the read path, the write path and faults share during one run. */
export interface RunContext {
  readonly spec: ModelSpec;
  readonly sim: Simulation;
  readonly cluster: Cluster;
  readonly keys: KeyTable;
  readonly workload: Workload;
  readonly routing: ReadRouting;
  readonly observer: OperationObserver;
  /** When the run's measured time ends: warm-up + duration, µs (no operation starts at or after it). */
  readonly endUs: number;
  /** The session's write is over (its reply arrived or it failed): it thinks and goes on. */
  afterWrite(session: Session): void;
  /** A write of key `keyId` committed `version` at this instant (reads started at it count it as their leader version). */
  committed(keyId: number, version: number, ordinal: number): void;
  /** The session's read is over; `flags` are the checker's anomaly flags (reactions look at them). */
  afterRead(session: Session, flags: number): void;
}
