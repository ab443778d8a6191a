/** How reports name a list of seeds. */

/** `1..20` for consecutive seeds, else the list; how reports name the seeds. */
export function formatSeeds(seeds: readonly number[]): string {
  if (seeds.length === 0) return '';
  const consecutive = seeds.every((seed, i) => i === 0 || seed === seeds[i - 1]! + 1);
  if (consecutive && seeds.length > 2) return `${seeds[0]}..${seeds[seeds.length - 1]}`;
  return seeds.join(',');
}
