import type { ClusterView, ReadRouting } from '../model/routing.js';
import type { StrategyEntry } from './base.js';
import { fallback, type FallbackOptions } from './fallback.js';
import { none, type NoneOptions } from './none.js';
import { pin, type PinOptions } from './pin.js';
import { sticky, type StickyOptions } from './sticky.js';
import { token, type TokenOptions } from './token.js';

/** A strategy and its options, as a scenario's `strategy` field normalizes to. */
export type StrategyChoice =
  | ({ name: 'none' } & NoneOptions)
  | ({ name: 'pin' } & PinOptions)
  | ({ name: 'fallback' } & FallbackOptions)
  | ({ name: 'token' } & TokenOptions)
  | ({ name: 'sticky' } & StickyOptions);

export type StrategyName = StrategyChoice['name'];

/** Strategies by name, in the order `lagsim strategies` lists them. */
export const strategies = { none, pin, fallback, token, sticky } as const;

export const strategyNames = Object.keys(strategies) as StrategyName[];

export function createStrategy(choice: StrategyChoice, cluster: ClusterView): ReadRouting {
  switch (choice.name) {
    case 'none':
      return none.create({}, cluster);
    case 'pin':
      return pin.create(choice, cluster);
    case 'fallback':
      return fallback.create({}, cluster);
    case 'token':
      return token.create(choice, cluster);
    case 'sticky':
      return sticky.create(choice, cluster);
  }
}

export type { StrategyEntry };
