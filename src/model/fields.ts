/**
 * Field types shared by the scenario schema and the strategies' options (which sit below the
 * scenario layer): durations with units, counts with a bound, and the wording of their errors.
 */
import { z } from 'zod';
import { messages } from '../text/messages.js';
import { checkDuration, DURATION_RE } from './duration.js';

/** A custom error for a value of the wrong type; a missing value falls through to "required". */
export function whenPresent(make: (input: unknown) => string) {
  return (iss: { input?: unknown }) => (iss.input === undefined ? undefined : make(iss.input));
}

export function durationMessage(input: unknown): string {
  const r = checkDuration(input);
  return r.ok ? messages.expectedDuration(input) : r.message;
}

/** A number of milliseconds or a string with a unit; output: microseconds. */
export const Duration = z
  .union(
    [
      z.number().min(0, { error: (iss) => messages.negativeDuration(iss.input) }),
      z.string().regex(DURATION_RE, { error: (iss) => durationMessage(iss.input) }),
    ],
    { error: whenPresent(durationMessage) },
  )
  .transform((value, ctx) => {
    const r = checkDuration(value);
    if (r.ok) return r.micros;
    ctx.issues.push({ code: 'custom', message: r.message, input: value });
    return z.NEVER;
  })
  .meta({
    id: 'Duration',
    description: 'a duration: a number of milliseconds, or a string with a unit: 250us, 300ms, 1.5s, 5m, 1h',
  });

export const Count = z.number().int().min(1);

/** A whole number from 1 to `max`; above, `expected at most <max> <what> (a simulator limit), got ...`. */
export function countUpTo(max: number, what: string) {
  return Count.max(max, { error: (iss) => messages.tooMany(max, what, iss.input) });
}

export const PositiveDuration = Duration.refine((us) => us > 0, { error: messages.expectedPositiveDuration });

/** A relative weight: bounded so that any sum of them stays finite (1e308 + 1e308 is Infinity). */
export const Weight = z.number().min(0).max(1e9);

export const MAX_NAME_LENGTH = 100;

/** Names (regions, groups, nodes, alerts) appear in messages, tables and charts: a line's worth at most. */
export const Name = z
  .string()
  .min(1, { error: messages.emptyString })
  .max(MAX_NAME_LENGTH, { error: (iss) => messages.nameTooLong(MAX_NAME_LENGTH, iss.input) });

/** A data file's path, relative to the scenario (PATH_MAX). */
export const FilePath = z.string().min(1, { error: messages.emptyString }).max(4096, { error: (iss) => messages.nameTooLong(4096, iss.input) });
