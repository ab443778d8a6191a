/**
 * JSON for people and diffs: indented like JSON.stringify(v, null, 2), except that an object or
 * array that fits on one line within `width` characters is written on one line (so a chart's data
 * rows and a series of numbers do not take one line per number). Parses back to the same value.
 */
export function prettyJson(value: unknown, width = 100): string {
  return `${format(value, '', width)}\n`;
}

function format(value: unknown, indent: string, width: number): string {
  const flat = JSON.stringify(value);
  if (flat === undefined) return 'null';
  if (typeof value !== 'object' || value === null) return flat;
  if (indent.length + flat.length <= width) return spaced(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((item) => typeof item === 'number' || item === null)) return wrapNumbers(value as (number | null)[], indent, width);
    return `[\n${value.map((item) => inner + format(item, inner, width)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined && typeof v !== 'function');
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${format(v, inner, width)}`).join(',\n')}\n${indent}}`;
}

/** One-line JSON with a space after ':' and ',' (outside strings). */
function spaced(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : spaced(item))).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined && typeof v !== 'function');
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${spaced(v)}`).join(', ')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A long list of numbers, several to a line. */
function wrapNumbers(values: readonly (number | null)[], indent: string, width: number): string {
  const inner = `${indent}  `;
  const lines: string[] = [];
  let line = '';
  for (const v of values) {
    const text = JSON.stringify(v);
    if (line !== '' && inner.length + line.length + text.length + 2 > width) {
      lines.push(line);
      line = '';
    }
    line = line === '' ? text : `${line}, ${text}`;
  }
  if (line !== '') lines.push(line);
  return `[\n${lines.map((l) => inner + l).join(',\n')}\n${indent}]`;
}
