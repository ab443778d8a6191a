/**
 * Replica lag over simulated time, computed from the log entries as they are scheduled. Semantics.md
 * section 1: a replica's lag at t is t − c_j for the oldest entry j with c_j ≤ t < a_j, and 0 when
 * it has applied everything committed. Sampling it every `stepUs` alone would hide spikes shorter
 * than a step, so each sample also keeps the peak of the lag over the step before it.
 *
 * The peak is exact: between two applies the oldest unapplied entry does not change and the lag
 * grows with slope 1, so over (t_{k−1}, t_k] it peaks either at t_k or just before the apply of an
 * entry j that was the oldest unapplied one, where it is a_j − c_j.
 */
export class LagSampler {
  readonly lagUs: number[] = [];
  readonly peakUs: number[] = [];
  private readonly commitUs: number[] = [];
  private readonly applyUs: number[] = [];
  private head = 0;
  private peak = 0;

  constructor(
    readonly stepUs: number,
    readonly endUs: number,
  ) {
    if (!(stepUs > 0)) throw new RangeError(`LagSampler: stepUs must be > 0, got ${stepUs}`);
  }

  /** Next sample time. */
  private get nextUs(): number {
    return this.lagUs.length * this.stepUs;
  }

  /** An entry committed at commitUs applies at applyUs; entries come in commit order. */
  onEntry(commitUs: number, applyUs: number): void {
    // Every sample time before this commit has seen all the entries committed at or before it.
    while (this.nextUs < commitUs && this.nextUs <= this.endUs) this.takeSample();
    this.commitUs.push(commitUs);
    this.applyUs.push(applyUs);
  }

  /** Takes the samples left up to endUs (call once, after the run). */
  finish(): void {
    while (this.nextUs <= this.endUs) this.takeSample();
  }

  private takeSample(): void {
    const t = this.nextUs;
    // a_j is non-decreasing in j (applies are in log order), so the applied entries are a prefix.
    while (this.head < this.applyUs.length && this.applyUs[this.head]! <= t) {
      const applied = this.applyUs[this.head]!;
      if (applied > t - this.stepUs) this.peak = Math.max(this.peak, applied - this.commitUs[this.head]!);
      this.head++;
    }
    const lag = this.head < this.commitUs.length && this.commitUs[this.head]! <= t ? t - this.commitUs[this.head]! : 0;
    this.lagUs.push(lag);
    this.peakUs.push(Math.max(this.peak, lag));
    this.peak = 0;
    if (this.head > 4096 && this.head * 2 > this.commitUs.length) {
      this.commitUs.splice(0, this.head);
      this.applyUs.splice(0, this.head);
      this.head = 0;
    }
  }
}

/** Round steps (ms) for the time axis, so samples fall on readable times. */
const NICE_STEPS_MS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 15000, 30000, 60000, 120000, 300000, 600000, 1800000, 3600000];

/** The smallest round step that gives at most `maxSamples` steps over `endUs`. */
export function sampleStepUs(endUs: number, maxSamples = 600): number {
  for (const ms of NICE_STEPS_MS) if (endUs / (ms * 1000) <= maxSamples) return ms * 1000;
  return Math.ceil(endUs / maxSamples / 3_600_000_000) * 3_600_000_000;
}
