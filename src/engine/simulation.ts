import { EventQueue } from './eventQueue.js';

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

  /** Handles every event with time ≤ untilUs (or all, with Infinity); returns events handled. */
  run(handler: EventHandler, untilUs = Infinity): number {
    const queue = this.queue;
    let handled = 0;
    while (queue.size > 0 && queue.peekTime() <= untilUs) {
      queue.pop();
      this.nowUs = queue.poppedTimeUs;
      handler.handle(queue.poppedKind, queue.poppedA, queue.poppedB);
      handled++;
    }
    this.processed += handled;
    return handled;
  }
}
