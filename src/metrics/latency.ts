/**
 * Latency histogram in integer microseconds, with HdrHistogram's bucket layout at 3 significant
 * digits (so any reported percentile is within 0.1% of the exact nearest-rank value, and exact
 * below 2048 µs) and its percentile arithmetic, kept here in one typed array: the same answers as
 * hdr-histogram-js, which the tests hold it to (test/metrics/latencyHdr.test.ts), without loading
 * that library in every run (about 60 ms of a process's start).
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

/** HdrHistogram's bucket layout at 3 significant digits from 1 µs: 2048 sub-buckets, the upper half per power of two. */
const SUB_BUCKET_HALF_MAGNITUDE = 10;
const SUB_BUCKET_HALF = 1 << SUB_BUCKET_HALF_MAGNITUDE;
const SUB_BUCKET_COUNT = 2 * SUB_BUCKET_HALF;

/** The HdrHistogram counts index of a value (same buckets as hdr-histogram-js at this configuration). */
function bucketIndexOf(valueUs: number): number {
  if (valueUs < SUB_BUCKET_COUNT) return valueUs;
  if (valueUs < 2 ** 32) {
    // The common case in 32 bits: a count of leading zeros and a shift (no log2, no pow).
    const bucket = 31 - Math.clz32(valueUs) - SUB_BUCKET_HALF_MAGNITUDE;
    return bucket * SUB_BUCKET_HALF + (valueUs >>> bucket);
  }
  const bucket = Math.floor(Math.log2(valueUs)) - SUB_BUCKET_HALF_MAGNITUDE;
  return bucket * SUB_BUCKET_HALF + Math.floor(valueUs / 2 ** bucket);
}

/** The lowest value of counts index `index` (what HdrHistogram files it under). */
function valueOfIndex(index: number): number {
  if (index < SUB_BUCKET_COUNT) return index;
  const bucket = Math.floor(index / SUB_BUCKET_HALF) - 1;
  const sub = (index % SUB_BUCKET_HALF) + SUB_BUCKET_HALF;
  return sub * 2 ** bucket;
}

/** The unit in the last place of x > 0, computed exactly as hdr-histogram-js does for its rank rounding. */
function ulp(x: number): number {
  return Math.pow(2, Math.floor(Math.log2(x)) - 52);
}

export class LatencyHistogram {
  /**
   * Counts per HdrHistogram bucket (bucketIndexOf), grown as larger values come: small at first,
   * since a run keeps about a hundred of these (16 sections of each latency and lag) and many see
   * only short times.
   */
  private counts = new Float64Array(256);
  private sumUs = 0;
  private maxUs = 0;
  private n = 0;

  /**
   * Times beyond this are recorded as this (2^50 µs, about 35.7 years): no run is that long (1 year
   * of warm-up plus 1 year of measurement at most), so such a time — a draw of a heavy-tailed
   * distribution, say Pareto of shape 0.05 — never completes within a run and only its rank matters.
   */
  static readonly MAX_RECORDED_US = 2 ** 50;

  record(us: number): void {
    if (Number.isNaN(us)) throw new RangeError('LatencyHistogram.record: NaN');
    const valueUs = Math.min(LatencyHistogram.MAX_RECORDED_US, Math.max(0, Math.floor(us + 0.5)));
    const index = bucketIndexOf(valueUs);
    if (index >= this.counts.length) this.grow(index + 1);
    this.counts[index]!++;
    this.sumUs += valueUs;
    if (valueUs > this.maxUs) this.maxUs = valueUs;
    this.n += 1;
  }

  private grow(length: number): void {
    const grown = new Float64Array(Math.max(length, this.counts.length * 2));
    grown.set(this.counts);
    this.counts = grown;
  }

  get count(): number {
    return this.n;
  }

  /** Exact sum of the recorded (rounded) values, µs. */
  get sum(): number {
    return this.sumUs;
  }

  /** Exact mean of the recorded (rounded) values, µs. */
  get mean(): number {
    return this.n === 0 ? 0 : this.sumUs / this.n;
  }

  /** Exact maximum recorded value, µs. */
  get max(): number {
    return this.maxUs;
  }

  /**
   * Nearest-rank percentile (p in 0..100) to HdrHistogram precision, µs: HdrHistogram's
   * getValueAtPercentile — the rank ⌈p/100 · n⌉ (at least 1, rounded as it rounds), and the highest
   * value of the bucket that rank falls in (the lowest for p = 0) — clamped to the exact max.
   */
  percentile(p: number): number {
    if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be in [0, 100], got ${p}`);
    if (this.n === 0) return 0;
    const exact = (p / 100) * this.n;
    const rank = Math.max(Math.ceil(exact - ulp(exact)), 1);
    const counts = this.counts;
    let seen = 0;
    for (let i = 0; i < counts.length; i++) {
      seen += counts[i]!;
      if (seen >= rank) return Math.min(p === 0 ? valueOfIndex(i) : valueOfIndex(i + 1) - 1, this.maxUs);
    }
    return this.maxUs;
  }

  /** Adds every value recorded in `other` to this histogram (same buckets: bucket by bucket). */
  merge(other: LatencyHistogram): void {
    if (other.counts.length > this.counts.length) this.grow(other.counts.length);
    const counts = this.counts;
    const added = other.counts;
    for (let i = 0; i < added.length; i++) if (added[i] !== 0) counts[i]! += added[i]!;
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
