/** FNV-1a's initial state (the hash of no bytes). */
export const FNV1A32_OFFSET = 0x811c9dc5;

/**
 * FNV-1a, 32 bit, over the UTF-8 bytes of `text` (semantics.md section 1: key → shard; scenario.md:
 * the sticky ring's points). Returns an unsigned 32-bit integer.
 */
export function fnv1a32(text: string, hash: number = FNV1A32_OFFSET): number {
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (code < 0x80) {
      hash = Math.imul(hash ^ code, 0x01000193);
      continue;
    }
    // Encode the code point as UTF-8 bytes.
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    const bytes =
      code < 0x800
        ? [0xc0 | (code >> 6), 0x80 | (code & 0x3f)]
        : code < 0x10000
          ? [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
          : [0xf0 | (code >> 18), 0x80 | ((code >> 12) & 0x3f), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)];
    for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193);
  }
  return hash >>> 0;
}

/** Scratch for fnv1a32Decimal's digits (a safe integer has at most 16). */
const digits = new Uint8Array(16);

/**
 * fnv1a32(text + String(n)) from fnv1a32(text): continues the hash over the decimal digits of the
 * non-negative integer n, without building the string (a `new` key's name is its session's prefix
 * and a counter, hashed once per insert).
 */
export function fnv1a32Decimal(hashOfText: number, n: number): number {
  if (!(Number.isSafeInteger(n) && n >= 0)) throw new RangeError(`fnv1a32Decimal: expected a non-negative safe integer, got ${n}`);
  let count = 0;
  do {
    digits[count++] = n % 10;
    n = Math.floor(n / 10);
  } while (n > 0);
  let hash = hashOfText;
  while (count > 0) hash = Math.imul(hash ^ (0x30 + digits[--count]!), 0x01000193);
  return hash >>> 0;
}
