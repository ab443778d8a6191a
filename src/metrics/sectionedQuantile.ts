/**
 * Intervals for percentiles of one run by sectioning (Asmussen & Glynn, "Stochastic Simulation",
 * 2007, §III.5; Nakayama 2014, "Confidence intervals using sectioning for quantiles"): the measured
 * period is cut into m equal sections of simulated time, the percentile is estimated in each, and
 * the interval is the whole run's percentile ± t_{m−1}·s/√m, s the spread of the section estimates.
 * Centring on the whole run's estimate (not the mean of the sections') removes most of the small-
 * section bias. Sections are long (1/16 of the run), so their estimates are nearly independent
 * wherever the run is long against the lag's and the queues' memory.
 */
import { meanInterval, NON_NEGATIVE, type Precision } from './batchMeans.js';
import { LatencyHistogram, type LatencySummary } from './latency.js';

export const SECTIONS = 16;
/** Values a section needs before its p99 means anything: 2 above the p99. */
const MIN_PER_SECTION_P99 = 200;

/**
 * A latency histogram kept per section of the measured period: each value is recorded once, in its
 * section; the whole run's histogram is the sections merged (same buckets, so the same percentiles,
 * mean and max as one histogram would give). Without a period length there is one section.
 */
export class SectionedHistogram {
  readonly sections: LatencyHistogram[];
  /** Sections per µs (0 with one section). */
  private readonly perUs: number;
  private readonly last: number;
  private whole: LatencyHistogram | null = null;

  constructor(
    private readonly startUs = 0,
    durationUs?: number,
  ) {
    const count = durationUs === undefined ? 1 : SECTIONS;
    this.sections = Array.from({ length: count }, () => new LatencyHistogram());
    this.perUs = durationUs === undefined ? 0 : SECTIONS / durationUs;
    this.last = count - 1;
  }

  /** Records `valueUs`, observed at simulated time `atUs` (clamped into the measured period). */
  record(atUs: number, valueUs: number): void {
    let section = Math.floor((atUs - this.startUs) * this.perUs);
    if (section > this.last) section = this.last;
    else if (!(section >= 0)) section = 0;
    this.sections[section]!.record(valueUs);
    this.whole = null;
  }

  /** Values recorded so far. */
  get count(): number {
    let n = 0;
    for (const section of this.sections) n += section.count;
    return n;
  }

  /** Sum of the recorded (rounded) values so far, µs. */
  get sum(): number {
    let total = 0;
    for (const section of this.sections) total += section.sum;
    return total;
  }

  /** The whole run's histogram (built once after the last record, before the sections' own percentiles flush them). */
  merged(): LatencyHistogram {
    if (this.sections.length === 1) return this.sections[0]!;
    if (this.whole === null) {
      const whole = new LatencyHistogram();
      for (const section of this.sections) whole.merge(section);
      this.whole = whole;
    }
    return this.whole;
  }

  toJSON(): LatencySummary {
    return this.merged().toJSON();
  }

  /** The interval of percentile `p` (0..100) around the whole run's estimate, µs; none with one section. */
  percentileInterval(p: number): Precision {
    const m = this.sections.length;
    if (m < 2) return { interval: null, untrusted: null };
    const needed = Math.ceil(MIN_PER_SECTION_P99 * (1 / (1 - p / 100) / 100));
    let fewest = Infinity;
    for (const section of this.sections) fewest = Math.min(fewest, section.count);
    if (this.count === 0) return { interval: null, untrusted: null };
    if (fewest < needed) return { interval: null, untrusted: { reason: `a section of the run has only ${fewest} values (p${p} needs ${needed}): run longer` } };
    const overall = this.merged().percentile(p);
    let mean = 0;
    let m2 = 0;
    this.sections.forEach((section, i) => {
      const value = section.percentile(p);
      const delta = value - mean;
      mean += delta / (i + 1);
      m2 += delta * (value - mean);
    });
    // Latencies and lags: never negative.
    return { interval: meanInterval(overall, m2 / (m - 1) / m, m, 'sectioning', NON_NEGATIVE), untrusted: null };
  }
}
