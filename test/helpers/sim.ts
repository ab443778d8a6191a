// Shared helpers for the simulator tests: the repository root, running a scenario given as a plain
// object, and the Wilson interval test of a simulated rate against a closed form.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Anomaly } from '../../src/checks/anomalies.js';
import { simulate, type SimulationResult } from '../../src/run/pipeline.js';
import { wilson } from '../../src/metrics/wilson.js';
import type { RunSummary } from '../../src/report/summary.js';
import { scenarioFromDocument } from '../../src/scenario/parse.js';
import { dataFilesIn } from '../../src/run/load.js';

/** The repository root: the nearest folder above this file with package.json and scenarios/ (works from test/ and dist/test/). */
export const REPO_ROOT: string = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'scenarios'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`repository root not found above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
})();

export const SCENARIOS_DIR = join(REPO_ROOT, 'scenarios');
export const BIN = join(REPO_ROOT, 'bin', 'lagsim.js');
/** The worked histories that ship with the documentation (docs/examples/histories/README.md). */
export const EXAMPLE_HISTORIES_DIR = join(REPO_ROOT, 'docs', 'examples', 'histories');
/**
 * The contract's own examples, present only where the spec is checked out beside the repository;
 * tests that read it are extra cross-checks and skip, saying so, when it is absent.
 */
export const SPEC_EXAMPLES_DIR = join(REPO_ROOT, '..', 'shared', 'spec', 'examples');

/** Every scenario file shipped in scenarios/ (listed, so files added later are picked up). */
export function shippedScenarios(): string[] {
  return readdirSync(SCENARIOS_DIR)
    .filter((name) => /\.(ya?ml|json)$/i.test(name))
    .sort()
    .map((name) => join(SCENARIOS_DIR, name));
}

/** Validates a scenario given as a plain object (as a parsed file) and simulates it. */
export function run(raw: unknown, overrides: string[] = [], historyPath?: string): SimulationResult {
  const scenario = scenarioFromDocument(raw, 'test', dataFilesIn(REPO_ROOT), overrides);
  return simulate(scenario, historyPath === undefined ? {} : { historyPath });
}

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempDir(prefix = 'lagsim-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** violations / key-reads of one anomaly, with its counts (for messages). */
export function rateOf(summary: RunSummary, anomaly: Anomaly): { violations: number; n: number; rate: number } {
  const a = summary.anomalies[anomaly];
  return { violations: a.violations, n: a.keyReads, rate: a.keyReads === 0 ? NaN : a.violations / a.keyReads };
}

/** z of a two-sided 99.9% interval, for checks that share one random stream (and so fail together). */
export const Z_999 = 3.2905267314919255;

/**
 * Asserts that `expected` lies in the 95% (or, with `z`, another) Wilson interval of `violations`
 * out of `n`, and that the sample is large enough to mean something (`minN`).
 */
export function assertInWilson(violations: number, n: number, expected: number, what: string, minN = 500, z?: number): void {
  assert.ok(n >= minN, `${what}: only ${n} samples (want at least ${minN})`);
  const interval = wilson(violations, n, z)!;
  assert.ok(
    interval.low <= expected && expected <= interval.high,
    `${what}: closed form ${expected.toFixed(4)} outside the simulation's ${z === undefined ? '95%' : `z = ${z.toFixed(2)}`} interval ` +
      `[${interval.low.toFixed(4)}, ${interval.high.toFixed(4)}] (${violations}/${n} = ${(violations / n).toFixed(4)})`,
  );
}

/** Asserts that `value` lies outside the 95% Wilson interval (the test can tell two closed forms apart). */
export function assertOutsideWilson(violations: number, n: number, value: number, what: string): void {
  const interval = wilson(violations, n)!;
  assert.ok(
    value < interval.low || value > interval.high,
    `${what}: ${value.toFixed(4)} should lie outside [${interval.low.toFixed(4)}, ${interval.high.toFixed(4)}]`,
  );
}
