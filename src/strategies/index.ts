/**
 * The strategies, by name, in the order `lagsim strategies` lists them: the only list. The scenario
 * schema (`strategy`, `strategyOptions`), the JSON Schema, `lagsim strategies` and the simulator
 * take each strategy's name, help and options from its entry here.
 */
import type { z } from 'zod';
import type { ClusterView, ReadRouting } from '../model/routing.js';
import type { StrategyEntry } from './base.js';
import type { RealClock, RealNodesView, RealRouting } from './real.js';
import { fallback } from './fallback.js';
import { none } from './none.js';
import { pin } from './pin.js';
import { sticky } from './sticky.js';
import { token } from './token.js';

export const strategies = { none, pin, fallback, token, sticky } as const;

type Registry = typeof strategies;
export type StrategyName = keyof Registry;

/** A strategy and its options (defaults filled in), as a scenario's `strategy` field normalizes to. */
export type StrategyChoice = { [N in StrategyName]: { name: N } & OptionsOf<Registry[N]['options']> }[StrategyName];

/** A strategy's options once parsed; nothing for a strategy without options (zod says Record<string, never>). */
type OptionsOf<O extends z.ZodObject> = z.output<O> extends Record<string, never> ? unknown : z.output<O>;

export const strategyNames = Object.keys(strategies) as StrategyName[];

export function createStrategy(choice: StrategyChoice, cluster: ClusterView): ReadRouting {
  // The entry of choice.name takes exactly choice's options; the union of entries cannot say so.
  const entry: StrategyEntry = strategies[choice.name];
  return entry.create(choice, cluster);
}

/** The strategy of `choice` for a real cluster (`lagsim real`): same name, same options, same decisions. */
export function createRealStrategy(choice: StrategyChoice, nodes: RealNodesView, clock: RealClock): RealRouting {
  const entry: StrategyEntry = strategies[choice.name];
  return entry.createReal(choice, nodes, clock);
}

export type { StrategyEntry };
