import type { ReactionKind } from '../model/reactions.js';
import type { EstimateInterval, Precision } from './batchMeans.js';

/** One kind of reaction: how many, and per 1,000 sessions with a 95% interval. */
export interface ReactionRate {
  count: number;
  per1000Sessions: number | null;
  /** Batch means over the measured period (docs/statistics.md); null when withheld (`intervalWithheld` says why). */
  interval: EstimateInterval | null;
  intervalWithheld?: string;
}

/**
 * Two-sided 95% upper bound on a Poisson mean when 0 events were seen: χ²(0.975; 2)/2 = −ln 0.025.
 * With no reaction there is no variance to batch; the bound treats the exposure as independent.
 */
const POISSON_ZERO_UPPER_95 = -Math.log(0.025);

/** A reaction rate per 1,000 sessions from its batch-means precision (ratio reactions / session exposure). */
export function per1000FromPrecision(count: number, sessions: number, precision: Precision): ReactionRate {
  if (sessions === 0) return { count, per1000Sessions: null, interval: null };
  const per1000Sessions = (count / sessions) * 1000;
  if (count === 0) {
    const high = (POISSON_ZERO_UPPER_95 / sessions) * 1000;
    return { count, per1000Sessions, interval: { low: 0, high, method: 'no-variance', batches: 1, df: 0 } };
  }
  const i = precision.interval;
  if (i === null) return { count, per1000Sessions, interval: null, intervalWithheld: precision.untrusted?.reason ?? 'too few batches' };
  return { count, per1000Sessions, interval: { ...i, low: Math.max(0, i.low) * 1000, high: i.high * 1000 } };
}

/** What `reactions` adds to the summary (only when a client group has reactions). */
export interface ReactionsSummary {
  /** Sessions counted: every closed-loop session, and open-loop sessions arriving after warm-up. */
  sessions: number;
  /** Resubmitted writes: duplicates. */
  duplicates: ReactionRate;
  refreshes: ReactionRate;
  abandons: ReactionRate;
}

export const KINDS: readonly ReactionKind[] = ['resubmit', 'refresh', 'abandon'];

/**
 * Counts reactions, and the session exposure they are a rate of: every closed-loop session counts
 * once, spread evenly over the measured period (so that its batches carry equal shares), and every
 * open-loop session once when it arrives after warm-up.
 */
export class ReactionCollector {
  private closedSessions = 0;
  private openSessions = 0;
  /** Session ids grow with arrivals: open-loop sessions up to this id arrived in warm-up and do not count. */
  private lastWarmupArrivalId = 0;
  private readonly counted = [0, 0, 0];

  constructor(
    private readonly warmupUs: number,
    private readonly durationUs: number,
  ) {}

  /** A session started at nowUs; `openLoop` sessions count when they arrive after warm-up. */
  onSessionStart(sessionId: number, openLoop: boolean, nowUs: number): void {
    if (!openLoop) this.closedSessions++;
    else if (nowUs >= this.warmupUs) this.openSessions++;
    else this.lastWarmupArrivalId = sessionId;
  }

  /** `afterWarmup`: the read that triggered it was after warm-up. */
  onReaction(sessionId: number, openLoop: boolean, kind: ReactionKind, afterWarmup: boolean): void {
    if (!afterWarmup || (openLoop && sessionId <= this.lastWarmupArrivalId)) return;
    this.counted[KINDS.indexOf(kind)]!++;
  }

  /** Reactions of `kind` counted so far (a cumulative counter for the batches). */
  countSoFar(kind: ReactionKind): number {
    return this.counted[KINDS.indexOf(kind)]!;
  }

  /** Sessions counted so far at nowUs, closed-loop ones pro rata over the measured period. */
  exposureSoFar(nowUs: number): number {
    const elapsed = Math.min(1, Math.max(0, (nowUs - this.warmupUs) / this.durationUs));
    return this.closedSessions * elapsed + this.openSessions;
  }

  summary(precision: (kind: ReactionKind) => Precision): ReactionsSummary {
    const sessions = this.closedSessions + this.openSessions;
    const rate = (k: number): ReactionRate => per1000FromPrecision(this.counted[k]!, sessions, precision(KINDS[k]!));
    return { sessions, duplicates: rate(0), refreshes: rate(1), abandons: rate(2) };
  }
}
