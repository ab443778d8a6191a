import { ABSENT } from '../../model/keys.js';

/**
 * What a session knows of a key when it reads it — the bounds its anomaly definitions compare the
 * returned version against (semantics.md section 3): W(k) written, M(k) seen, Req(k) required by
 * the causal past of what it saw (this read's other keys included), and the leader's version at
 * the read's start. In this order they are columns of the checker (FACT_INDEX).
 */
export const FACTS = ['written', 'seen', 'required', 'leader'] as const;
export type Fact = (typeof FACTS)[number];
export const FACT_INDEX: Record<Fact, number> = { written: 0, seen: 1, required: 2, leader: 3 };

/** Where each fact came from, so that `explain` can tell a violation in the words of its definition. */
export interface FactSources {
  written: { version: number; atUs: number };
  seen: { version: number; atUs: number; node: string };
  required: { version: number; because: string; becauseVersion: number };
  leader: { version: number };
}

/**
 * One anomaly, defined once: a key-read is eligible when the session has the fact, and violates
 * the anomaly when it returns a version older than the fact's (absent older than every version).
 * Everything else — flags, counters, tables, charts, the scenario's reaction triggers, `explain` —
 * is derived from the list in src/checks/anomalies.ts.
 */
export interface AnomalyDefinition<F extends Fact = Fact> {
  /** Short name: the history's flag, the summary's key, the SLO metric. */
  readonly name: string;
  /** In words, as tables and charts name it. */
  readonly title: string;
  /** A session guarantee (drawn in the consistency charts), not only a measure of staleness. */
  readonly guarantee: boolean;
  /** The definition in one sentence (semantics.md section 3), for help and docs. */
  readonly definition: string;
  readonly fact: F;
  /** A violation told in words; `read.text` says what was read ("read k at version 3 from replica-0-1"). */
  story(read: { key: string; text: string }, source: FactSources[F]): string;
}

export function versionText(version: number): string {
  return version === ABSENT ? 'absent' : `version ${version}`;
}

export const ms = (us: number): string => (us / 1000).toFixed(1);
