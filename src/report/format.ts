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

/** Milliseconds with a 95% interval, when there is one. */
export function msWithInterval(value: number, interval: Interval | null | undefined): string {
  return interval ? `${ms(value)} [${ms(interval.low)}, ${ms(interval.high)}]` : ms(value);
}

/** Pads cells into aligned columns; the first column left-aligned, the others right-aligned. */
export function table(rows: string[][], indent = '  '): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows
    .map((row) => indent + row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '))
    .join('\n');
}
