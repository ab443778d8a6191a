/** The anomalies lagsim reports, in the order of the history's `flags` (semantics.md section 4). */
export const ANOMALIES = ['ryw', 'mr', 'cp', 'stale'] as const;
export type Anomaly = (typeof ANOMALIES)[number];

/** Each anomaly in words, as tables, charts and `explain` name it. */
export const ANOMALY_TITLES: Record<Anomaly, string> = {
  ryw: 'read-your-writes',
  mr: 'monotonic reads',
  cp: 'consistent prefix',
  stale: 'stale read',
};

export const FLAG_RYW = 1;
export const FLAG_MR = 2;
export const FLAG_CP = 4;
export const FLAG_STALE = 8;
export const FLAG_BITS: Record<Anomaly, number> = { ryw: FLAG_RYW, mr: FLAG_MR, cp: FLAG_CP, stale: FLAG_STALE };

export function flagNames(flags: number): Anomaly[] {
  return ANOMALIES.filter((name) => (flags & FLAG_BITS[name]) !== 0);
}

/** Per-anomaly counters (semantics.md section 3, "Counting"). */
export class AnomalyCount {
  violations = 0;
  keyReads = 0;
  eligible = 0;
  /** Read operations with at least one violating key-read. */
  violatingReads = 0;
}
