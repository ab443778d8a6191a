/**
 * runs.csv: one row per run (grid point × seed), with the point's swept values, the seed, the
 * strategy, and every number of the run's summary as a column (`anomalies.ryw.rate`,
 * `costs.readLatencyMs.p99`, `nodes.us-west-0-1.utilisation`, ...; event lists such as the lost
 * writes and faults are left out). Columns appear in the order
 * they first occur in grid order, so the header depends only on the sweep, never on timing.
 */
import { stringify } from 'csv-stringify/sync';
import { pointValues } from './grid.js';
import { describeStrategy } from './summaryTable.js';
import type { RunRecord, SweepSpec } from './sweepData.js';
import type { RunSummary } from './summary.js';

type Cell = number | null;

/** Fields of a run summary that are its identity or configuration, not measurements. */
const SKIPPED = new Set(['lagsim', 'scenario', 'seed', 'strategy', 'balancer']);
/** Per-node fields that describe the node, not what it did. */
const NODE_SKIPPED = new Set(['name', 'node', 'role', 'region', 'shard']);

/** Every number of a run summary under a dotted name; missing intervals become empty cells. */
export function flattenSummary(summary: RunSummary): Map<string, Cell> {
  const out = new Map<string, Cell>();
  const walk = (value: unknown, name: string): void => {
    if (typeof value === 'number') out.set(name, value);
    else if (/interval$/i.test(name) && (value === null || typeof value === 'object')) {
      // An interval is its two bounds here (its method and batches are in summary.json).
      const interval = value as { low: number; high: number } | null;
      out.set(`${name}.low`, interval?.low ?? null);
      out.set(`${name}.high`, interval?.high ?? null);
    } else if (value === null) {
      out.set(name, null);
    } else if (Array.isArray(value)) {
      // Lists of things without a name (lost writes, fault events) are logs, not metrics of a run.
      if (value.some((item) => typeof item === 'object' && item !== null && arrayKey(item, -1) === '-1')) return;
      value.forEach((item, i) => walk(item, `${name}.${arrayKey(item, i)}`));
    } else if (typeof value === 'object' && value !== undefined) {
      for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
        if (name === '' && SKIPPED.has(key)) continue;
        if (isNodeEntry(value) && NODE_SKIPPED.has(key)) continue;
        walk(child, name === '' ? key : `${name}.${key}`);
      }
    }
  };
  walk(summary, '');
  return out;
}

function isNodeEntry(value: object): boolean {
  return 'name' in value || 'node' in value;
}

/** Array items are named by what identifies them: a node's name, a t-visibility bucket's start. */
function arrayKey(item: unknown, index: number): string {
  if (typeof item === 'object' && item !== null) {
    const record = item as Record<string, unknown>;
    if (typeof record['name'] === 'string') return record['name'];
    if (typeof record['node'] === 'string') return record['node'];
    if (typeof record['fromMs'] === 'number') return `${record['fromMs']}ms`;
  }
  return String(index);
}

/** runs.csv of a sweep; `runs` must be in task order (grid order, seeds inner). */
export function runsCsv(spec: SweepSpec, runs: readonly RunRecord[]): string {
  const flat = runs.map((run) => flattenSummary(run.summary));
  const metricColumns: string[] = [];
  const known = new Set<string>();
  for (const row of flat) {
    for (const key of row.keys()) {
      if (!known.has(key)) {
        known.add(key);
        metricColumns.push(key);
      }
    }
  }
  const header = ['point', ...spec.vary.map((v) => v.path), 'seed', 'strategy', ...metricColumns];
  const rows: (string | number)[][] = runs.map((run, i) => {
    const metrics = flat[i]!;
    return [
      run.point,
      ...pointValues(spec.vary, run.point),
      run.seed,
      describeStrategy(run.summary.strategy),
      ...metricColumns.map((column) => {
        const value = metrics.get(column);
        return value === undefined || value === null ? '' : value;
      }),
    ];
  });
  return stringify([header, ...rows], { cast: { number: (value) => String(value) }, record_delimiter: 'unix' });
}
