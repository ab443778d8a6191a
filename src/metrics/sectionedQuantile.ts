/**
 * Intervals for percentiles of one run by sectioning (Asmussen & Glynn, "Stochastic Simulation",
 * 2007, §III.5; Nakayama 2014, "Confidence intervals using sectioning for quantiles"): the measured
 * period is cut into m equal sections of simulated time, the percentile is estimated in each, and
 * the interval is the whole run's percentile ± t_{m−1}·s/√m, s the spread of the section estimates.
 * Centring on the whole run's estimate (not the mean of the sections') removes most of the small-
 * section bias. Sections are long (1/16 of the run), so their estimates are nearly independent
 * wherever the run is long against the lag's and the queues' memory.
 */
import { meanInterval, type Precision } from './batchMeans.js';
import { LatencyHistogram } from './latency.js';

export const SECTIONS = 16;
/** Values a section needs before its p99 means anything: 2 above the p99. */
const MIN_PER_SECTION_P99 = 200;

export class SectionedHistogram {
  readonly sections: LatencyHistogram[] = Array.from({ length: SECTIONS }, () => new LatencyHistogram());
  private readonly widthUs: number;

  constructor(
    private readonly startUs: number,
    durationUs: number,
  ) {
    this.widthUs = durationUs / SECTIONS;
  }

  /** Records `valueUs`, observed at simulated time `atUs` (clamped into the measured period). */
  record(atUs: number, valueUs: number): void {
    const section = Math.min(SECTIONS - 1, Math.max(0, Math.floor((atUs - this.startUs) / this.widthUs)));
    this.sections[section]!.record(valueUs);
  }

  /** The interval of percentile `p` (0..100) around the whole run's estimate `overallUs`, µs. */
  percentileInterval(p: number, overallUs: number): Precision {
    const needed = Math.ceil(MIN_PER_SECTION_P99 * (1 / (1 - p / 100) / 100));
    let fewest = Infinity;
    for (const section of this.sections) fewest = Math.min(fewest, section.count);
    if (fewest === 0 && this.sections.every((s) => s.count === 0)) return { interval: null, untrusted: null };
    if (fewest < needed) return { interval: null, untrusted: { reason: `a section of the run has only ${fewest} values (p${p} needs ${needed}): run longer` } };
    let mean = 0;
    let m2 = 0;
    this.sections.forEach((section, i) => {
      const value = section.percentile(p);
      const delta = value - mean;
      mean += delta / (i + 1);
      m2 += delta * (value - mean);
    });
    return { interval: meanInterval(overallUs, m2 / (SECTIONS - 1) / SECTIONS, SECTIONS, 'sectioning'), untrusted: null };
  }
}
