import type { ReactionKind } from '../model/reactions.js';
import { tQuantile } from './pairedDiff.js';
import type { Interval } from './wilson.js';

/** One kind of reaction: how many, and per 1,000 sessions with a 95% interval. */
export interface ReactionRate {
  count: number;
  per1000Sessions: number | null;
  interval: Interval | null;
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

/**
 * A mean of per-session counts × 1,000 with a 95% t-interval, from n, Σx and Σx² (sessions with no
 * reaction count as 0). It treats sessions as independent; sessions that share a surge are not
 * quite, so read it as the least uncertainty (replications across seeds give the rest).
 */
export function perThousand(n: number, sum: number, sumSquares: number): { mean: number | null; interval: Interval | null } {
  if (n === 0) return { mean: null, interval: null };
  const mean = sum / n;
  if (n < 2) return { mean: mean * 1000, interval: null };
  const variance = Math.max(0, (sumSquares - n * mean * mean) / (n - 1));
  const half = tQuantile(0.975, n - 1) * Math.sqrt(variance / n);
  return { mean: mean * 1000, interval: { low: Math.max(0, mean - half) * 1000, high: (mean + half) * 1000 } };
}

const KINDS: readonly ReactionKind[] = ['resubmit', 'refresh', 'abandon'];

/** Counts reactions per session (by session id) and summarizes them per 1,000 sessions. */
export class ReactionCollector {
  private sessions = 0;
  /** Session ids grow with arrivals: open-loop sessions up to this id arrived in warm-up and do not count. */
  private lastWarmupArrivalId = 0;
  /** Per session id with at least one counted reaction: counts by KINDS. */
  private readonly bySession = new Map<number, number[]>();

  /** A session started at nowUs; `openLoop` sessions count when they arrive after warm-up. */
  onSessionStart(sessionId: number, openLoop: boolean, nowUs: number, warmupUs: number): void {
    if (!openLoop || nowUs >= warmupUs) this.sessions++;
    else this.lastWarmupArrivalId = sessionId;
  }

  /** `afterWarmup`: the read that triggered it was after warm-up. */
  onReaction(sessionId: number, openLoop: boolean, kind: ReactionKind, afterWarmup: boolean): void {
    if (!afterWarmup || (openLoop && sessionId <= this.lastWarmupArrivalId)) return;
    let counts = this.bySession.get(sessionId);
    if (counts === undefined) {
      counts = [0, 0, 0];
      this.bySession.set(sessionId, counts);
    }
    counts[KINDS.indexOf(kind)]!++;
  }

  summary(): ReactionsSummary {
    const rate = (k: number): ReactionRate => {
      let sum = 0;
      let sumSquares = 0;
      for (const counts of this.bySession.values()) {
        sum += counts[k]!;
        sumSquares += counts[k]! * counts[k]!;
      }
      const { mean, interval } = perThousand(this.sessions, sum, sumSquares);
      return { count: sum, per1000Sessions: mean, interval };
    };
    return { sessions: this.sessions, duplicates: rate(0), refreshes: rate(1), abandons: rate(2) };
  }
}
