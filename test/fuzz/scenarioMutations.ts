// The project's own fuzzer (issue 14): shipped scenarios with one field replaced by a hostile
// value or removed, run in-process. The property: the scenario is refused with one line (an
// InputError, which the CLI prints as one line and exit 2), or it runs, its summary has only finite
// numbers, and its history export reproduces it — the independent recount (src/checks/historyCheck.ts)
// finds every read's flags and `leader` fields, every anomaly count of the summary, its t-visibility
// curve and its leader share. Anything else — another error, a NaN, a crash, a count the history
// cannot reproduce — is a finding; every finding is kept in FOUND below as a regression case.
import fc from 'fast-check';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { ANOMALIES } from '../../src/checks/anomalies.js';
import { checkHistory } from '../../src/checks/historyCheck.js';
import { TVisibility, tVisibilityEdgesMs, type TVisibilityPoint } from '../../src/metrics/tVisibility.js';
import { simulate } from '../../src/run/pipeline.js';
import { LivelockError } from '../../src/engine/simulation.js';
import { InputError } from '../../src/text/errors.js';
import { scenarioFromDocument } from '../../src/scenario/parse.js';
import { dataFilesIn, readScenarioDocument } from '../../src/run/load.js';
import { REPO_ROOT, shippedScenarios } from '../helpers/sim.js';

/** Values that broke, or could break, a field somewhere. */
export const HOSTILE: readonly unknown[] = [
  0, -1, 0.5, 1e-9, 3, 1e9, 1e308, -1e308, 9007199254740993, '1e400ms', '0us', '0.0001ms', '1e300h', '', 'NaN', 'x', '-5s',
  null, true, [], {}, { dist: 'constant', value: 1e308 }, { zipf: 50 }, 'a\u202eb', 'x'.repeat(5000),
];

type Doc = Record<string, unknown>;

/**
 * What the fuzzer mutates: every shipped scenario, and the bases in test/fuzz/bases — scenarios that
 * combine features no shipped one does (every kind of fault with stalls, say), so that one mutated
 * field reaches those combinations too.
 */
export function fuzzBases(): string[] {
  const dir = join(REPO_ROOT, 'test', 'fuzz', 'bases');
  const bases = readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => join(dir, name));
  return [...shippedScenarios(), ...bases];
}

/** Every path to a leaf or a container of `doc`, as keys and indices. */
function paths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (prefix.length > 0) out.push(prefix);
  if (Array.isArray(value)) value.forEach((item, i) => paths(item, [...prefix, i], out));
  else if (typeof value === 'object' && value !== null) for (const [key, item] of Object.entries(value)) paths(item, [...prefix, key], out);
  return out;
}

export interface Mutation {
  scenario: string;
  path: (string | number)[];
  /** The value put there; undefined: the field is removed. */
  value: unknown;
}

/**
 * Applies mutations, in turn, to a fresh copy of the first one's scenario (the others' paths are
 * taken in it; one whose path a former mutation removed is skipped), and shortens the run (unless a
 * mutation is of the run's length).
 */
export function mutated(...mutations: Mutation[]): Doc {
  const file = fuzzBases().find((path) => basename(path) === mutations[0]!.scenario)!;
  const doc = structuredClone(readScenarioDocument(file)) as Doc;
  doc['duration'] = '2s';
  doc['warmup'] = '500ms';
  for (const mutation of mutations) {
    let parent: unknown = doc;
    for (const key of mutation.path.slice(0, -1)) parent = typeof parent === 'object' && parent !== null ? (parent as Record<string | number, unknown>)[key] : undefined;
    if (typeof parent !== 'object' || parent === null) continue;
    const container = parent as Record<string | number, unknown>;
    const last = mutation.path[mutation.path.length - 1]!;
    if (mutation.value === undefined) {
      if (Array.isArray(container)) container.splice(Number(last), 1);
      else delete container[last];
    } else container[last] = structuredClone(mutation.value);
  }
  return doc;
}

/** `count` mutations of one fuzz base (a shipped scenario or test/fuzz/bases), drawn by fast-check. */
export function mutationsArbitrary(count: number): fc.Arbitrary<Mutation[]> {
  const scenarios = fuzzBases().map((path) => ({ name: basename(path), paths: paths(readScenarioDocument(path)) }));
  return fc.constantFrom(...scenarios).chain(({ name, paths: all }) =>
    fc.array(
      fc.record({
        scenario: fc.constant(name),
        path: fc.constantFrom(...all),
        value: fc.oneof(fc.constantFrom(...HOSTILE), fc.constant(undefined)),
      }),
      { minLength: count, maxLength: count },
    ),
  );
}

/** One mutation of one fuzz base. */
export function mutationArbitrary(): fc.Arbitrary<Mutation> {
  return mutationsArbitrary(1).map(([mutation]) => mutation!);
}

/** Every number of a summary is finite (JSON would turn NaN and Infinity into null: look before). */
function allFinite(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(allFinite);
  if (typeof value === 'object' && value !== null) return Object.values(value).every(allFinite);
  return true;
}

/**
 * The fuzzer's work budget (lagsim --max-operations): every run it lets through is seconds long, so
 * the time bound of the property is the budget's, and a mutation that asks for more must be refused.
 */
export const FUZZ_MAX_OPERATIONS = 2_000_000;

/** The property: one line of refusal, or a run with finite figures. Returns what went wrong, or null. */
export function violation(...mutations: Mutation[]): string | null {
  const doc = mutated(...mutations);
  const dir = mkdtempSync(join(tmpdir(), 'lagsim-fuzz-'));
  try {
    const scenario = scenarioFromDocument(doc, 'fuzz.yaml', dataFilesIn(REPO_ROOT), [], FUZZ_MAX_OPERATIONS);
    const historyPath = join(dir, 'history.jsonl');
    const { summary, simulator } = simulate(scenario, { historyPath });
    if (!allFinite(summary)) return 'a summary with a non-finite number';
    const inFlight = simulator.operationsInFlight();
    if (inFlight > 0) return `${inFlight} operations still in flight when the run ended (their sessions stopped)`;
    const recountedCurve = new TVisibility(tVisibilityEdgesMs(scenario.report?.tVisibility));
    const recount = checkHistory(readFileSync(historyPath, 'utf8'), historyPath, (tUs, sawIt) => recountedCurve.record(tUs, sawIt));
    if (recount.mismatches.length > 0) return `the history's flags disagree with its recount at ${recount.mismatches.length} reads (line ${recount.mismatches[0]!.line} first)`;
    if (recount.leaderMismatches.length > 0) return `the history's leader fields disagree with its writes at ${recount.leaderMismatches.length} key-reads (line ${recount.leaderMismatches[0]!.line} first)`;
    for (const name of ANOMALIES) {
      const [ours, theirs] = [summary.anomalies[name], recount.counts[name]];
      if (ours.violations !== theirs.violations || ours.eligible !== theirs.eligible || ours.keyReads !== theirs.keyReads) {
        return `${name}: the summary counts ${ours.violations}/${ours.eligible}/${ours.keyReads}, its history ${theirs.violations}/${theirs.eligible}/${theirs.keyReads}`;
      }
    }
    const curve = (points: readonly TVisibilityPoint[]): string => points.map((p) => `${p.fromMs}:${p.visible}/${p.keyReads}`).join(' ');
    const [ours, theirs] = [curve(summary.tVisibility), curve(recountedCurve.points())];
    if (ours !== theirs) return `t-visibility: the summary has ${ours}, its history ${theirs}`;
    const keyReads = recount.counts.stale.keyReads;
    const leaderShare = keyReads === 0 ? null : recount.leaderKeyReads / keyReads;
    if (leaderShare !== summary.costs.leaderShare) return `leader share: the summary has ${summary.costs.leaderShare}, its history ${leaderShare}`;
    return null;
  } catch (error) {
    if (error instanceof InputError) {
      const line = error.format();
      return line.includes('\n') || line.length > 600 ? `a refusal that is not one short line: ${JSON.stringify(line.slice(0, 200))}` : null;
    }
    if (error instanceof LivelockError) return null;
    return `${error instanceof Error ? error.constructor.name : typeof error}: ${String(error instanceof Error ? error.message : error).slice(0, 300)}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Findings of earlier fuzz runs, kept as regression cases (each once failed, now refused or run). */
export const FOUND: readonly Mutation[] = [
  { scenario: 'ghost-post.yaml', path: ['warmup'], value: '1e400ms' },
  { scenario: 'ghost-post.yaml', path: ['duration'], value: 1e308 },
  { scenario: 'ghost-post.yaml', path: ['cluster', 'replicas', 0, 'lag'], value: { dist: 'constant', value: 1e308 } },
  { scenario: 'ghost-post.yaml', path: ['clients', 0, 'think'], value: '0.0001ms' },
  { scenario: 'ghost-post.yaml', path: ['name'], value: 'a\u202eb' },
  { scenario: 'black-friday.yaml', path: ['clients', 0, 'rate'], value: 1e9 },
  { scenario: 'qa-shards.yaml', path: ['warmup'], value: 1e9 },
  { scenario: 'ghost-post.yaml', path: ['cluster', 'replicas', 0, 'apply'], value: { dist: 'pareto', shape: 0.05, scale: '1ms' } },
  { scenario: 'qa-shards.yaml', path: ['cluster', 'replicas', 0, 'region'], value: 'x'.repeat(5000) },
  // A leader service of months: the lag level was stepped to the commit hold by hold (10^7 steps).
  { scenario: 'ghost-post.yaml', path: ['cluster', 'leader', 'service'], value: { dist: 'constant', value: 1e10 } },
  {
    scenario: 'ghost-post.yaml',
    path: ['cluster', 'replicas', 0, 'lag'],
    value: { dist: 'mixture', of: [{ weight: 1e308, dist: 'constant', value: 1 }, { weight: 1e308, dist: 'constant', value: 2 }] },
  },
  // A partition for ever cut the log off a replica with stalls: its apply start was stepped past
  // stall after stall towards infinity (a hang).
  { scenario: 'every-feature.yaml', path: ['faults', 'events', 4, 'for'], value: undefined },
  // A lag scrape every 0.1 µs: 2·10^8 scrapes of 20 s, outside the work budget (minutes).
  { scenario: 'every-feature.yaml', path: ['monitor', 'every'], value: '0.0001ms' },
];
