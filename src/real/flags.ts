import { messages } from '../text/messages.js';
import { checkDuration } from '../model/duration.js';
import { InputError } from '../text/errors.js';

/** A duration flag (`10s`, `250ms`): µs, rounded half-up. */
export function durationFlag(flag: string, value: string, allowZero = false): number {
  const checked = checkDuration(value);
  if (!checked.ok) throw new InputError(flag, undefined, checked.message);
  if (!allowZero && !(checked.micros > 0)) throw new InputError(flag, undefined, messages.expectedPositiveDuration);
  return Math.floor(checked.micros + 0.5);
}

export function positiveFlag(flag: string, value: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || !(number > 0)) throw new InputError(flag, undefined, messages.expectedPositive(value));
  return number;
}

export function countFlag(flag: string, value: string): number {
  const number = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !(number >= 1)) throw new InputError(flag, undefined, messages.expectedCount(value));
  return number;
}
