import { consistentPrefix } from './anomaly/consistentPrefix.js';
import { FACT_INDEX, type AnomalyDefinition, type Fact } from './anomaly/definition.js';
import { monotonicReads } from './anomaly/monotonicReads.js';
import { readYourWrites } from './anomaly/readYourWrites.js';
import { staleRead } from './anomaly/staleRead.js';

/**
 * The anomalies lagsim reports: the only list. Their order is the order of the history's `flags`
 * and of every table; an anomaly's flag bit is 1 << its index (semantics.md section 4).
 */
export const ANOMALY_DEFINITIONS = [readYourWrites, monotonicReads, consistentPrefix, staleRead] as const;

export type Anomaly = (typeof ANOMALY_DEFINITIONS)[number]['name'];
export const ANOMALIES: readonly Anomaly[] = ANOMALY_DEFINITIONS.map((definition) => definition.name);
const byName = <T>(value: (definition: AnomalyDefinition & { name: Anomaly }, index: number) => T): Record<Anomaly, T> =>
  Object.fromEntries(ANOMALY_DEFINITIONS.map((definition, index) => [definition.name, value(definition as AnomalyDefinition & { name: Anomaly }, index)])) as Record<Anomaly, T>;

/** Each anomaly in words, as tables, charts and `explain` name it. */
export const ANOMALY_TITLES: Record<Anomaly, string> = byName((definition) => definition.title);
export const FLAG_BITS: Record<Anomaly, number> = byName((_, index) => 1 << index);
export const ANOMALY_BY_NAME: Record<Anomaly, AnomalyDefinition> = byName((definition) => definition);
/** The session guarantees (stale reads aside), as the consistency charts draw them. */
export const GUARANTEES: readonly Anomaly[] = ANOMALY_DEFINITIONS.filter((definition) => definition.guarantee).map((definition) => definition.name);
/** Whether a flag names a session guarantee (not a stale read). */
export const isGuarantee = (flag: string): boolean => (GUARANTEES as readonly string[]).includes(flag);
/** Per anomaly, in order, the checker's column of the fact it compares against. */
export const FACT_COLUMNS: Int32Array = Int32Array.from(ANOMALY_DEFINITIONS, (definition) => FACT_INDEX[definition.fact as Fact]);

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
