/**
 * "Did you mean": the known name closest to a mistyped one, or none when nothing is close. Close
 * means at most two edits (insert, delete, substitute, swap two neighbours; case ignored) and the
 * edits touch less than 60% of the name — the rule commander uses for commands and options, so
 * every suggestion lagsim makes follows one rule.
 */

/** Optimal-string-alignment distance: Levenshtein plus the swap of two adjacent characters. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[(i - 2) * cols + j - 2]! + 1);
      d[i * cols + j] = best;
    }
  }
  return d[rows * cols - 1]!;
}

/** The known name closest to `got` (the first of equals, in the order given), if any is close enough. */
export function didYouMean(got: string, known: readonly string[]): string | undefined {
  const typed = got.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of known) {
    if (name === got) continue;
    const distance = editDistance(typed, name.toLowerCase());
    const length = Math.max(typed.length, name.length);
    if (distance <= 2 && (length - distance) / length > 0.4 && distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return best;
}
