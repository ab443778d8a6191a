import { wilson, type Interval } from './wilson.js';

/** Bucket edges of the t-visibility curve, ms: t = t0 − tc of the latest committed version. */
export const T_VISIBILITY_EDGES_MS = [0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 30000, 60000];

/** The curve's bucket edges: the default ones, or 0 and the scenario's `report.tVisibility` times (µs). */
export const tVisibilityEdgesMs = (timesUs: readonly number[] | undefined): readonly number[] =>
  timesUs === undefined ? T_VISIBILITY_EDGES_MS : [0, ...timesUs.map((us) => us / 1000)];

export interface TVisibilityPoint {
  fromMs: number;
  /** null for the last, open bucket. */
  toMs: number | null;
  keyReads: number;
  visible: number;
  probability: number | null;
  interval: Interval | null;
}

/**
 * The t-visibility curve (semantics.md section 3, as PBS draws it): per key-read, t = t0 − tc of
 * the latest version committed at or before t0, and whether the read returned at least that version.
 */
export class TVisibility {
  /** Key-reads and visible key-reads per bucket, cumulative (read by TimeBatches at bin boundaries). */
  readonly reads: Float64Array;
  readonly visible: Float64Array;

  /** `edgesMs`: increasing bucket edges from 0 (scenario `report.tVisibility` prepends 0 to the user's times). */
  constructor(readonly edgesMs: readonly number[] = T_VISIBILITY_EDGES_MS) {
    this.reads = new Float64Array(edgesMs.length);
    this.visible = new Float64Array(edgesMs.length);
  }

  record(tUs: number, sawIt: boolean): void {
    const tMs = tUs / 1000;
    const edges = this.edgesMs;
    let bucket = edges.length - 1;
    while (bucket > 0 && edges[bucket]! > tMs) bucket--;
    this.reads[bucket]!++;
    if (sawIt) this.visible[bucket]!++;
  }

  points(): TVisibilityPoint[] {
    const out: TVisibilityPoint[] = [];
    const edges = this.edgesMs;
    for (let i = 0; i < edges.length; i++) {
      const n = this.reads[i]!;
      if (n === 0) continue;
      const k = this.visible[i]!;
      out.push({
        fromMs: edges[i]!,
        toMs: edges[i + 1] ?? null,
        keyReads: n,
        visible: k,
        probability: k / n,
        interval: wilson(k, n),
      });
    }
    return out;
  }
}
