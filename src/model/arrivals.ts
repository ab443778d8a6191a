import type { Uniform } from '../engine/random.js';
import type { DrawUs } from './replica.js';

/** How an open-loop group's sessions arrive (scenario `clients.N.arrivals`). */
export type ArrivalSpec = { process: 'poisson' } | { process: 'fixed' } | { process: 'onoff'; on: DrawUs; off: DrawUs };

const round = (x: number): number => Math.floor(x + 0.5);

/**
 * The arrival times of one open-loop group, each drawn when the previous one happens.
 * - poisson: a time-varying rate by thinning (Lewis and Shedler): candidates at the maximum rate,
 *   each kept with probability rate(t) / maxRate.
 * - fixed: the next arrival 1/rate(t) after the previous one, t its time (a zero rate waits for the
 *   schedule's next point).
 * - onoff: on and off periods alternate from time 0, starting on; during on periods, Poisson
 *   arrivals as above, none during off periods. A candidate that falls past the end of an on period
 *   is discarded and drawing restarts at the next on period (the exponential gap is memoryless).
 */
export class ArrivalSource {
  private onStartUs = 0;
  private onEndUs: number;

  constructor(
    private readonly spec: ArrivalSpec,
    private readonly stream: Uniform,
    private readonly maxRate: number,
    private readonly rateAt: (atUs: number) => number,
    /** The first schedule point after atUs (Infinity when none): where a zero rate may change. */
    private readonly nextPointUs: (atUs: number) => number,
    private readonly endUs: number,
    private readonly periodStream: Uniform | null,
  ) {
    this.onEndUs = spec.process === 'onoff' ? round(spec.on(periodStream!)) : Infinity;
  }

  /** The next arrival after fromUs, or Infinity when none comes before the end of the run. */
  next(fromUs: number): number {
    if (!(this.maxRate > 0)) return Infinity;
    switch (this.spec.process) {
      case 'poisson':
        return this.nextPoisson(fromUs, Infinity);
      case 'fixed':
        return this.nextFixed(fromUs);
      case 'onoff':
        return this.nextOnOff(fromUs, this.spec);
    }
  }

  /** Poisson by thinning from fromUs; Infinity at the end of the run, -1 when a candidate reaches untilUs. */
  private nextPoisson(fromUs: number, untilUs: number): number {
    let atUs = fromUs;
    for (;;) {
      atUs += round((-Math.log(1 - this.stream()) / this.maxRate) * 1e6);
      if (atUs >= this.endUs) return Infinity;
      if (atUs >= untilUs) return -1;
      if (this.stream() * this.maxRate < this.rateAt(atUs)) return atUs;
    }
  }

  private nextFixed(fromUs: number): number {
    let atUs = fromUs;
    for (;;) {
      const rate = this.rateAt(atUs);
      if (rate > 0) {
        const nextUs = atUs + Math.max(1, round(1e6 / rate));
        return nextUs < this.endUs ? nextUs : Infinity;
      }
      atUs = this.nextPointUs(atUs);
      if (atUs >= this.endUs) return Infinity;
    }
  }

  private nextOnOff(fromUs: number, spec: { on: DrawUs; off: DrawUs }): number {
    let atUs = fromUs;
    for (;;) {
      while (atUs >= this.onEndUs) {
        this.onStartUs = this.onEndUs + round(spec.off(this.periodStream!));
        this.onEndUs = this.onStartUs + round(spec.on(this.periodStream!));
      }
      if (atUs < this.onStartUs) atUs = this.onStartUs;
      if (atUs >= this.endUs) return Infinity;
      const arrivalUs = this.nextPoisson(atUs, this.onEndUs);
      if (arrivalUs !== -1) return arrivalUs;
      atUs = this.onEndUs;
    }
  }
}
