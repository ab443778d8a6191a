import { messages } from '../text/messages.js';
import { InputError } from '../text/errors.js';

/** Microseconds per unit. */
export const UNIT_MICROS = {
  us: 1,
  µs: 1,
  ms: 1_000,
  s: 1_000_000,
  m: 60_000_000,
  h: 3_600_000_000,
} as const;

export type DurationUnit = keyof typeof UNIT_MICROS;

/**
 * A duration string: a non-negative decimal number (optionally with an exponent), optional spaces,
 * then a unit. Unit-less strings do not match (a bare number must be a YAML/JSON number).
 */
export const DURATION_PATTERN = '^\\s*(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?\\s*(?:us|µs|ms|s|m|h)\\s*$';
export const DURATION_RE = new RegExp(DURATION_PATTERN);
const PARTS_RE = /^\s*((?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*(us|µs|ms|s|m|h)\s*$/;

/** Multiplies a decimal string by 10^pow exactly (no binary rounding noise such as 1.1*1000). */
function scaleDecimal(decimal: string, pow: number): number {
  const m = /^(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(decimal);
  if (!m) return Number(decimal) * 10 ** pow;
  const [, int = '', frac = '', exp = '0'] = m;
  return Number(`${int || '0'}.${frac || '0'}e${Number(exp) + pow}`);
}

/**
 * The longest duration anything in a scenario may have (docs/scenario-format.md, "Limits"): one
 * year of simulated time. Beyond it sums and event times lose whole microseconds in double
 * precision sooner than any useful run needs them.
 */
export const MAX_DURATION_US = 365 * 24 * 3600 * 1e6;

/**
 * Checks and converts a duration to microseconds: a number is milliseconds, a string needs a unit
 * (us, µs, ms, s, m, h). The result is NOT rounded (rounding half-up happens where a time is used).
 */
export function checkDuration(input: unknown): { ok: true; micros: number } | { ok: false; message: string } {
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return { ok: false, message: messages.expectedDuration(input) };
    if (input < 0) return { ok: false, message: messages.negativeDuration(input) };
    return withinLimit(scaleDecimal(String(input), 3), input);
  }
  if (typeof input === 'string') {
    const m = PARTS_RE.exec(input);
    if (!m) {
      if (/^\s*-/.test(input) && PARTS_RE.test(input.replace(/^\s*-/, ''))) {
        return { ok: false, message: messages.negativeDuration(input) };
      }
      return { ok: false, message: messages.expectedDuration(input) };
    }
    const value = m[1] as string;
    const unit = m[2] as DurationUnit;
    let micros: number;
    if (unit === 'm') micros = scaleDecimal(value, 6) * 60;
    else if (unit === 'h') micros = scaleDecimal(value, 6) * 3600;
    else micros = scaleDecimal(value, Math.round(Math.log10(UNIT_MICROS[unit])));
    return withinLimit(micros, input);
  }
  return { ok: false, message: messages.expectedDuration(input) };
}

function withinLimit(micros: number, input: unknown): { ok: true; micros: number } | { ok: false; message: string } {
  if (!(micros <= MAX_DURATION_US)) return { ok: false, message: messages.durationTooLong(input) };
  return { ok: true, micros };
}

/**
 * A duration in microseconds (not rounded). Throws InputError (with `file` and `path` when given)
 * for a negative, NaN, unit-less or unknown-unit value.
 */
export function parseDuration(input: unknown, file = '', path?: string): number {
  const r = checkDuration(input);
  if (!r.ok) throw new InputError(file, path, r.message);
  return r.micros;
}

function trim(value: number): string {
  // Up to 3 decimals, no trailing zeros: 1.5, 0.25, 300.
  const fixed = value.toFixed(3);
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

/**
 * A duration in microseconds for people: "250 us", "300 ms", "1.5 s", "5 min", "2 h".
 * Below 1 ms in us, below 1 s in ms, below 1 min in s, below 1 h in min, else in h.
 */
export function formatDuration(micros: number): string {
  if (!Number.isFinite(micros)) return String(micros);
  const sign = micros < 0 ? '-' : '';
  const us = Math.abs(micros);
  if (us === 0) return '0 ms';
  if (us < 1_000) return `${sign}${trim(us)} us`;
  if (us < 1_000_000) return `${sign}${trim(us / 1_000)} ms`;
  if (us < 60_000_000) return `${sign}${trim(us / 1_000_000)} s`;
  if (us < 3_600_000_000) return `${sign}${trim(us / 60_000_000)} min`;
  return `${sign}${trim(us / 3_600_000_000)} h`;
}
