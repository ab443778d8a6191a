/**
 * `--seeds`: the seeds every grid point runs with, as `1..20` (inclusive range), `1,2,5`, or a mix
 * (`1..5,9`). Order is kept as written (it is the order of rows in runs.csv); duplicates are errors
 * because a repeated seed is the same run twice and would bias every mean.
 */
import { InputError } from '../../text/errors.js';
import { messages } from '../../text/messages.js';

const INTEGER_RE = /^\d+$/;
const RANGE_RE = /^(\d+)\s*\.\.\s*(\d+)$/;
/** A range larger than this is almost certainly a typo (1..1000000), and would take days. */
export const MAX_SEEDS = 100_000;

/** The seeds `lagsim compare` runs when none are given. */
export const DEFAULT_COMPARE_SEEDS = '1..20';

export function parseSeeds(text: string): number[] {
  const seeds: number[] = [];
  const items = text.split(',').map((item) => item.trim());
  for (const item of items) {
    const range = RANGE_RE.exec(item);
    if (range) {
      const from = Number(range[1]);
      const to = Number(range[2]);
      // Past 2^53 − 1 seed + 1 no longer changes the number: the range would never end.
      if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to)) throw new InputError('--seeds', undefined, messages.seedTooLarge(item));
      if (to < from) throw new InputError('--seeds', undefined, messages.seedsBackwardRange(item));
      if (to - from + 1 + seeds.length > MAX_SEEDS) throw new InputError('--seeds', undefined, messages.seedsTooMany(MAX_SEEDS));
      for (let seed = from; seed <= to; seed++) seeds.push(seed);
    } else if (INTEGER_RE.test(item) && Number.isSafeInteger(Number(item))) {
      seeds.push(Number(item));
    } else if (INTEGER_RE.test(item)) {
      throw new InputError('--seeds', undefined, messages.seedTooLarge(item));
    } else {
      throw new InputError('--seeds', undefined, messages.seedsSyntax(text));
    }
  }
  const seen = new Set<number>();
  for (const seed of seeds) {
    if (seen.has(seed)) throw new InputError('--seeds', undefined, messages.seedsDuplicate(seed));
    seen.add(seed);
  }
  if (seeds.length > MAX_SEEDS) throw new InputError('--seeds', undefined, messages.seedsTooMany(MAX_SEEDS));
  return seeds;
}
