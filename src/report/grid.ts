/**
 * Grid arithmetic shared by the sweep runner, `merge` and the report: point numbers ↔ the value
 * of each --vary (the last --vary changes fastest), and which vary, if any, is the strategy.
 */
import YAML from 'yaml';
import type { SweepSpec, TaskRef, Vary } from './sweepData.js';

export const STRATEGY_NAME_PATH = 'strategy.name';
export const STRATEGY_PATH = 'strategy';
/** Replica-lag series are drawn for at most this many configurations (more would not be readable). */
export const MAX_LAG_PANELS = 12;

export function gridSize(varies: readonly Vary[]): number {
  return varies.reduce((n, v) => n * v.values.length, 1);
}

/** The value index of each vary at grid point `point`. */
export function pointCoordinates(varies: readonly Vary[], point: number): number[] {
  const coordinates = new Array<number>(varies.length);
  let rest = point;
  for (let i = varies.length - 1; i >= 0; i--) {
    const n = varies[i]!.values.length;
    coordinates[i] = rest % n;
    rest = Math.floor(rest / n);
  }
  return coordinates;
}

/** The value texts of grid point `point`, one per vary. */
export function pointValues(varies: readonly Vary[], point: number): string[] {
  return pointCoordinates(varies, point).map((c, i) => varies[i]!.values[c]!);
}

/** The index of the vary that chooses the strategy (`strategy.name` or the whole `strategy`), or -1. */
export function strategyVaryIndex(varies: readonly Vary[]): number {
  return varies.findIndex((v) => v.path === STRATEGY_NAME_PATH || v.path === STRATEGY_PATH);
}

/** The strategy name a value of the strategy vary stands for. */
export function strategyNameOf(vary: Vary, value: string): string {
  let parsed: unknown;
  try {
    parsed = YAML.parse(value);
  } catch {
    return value;
  }
  if (vary.path === STRATEGY_NAME_PATH) return String(parsed);
  if (typeof parsed === 'object' && parsed !== null && 'name' in parsed) return String((parsed as { name: unknown }).name);
  return value;
}

/**
 * The configuration of a point apart from its strategy: the coordinates of every other vary,
 * as one number (points that differ only in strategy share it).
 */
export function configOf(varies: readonly Vary[], point: number): number {
  const s = strategyVaryIndex(varies);
  const coordinates = pointCoordinates(varies, point);
  let config = 0;
  varies.forEach((v, i) => {
    if (i !== s) config = config * v.values.length + coordinates[i]!;
  });
  return config;
}

/** The point with the same configuration and the baseline strategy, or null (strategy not varied, or no baseline value). */
export function baselinePartner(spec: SweepSpec, point: number): number | null {
  const s = strategyVaryIndex(spec.vary);
  if (s < 0) return null;
  const vary = spec.vary[s]!;
  const baselineIndex = vary.values.findIndex((value) => strategyNameOf(vary, value) === spec.baseline);
  if (baselineIndex < 0) return null;
  const coordinates = pointCoordinates(spec.vary, point);
  coordinates[s] = baselineIndex;
  return coordinates.reduce((n, c, i) => n * spec.vary[i]!.values.length + c, 0);
}

/**
 * The task list of a sweep, in its fixed order: every (point, seed) run, point-major. The first
 * seed's run of one point per configuration (the baseline strategy's when there is one, for the
 * first MAX_LAG_PANELS configurations) also records its replicas' lag over time: kind `lag`.
 */
export function planTasks(spec: SweepSpec): TaskRef[] {
  const refs: TaskRef[] = [];
  const points = gridSize(spec.vary);
  const withLag = new Set(lagPoints(spec));
  for (let point = 0; point < points; point++) {
    spec.seeds.forEach((seed, s) => {
      refs.push({ task: refs.length, kind: s === 0 && withLag.has(point) ? 'lag' : 'run', point, seed });
    });
  }
  return refs;
}

/** The points whose replica lag over time is drawn. */
export function lagPoints(spec: SweepSpec): number[] {
  const points = gridSize(spec.vary);
  const chosen = new Map<number, number>();
  for (let point = 0; point < points; point++) {
    const config = configOf(spec.vary, point);
    if (chosen.has(config)) continue;
    if (chosen.size >= MAX_LAG_PANELS) break;
    chosen.set(config, baselinePartner(spec, point) ?? point);
  }
  return [...chosen.values()];
}
