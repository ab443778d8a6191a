import * as hdr from 'hdr-histogram-js';

/**
 * Latency histogram in integer microseconds: a thin wrapper over HdrHistogram (3 significant
 * digits, so any reported percentile is within 0.1% of the exact nearest-rank value, and exact
 * below 2048 µs). Pure JS (no WebAssembly) so results do not depend on the host.
 *
 * Recorded values are round-half-up to an integer and clamped at 0; 0 is an ordinary recordable
 * value (HdrHistogram keeps a bucket for 0 separate from lowestDiscernibleValue = 1).
 * The mean and max are kept exactly alongside the histogram, since HdrHistogram's own mean uses
 * bucket midpoints and its max is a bucket's upper edge. Percentiles are clamped to the exact max
 * for the same reason. An empty histogram reports 0 everywhere (check `count`).
 */
export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

export class LatencyHistogram {
  private readonly histogram: hdr.Histogram = hdr.build({
    bitBucketSize: 64,
    autoResize: true,
    lowestDiscernibleValue: 1,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });
  private sumUs = 0;
  private maxUs = 0;
  private n = 0;

  record(us: number): void {
    if (Number.isNaN(us)) throw new RangeError('LatencyHistogram.record: NaN');
    const valueUs = Math.max(0, Math.floor(us + 0.5));
    if (!Number.isFinite(valueUs) || valueUs > Number.MAX_SAFE_INTEGER) {
      throw new RangeError(`LatencyHistogram.record: ${us} µs is not representable`);
    }
    this.histogram.recordValue(valueUs);
    this.sumUs += valueUs;
    if (valueUs > this.maxUs) this.maxUs = valueUs;
    this.n += 1;
  }

  get count(): number {
    return this.n;
  }

  /** Exact mean of the recorded (rounded) values, µs. */
  get mean(): number {
    return this.n === 0 ? 0 : this.sumUs / this.n;
  }

  /** Exact maximum recorded value, µs. */
  get max(): number {
    return this.maxUs;
  }

  /** Nearest-rank percentile (p in 0..100) to HdrHistogram precision, µs. */
  percentile(p: number): number {
    if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be in [0, 100], got ${p}`);
    if (this.n === 0) return 0;
    return Math.min(this.histogram.getValueAtPercentile(p), this.maxUs);
  }

  /** Adds every value recorded in `other` to this histogram. */
  merge(other: LatencyHistogram): void {
    this.histogram.add(other.histogram);
    this.sumUs += other.sumUs;
    if (other.maxUs > this.maxUs) this.maxUs = other.maxUs;
    this.n += other.n;
  }

  toJSON(): LatencySummary {
    return {
      count: this.n,
      mean: this.mean,
      p50: this.percentile(50),
      p90: this.percentile(90),
      p99: this.percentile(99),
      p999: this.percentile(99.9),
      max: this.max,
    };
  }
}
