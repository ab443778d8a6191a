/**
 * What `npm run results` runs for each shipped scenario (and what the regeneration test reruns):
 * `lagsim sweep <file> <args> --out results/<file name>/`. Every scenario compares all strategies
 * on seeds 1..3; a few sweep the parameter their story is about instead. Runs keep the scenario's
 * own duration, capped at MAX_DURATION so that CI can regenerate everything.
 */
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { loadScenario } from '../src/run/load.js';

export const RESULTS_DIR = 'results';
export const SCENARIOS_DIR = 'scenarios';
export const SEEDS = '1..3';
export const ALL_STRATEGIES = 'strategy.name=none,pin,fallback,token,sticky';
/** Longer scenarios are cut to this (µs) for their committed results; the report says so in its --set list. */
export const MAX_DURATION_US = 10 * 60 * 1_000_000;
export const MAX_DURATION = '10m';

/** The sweep of each scenario whose story is about one parameter (by file name without .yaml). */
const SWEEPS: Record<string, string[]> = {
  'ghost-post': ['--vary', 'cluster.replicas.0.lag.median=100ms,300ms,600ms', '--vary', ALL_STRATEGIES],
  'github-push': ['--vary', 'strategy.window=250ms,500ms,1s,2s,4s'],
};

export interface ResultsRun {
  /** Scenario file, relative to the project root. */
  file: string;
  /** Output folder, relative to the project root. */
  out: string;
  /** Arguments after `lagsim sweep <file>`, without --out. */
  args: string[];
}

export function resultsPlan(root: string): ResultsRun[] {
  const files = readdirSync(join(root, SCENARIOS_DIR))
    .filter((name) => /\.(ya?ml|json)$/.test(name))
    .sort();
  return files.map((name) => {
    const stem = basename(name).replace(/\.(ya?ml|json)$/, '');
    const file = `${SCENARIOS_DIR}/${name}`;
    const args = [...(SWEEPS[stem] ?? ['--vary', ALL_STRATEGIES]), '--seeds', SEEDS];
    const scenario = loadScenario(join(root, file));
    if (scenario.duration > MAX_DURATION_US) args.push('--duration', MAX_DURATION);
    return { file, out: `${RESULTS_DIR}/${stem}`, args };
  });
}
