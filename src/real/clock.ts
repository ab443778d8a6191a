import type { RealClock } from '../strategies/real.js';

/**
 * Wall-clock time of a real run: integer microseconds since the run started (process.hrtime, which
 * is monotonic), the unit every lagsim history uses (semantics.md section 4).
 */
export class RunClock implements RealClock {
  private readonly originNs = process.hrtime.bigint();

  nowUs(): number {
    return Number((process.hrtime.bigint() - this.originNs) / 1000n);
  }

  pause(us: number): Promise<void> {
    return pause(us);
  }
}

/**
 * Below this much remaining time a sleeper stops trusting timers and yields to the event loop
 * instead: Node's timers have millisecond granularity and fire up to about a millisecond late,
 * which would lengthen every think time by half a millisecond on average and bias the anomaly
 * rates that real runs are compared on (a think time shorter than the lag is exactly what causes a
 * read-your-writes violation).
 */
const SPIN_BELOW_US = 2000;

/** Resolves at `targetUs` on `clock` (to a few tens of microseconds), or at once if it has passed. */
export async function sleepUntil(clock: RunClock, targetUs: number): Promise<void> {
  for (;;) {
    const remainingUs = targetUs - clock.nowUs();
    if (remainingUs <= 0) return;
    if (remainingUs > SPIN_BELOW_US) {
      await new Promise<void>((resolve) => setTimeout(resolve, Math.floor(remainingUs / 1000) - 1));
    } else {
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
}

/** A pause of `us` microseconds (for polling loops, where precision matters less). */
export function pause(us: number): Promise<void> {
  return new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, Math.round(us / 1000))));
}
