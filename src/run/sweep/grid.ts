/**
 * The grid of a sweep: `--vary PATH=V1,V2,...` options, their cartesian product in a fixed order
 * (first --vary outermost, values in the order written), and the validated scenario of each point.
 *
 * A point's scenario is the file, then `--set`, then the point's values, validated like `run`
 * validates. When `strategy.name` is varied, the strategy's options come from the scenario as
 * scenario.md says (`strategyFor`: strategyOptions.<name>, else `strategy` when the name matches,
 * else the defaults), so the whole `strategy` object is replaced, not just its name.
 */
import { InputError } from '../../text/errors.js';
import { scenarioFromDocument } from '../../scenario/parse.js';
import { dataFilesIn, operationBudget } from '../load.js';
import { parseAssignment, parseValue, splitVaryValues } from '../../scenario/overrides.js';
import { strategyFor, type Scenario } from '../../scenario/schema.js';
import { pointValues, STRATEGY_NAME_PATH } from '../../report/grid.js';
import type { Vary } from '../../report/sweepData.js';
import { messages } from '../../text/messages.js';

/** More points than this is a typo in a --vary list, not a plan (it would run for weeks). */
export const MAX_POINTS = 1_000_000;

export function parseVary(option: string): Vary {
  const { path, text } = parseAssignment(option, '--vary');
  const values = splitVaryValues(text);
  if (values.length === 0 || values.some((v) => v === '')) throw new InputError('--vary', path, messages.varyNoValues);
  const seen = new Map<string, string>();
  for (const value of values) {
    const key = JSON.stringify(parseValue(value, '--vary', path));
    const earlier = seen.get(key);
    if (earlier !== undefined) throw new InputError('--vary', path, messages.varyDuplicateValue(value, earlier));
    seen.set(key, value);
  }
  return { path, values };
}

/** Checks the varies together: one --vary per path, seeds through --seeds, strategy options through strategyOptions. */
export function checkVaries(varies: readonly Vary[]): void {
  const paths = new Set<string>();
  const namesVaried = varies.some((v) => v.path === STRATEGY_NAME_PATH);
  for (const { path } of varies) {
    if (paths.has(path)) throw new InputError('--vary', path, messages.varyDuplicatePath);
    paths.add(path);
    if (path === 'seed') throw new InputError('--vary', path, messages.varySeed);
    for (const other of paths) {
      if (other !== path && (other.startsWith(`${path}.`) || path.startsWith(`${other}.`))) {
        throw new InputError('--vary', path, messages.varyOverlap(other));
      }
    }
    if (namesVaried && path !== STRATEGY_NAME_PATH && path.startsWith('strategy.')) {
      throw new InputError('--vary', path, messages.varyStrategyOption(path.slice('strategy.'.length)));
    }
  }
  const size = varies.reduce((n, v) => n * v.values.length, 1);
  if (size > MAX_POINTS) throw new InputError('--vary', undefined, messages.varyTooLarge(size, MAX_POINTS));
}

export interface ScenarioSource {
  /** The parsed, not yet validated, scenario document. */
  document: unknown;
  /** The file as named in messages. */
  file: string;
  baseDir: string;
  set: readonly string[];
}

/** The scenario of the file with its --set overrides (errors name the file or --set, as in `run`). */
export function baseScenario(source: ScenarioSource): Scenario {
  return scenarioFromDocument(source.document, source.file, dataFilesIn(source.baseDir), source.set);
}

/**
 * The validated scenario of one grid point. Call after baseScenario succeeded: then every problem
 * comes from the point's values and is reported as `--vary: <path>: <what was expected>`.
 */
export function pointScenario(source: ScenarioSource, varies: readonly Vary[], point: number): Scenario {
  const values = pointValues(varies, point);
  const assignments: string[] = [];
  let strategyName: string | undefined;
  varies.forEach((v, i) => {
    if (v.path === STRATEGY_NAME_PATH) strategyName = values[i];
    else assignments.push(`${v.path}=${values[i]}`);
  });
  try {
    const scenario = scenarioFromDocument(source.document, source.file, dataFilesIn(source.baseDir), [...source.set, ...assignments], operationBudget());
    if (strategyName === undefined) return scenario;
    const name = parseValue(strategyName, '--vary', STRATEGY_NAME_PATH);
    return { ...scenario, strategy: strategyFor(scenario, String(name)) };
  } catch (error) {
    if (error instanceof InputError) throw new InputError('--vary', error.path, error.message);
    throw error;
  }
}
