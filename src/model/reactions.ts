import type { DrawUs } from './replica.js';

/** What a user does after seeing an anomaly: write again, read again, or leave. */
export type ReactionKind = 'resubmit' | 'refresh' | 'abandon';

/** Reaction codes carried on operations and in event arguments (0: not a reaction). */
export const REACTION_CODES: Record<ReactionKind, number> = { resubmit: 1, refresh: 2, abandon: 3 };
export const REACTION_NAMES: readonly (ReactionKind | '')[] = ['', 'resubmit', 'refresh', 'abandon'];

/**
 * One rule of a client group's `reactions` (issue 18): when a completed read of action `action`
 * (any read when null) shows the anomaly — a checker flag in `flagMask`, or, with `notFound`, a key
 * returned absent — or, with `afterWrite`, when a write of action `action` (any write when null)
 * is acknowledged, then with probability `p`, after a delay drawn from `after`, the session reacts
 * instead of thinking. At most `limit` reactions in a row; an ordinary operation resets the count.
 */
export interface ReactionSpec {
  flagMask: number;
  notFound: boolean;
  /** Triggered by the session's own acknowledged write (double submits), not by a read. */
  afterWrite?: boolean;
  action: number | null;
  p: number;
  after: DrawUs;
  kind: ReactionKind;
  limit: number;
}

/**
 * Whether a rule's trigger holds for a completed operation of action `actionIndex` (-1: a
 * reaction's own): an acknowledged write for an `afterWrite` rule; else a read with checker flags
 * `flags` that returned an absent key or not.
 */
export function reactionTriggered(rule: ReactionSpec, actionIndex: number, write: boolean, flags: number, returnedAbsent: boolean): boolean {
  if (rule.action !== null && rule.action !== actionIndex) return false;
  if (rule.afterWrite === true) return write;
  if (write) return false;
  return rule.notFound ? returnedAbsent : (flags & rule.flagMask) !== 0;
}
