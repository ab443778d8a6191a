/** The `strategy` and `strategyOptions` fields, assembled from the strategies registry. */
import { z } from 'zod';
import { type StrategyChoice, type StrategyName, strategies } from '../strategies/index.js';
import { messages } from '../text/messages.js';
import { STRATEGY_NAMES } from './fields.js';

// ---------------------------------------------------------------------------------------------------
// Strategies

/**
 * Per strategy name, the schema of its options (without `name`), with defaults: each strategy's own
 * `options` (src/strategies/), described by its summary.
 */
export const StrategySchemas = Object.fromEntries(
  Object.values(strategies).map((entry) => [entry.name, entry.options.describe(entry.summary)]),
) as unknown as { [N in StrategyName]: (typeof strategies)[N]['options'] };

/** `strategy`: `{name, ...options}`, one member per registered strategy, in the registry's order. */
export const strategyMembers = Object.values(strategies).map((entry) =>
  z.strictObject({ name: z.literal(entry.name).describe(entry.summary), ...entry.options.shape }),
);
// The members are built from the registry in a loop: zod cannot follow which options go with which
// name, so the schema's output is declared as the registry's StrategyChoice, its one cast.
export const StrategySchema = z.discriminatedUnion('name', strategyMembers as [(typeof strategyMembers)[number], ...(typeof strategyMembers)[number][]], {
  error: (iss) => {
    if (iss.code === 'invalid_union') {
      const given = (iss.input as Record<string, unknown> | undefined)?.['name'];
      return given === undefined ? messages.missingStrategy(STRATEGY_NAMES) : messages.unknownStrategy(given, STRATEGY_NAMES);
    }
    if (iss.code === 'invalid_type' && iss.input !== undefined) return messages.expectedStrategy(iss.input);
    return undefined;
  },
}) as unknown as z.ZodType<StrategyChoice, unknown>;

export type StrategyConfig = StrategyChoice;
export type StrategyOptions<N extends StrategyName> = z.output<(typeof strategies)[N]['options']>;
