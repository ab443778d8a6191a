import { ANOMALIES, type Anomaly } from './anomalies.js';

/**
 * Per-bin totals of the anomaly counters for a recount that visits reads out of time order (a
 * history checked session by session): each read adds its own counts to the bin of its time.
 */
export class AnomalyBins {
  readonly violations: Record<Anomaly, Float64Array>;
  readonly eligible: Record<Anomaly, Float64Array>;
  readonly keyReads: Float64Array;

  constructor(
    private readonly startUs: number,
    private readonly durationUs: number,
    readonly bins = 1024,
  ) {
    const perAnomaly = (): Record<Anomaly, Float64Array> =>
      Object.fromEntries(ANOMALIES.map((name) => [name, new Float64Array(bins)])) as Record<Anomaly, Float64Array>;
    this.violations = perAnomaly();
    this.eligible = perAnomaly();
    this.keyReads = new Float64Array(bins);
  }

  binOf(tUs: number): number {
    const bin = Math.floor(((tUs - this.startUs) / this.durationUs) * this.bins);
    return Math.min(this.bins - 1, Math.max(0, bin));
  }
}
