import { EventQueue } from './eventQueue.js';

/**
 * Events at one instant beyond which the simulation is taken to be stuck there (a livelock: the
 * model keeps scheduling work at the same time and the clock never advances).
 */
export const MAX_EVENTS_AT_ONE_INSTANT = 5_000_000;

/** Thrown when simulated time stops advancing (see MAX_EVENTS_AT_ONE_INSTANT). */
export class LivelockError extends Error {
  constructor(readonly atUs: number) {
    super(`simulated time stopped advancing at ${atUs} us: more than ${MAX_EVENTS_AT_ONE_INSTANT} events at one instant`);
  }
}

/** What the owner of a simulation does with each event it scheduled. */
export interface EventHandler {
  handle(kind: number, a: number, b: number): void;
}

/**
 * The clock and the loop: pop the earliest event, advance `nowUs` to it, hand it to the handler.
 * Time is integer microseconds. Events at one instant run in phase order, then insertion order
 * (see EventQueue); an event may schedule others at the current instant.
 */
export class Simulation {
  readonly queue = new EventQueue();
  nowUs = 0;
  /** Events handled so far. */
  processed = 0;

  schedule(atUs: number, phase: number, kind: number, a: number, b = 0): void {
    if (atUs < this.nowUs) throw new Error(`event scheduled in the past: ${atUs} < ${this.nowUs}`);
    this.queue.push(atUs, phase, kind, a, b);
  }

  /** Whether an event is due at the current instant (the instant is not over yet). */
  moreAtThisInstant(): boolean {
    return this.queue.size > 0 && this.queue.peekTime() === this.nowUs;
  }

  /** Handles every event with time ≤ untilUs (or all, with Infinity); returns events handled. */
  run(handler: EventHandler, untilUs = Infinity): number {
    const queue = this.queue;
    let handled = 0;
    let sameInstant = 0;
    while (queue.size > 0 && queue.peekTime() <= untilUs) {
      queue.pop();
      const timeUs = queue.poppedTimeUs;
      if (timeUs === this.nowUs) {
        if (++sameInstant > MAX_EVENTS_AT_ONE_INSTANT) throw new LivelockError(timeUs);
      } else sameInstant = 0;
      this.nowUs = timeUs;
      handler.handle(queue.poppedKind, queue.poppedA, queue.poppedB);
      handled++;
    }
    this.processed += handled;
    return handled;
  }
}
