/**
 * PostgreSQL WAL positions (LSNs) as numbers. An LSN prints as two hex halves, `16/B374D848`; as a
 * number it is hi·2³² + lo, exact below 2⁵³ bytes of WAL (8 PiB), far beyond any real cluster.
 */
const LSN_RE = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/;

/** The LSN as a number; null for SQL NULL (a replica that has replayed nothing yet). */
export function parseLsn(text: string | null): number | null {
  if (text === null) return null;
  const match = LSN_RE.exec(text);
  if (match === null) throw new Error(`not an LSN: ${JSON.stringify(text)}`);
  return Number.parseInt(match[1]!, 16) * 2 ** 32 + Number.parseInt(match[2]!, 16);
}

export function formatLsn(lsn: number): string {
  const hi = Math.floor(lsn / 2 ** 32);
  const lo = lsn - hi * 2 ** 32;
  return `${hi.toString(16).toUpperCase()}/${lo.toString(16).toUpperCase()}`;
}
