import type { Interval } from '../metrics/wilson.js';

/** A count with thousands separators (fixed locale so output does not depend on the machine). */
export function count(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A proportion as a percentage with enough digits to show small rates. */
export function percent(p: number | null, digits = 3): string {
  if (p === null) return '—';
  return `${(p * 100).toFixed(digits)}%`;
}

/** A rate with its 95% interval; a rate whose interval was withheld (too little data to trust one) says so. */
export function percentWithInterval(p: number | null, interval: Interval | null, digits = 3): string {
  if (p === null) return '—';
  if (interval === null) return `${percent(p, digits)} [no interval]`;
  return `${percent(p, digits)} [${percent(interval.low, digits)}, ${percent(interval.high, digits)}]`;
}

export function ms(value: number): string {
  return value.toFixed(1);
}

/** A statistic of `count` values in milliseconds; `—` when there are none (its 0 would read as a measurement). */
export function msOf(value: number, count: number): string {
  return count === 0 ? '—' : ms(value);
}

/**
 * Milliseconds with a 95% interval, when there is one; `[no interval]`, as a rate's, when the interval
 * was withheld (`withheld` is the reason, which the table prints under it with `noIntervalLine`).
 */
export function msWithInterval(value: number, interval: Interval | null | undefined, withheld?: string): string {
  if (interval) return `${ms(value)} [${ms(interval.low)}, ${ms(interval.high)}]`;
  return withheld === undefined ? ms(value) : `${ms(value)} [no interval]`;
}

/** The line under a table that says why a figure in it shows `[no interval]` (docs/statistics.md). */
export function noIntervalLine(what: string, reason: string): string {
  return `  no interval for ${what}: ${reason}`;
}

/** Pads cells into aligned columns; the first column left-aligned, the others right-aligned. */
export function table(rows: string[][], indent = '  '): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows
    .map((row) => indent + row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '))
    .join('\n');
}
