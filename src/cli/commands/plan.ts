/**
 * `lagsim plan FILE --slo 'ryw<0.001,readP99<50ms,leaderUtil<0.7' --vary PATH=V1,V2 ...`: runs every
 * configuration of the searched space on every seed and prints the cheapest that meet every SLO,
 * with the margin of each. Cost is the number of nodes, then the busiest leader's utilisation.
 */
import { join } from 'node:path';
import { pointValues } from '../../report/grid.js';
import { OutputSet } from '../../report/outputSet.js';
import { planChart, type PlanPoint } from '../../report/charts/planChart.js';
import { table } from '../../report/format.js';
import { compileChart, renderSvg } from '../../report/render.js';
import type { RunSummary } from '../../report/summary.js';
import type { TaskRecord, Vary } from '../../report/sweepData.js';
import { InputError } from '../../text/errors.js';
import { ExitCode } from '../../text/exitCodes.js';
import { LAGSIM_VERSION } from '../../text/version.js';
import { messages } from '../../text/messages.js';
import { checkSlos, formatSloValue, leaderUtilisation, parseSlos, type Slo, type SloCheck } from '../../run/plan/slo.js';
import { defaultOutputFolder } from '../defaultOutput.js';
import { checkOutputFolder } from '../../run/outputPaths.js';
import type { RunContext } from '../../text/reproduce.js';
import { defineSweep, executeSweep, parseJobs, splitRecords } from '../../run/sweep/execute.js';
import { checkVaries, parseVary } from '../../run/sweep/grid.js';
import { parseSeeds } from '../../run/sweep/seeds.js';
import { WHOLE } from '../../run/sweep/shard.js';
import { flagOverrides } from './run.js';

export interface PlanOptions {
  slo: string;
  vary: string[];
  seeds?: string;
  set: string[];
  duration?: string;
  jobs?: string;
  out?: string;
  top?: string;
  json?: boolean;
}

export interface PlanRow {
  point: number;
  values: Record<string, string>;
  nodes: number;
  leaderUtil: number;
  feasible: boolean;
  checks: SloCheck[];
}

const PLAN_FILES = ['plan.json', 'plan.vl.json', 'plan.svg'];

/**
 * `--slo`: like --strategies, a list without empty items, and each metric once (two limits on one
 * metric are a typo or a contradiction).
 */
export function parseSloList(text: string): Slo[] {
  const items = text.split(',').map((item) => item.trim());
  if (items.some((item) => item === '') && items.some((item) => item !== '')) {
    throw new InputError('--slo', undefined, messages.sloEmptyItem(text));
  }
  const slos = parseSlos(text);
  const seen = new Set<string>();
  for (const slo of slos) {
    if (seen.has(slo.metric)) throw new InputError('--slo', undefined, messages.sloDuplicate(slo.metric));
    seen.add(slo.metric);
  }
  return slos;
}

/** Feasible first, then fewer nodes, then a less loaded leader, then grid order. */
export function rankPlan(rows: readonly PlanRow[]): PlanRow[] {
  return [...rows].sort(
    (a, b) => Number(b.feasible) - Number(a.feasible) || a.nodes - b.nodes || a.leaderUtil - b.leaderUtil || a.point - b.point,
  );
}

export async function planCommand(file: string, options: PlanOptions, context: RunContext): Promise<ExitCode> {
  if (options.seeds !== undefined) context.seeds = options.seeds;
  const slos = parseSloList(options.slo);
  const set = flagOverrides({ set: options.set, ...(options.duration !== undefined ? { duration: options.duration } : {}) });
  context.overrides = set;
  if (options.vary.length === 0) throw new InputError('--vary', undefined, messages.planNeedsVary);
  const varies = options.vary.map(parseVary);
  checkVaries(varies);
  const top = options.top === undefined ? 5 : Number(options.top);
  if (!Number.isInteger(top) || top < 1) throw new InputError('--top', undefined, messages.expectedTop(options.top));
  const seeds = options.seeds === undefined ? (scenarioSeed: number) => [scenarioSeed] : parseSeeds(options.seeds);
  const definition = defineSweep(file, set, varies, seeds, 'none');
  const name = definition.spec.scenario.name;
  const outGiven = options.out ?? defaultOutputFolder(name, 'plan');
  const out = checkOutputFolder('--out', outGiven, PLAN_FILES);
  const executed = await executeSweep(definition, {
    jobs: parseJobs(options.jobs),
    shard: WHOLE,
    out: null,
    progressLabel: `plan ${definition.spec.scenario.name}`,
  });
  const { runs } = splitRecords(executed.run.records);
  const rows = planRows(runs, slos, varies);
  const ranked = rankPlan(rows);
  const seedList = [...new Set(runs.map((record) => record.seed))];
  const report = planReport(name, slos, seedList, varies, ranked);
  await writePlanFiles(out, report, planChart(planPoints(rows, ranked), varies.map((vary) => vary.path), name));
  if (options.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    process.stderr.write(`wrote ${outGiven}: plan.json, plan.vl.json, plan.svg\n`);
    return ExitCode.ok;
  }
  const lines: string[] = [];
  lines.push(`plan · ${name} · ${rows.length} configurations × ${seedList.length} seed(s) · SLOs: ${slos.map((slo) => slo.text).join(', ')}`);
  lines.push('anomaly SLOs bound the upper end of the 95% interval among eligible key-reads; cost = nodes, then leader utilisation');
  lines.push('');
  lines.push(...rankingLines(rows, ranked, slos, top));
  lines.push('');
  lines.push(`wrote ${outGiven}: plan.json, plan.vl.json, plan.svg (the feasible region)`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return ExitCode.ok;
}

/** One row per grid point: its values, cost and each SLO's check over its seeds. */
function planRows(runs: readonly TaskRecord[], slos: readonly Slo[], varies: readonly Vary[]): PlanRow[] {
  const byPoint = new Map<number, RunSummary[]>();
  for (const record of runs) {
    const list = byPoint.get(record.point) ?? [];
    list.push(record.summary);
    byPoint.set(record.point, list);
  }
  return [...byPoint.entries()]
    .sort(([a], [b]) => a - b)
    .map(([point, summaries]) => {
      const checks = checkSlos(slos, summaries);
      const values = Object.fromEntries(varies.map((vary, i) => [vary.path, pointValues(varies, point)[i]!]));
      return {
        point,
        values,
        nodes: summaries[0]!.nodes.length,
        leaderUtil: summaries.reduce((sum, run) => sum + leaderUtilisation(run), 0) / summaries.length,
        feasible: checks.every((check) => check.met),
        checks,
      };
    });
}

/** plan.json: the ranking with every SLO's value and margin. */
function planReport(name: string, slos: readonly Slo[], seeds: readonly number[], varies: readonly Vary[], ranked: readonly PlanRow[]) {
  return {
    lagsim: LAGSIM_VERSION,
    scenario: name,
    slos: slos.map((slo) => slo.text),
    seeds,
    vary: varies,
    ranked: ranked.map((row) => ({
      configuration: row.values,
      feasible: row.feasible,
      nodes: row.nodes,
      leaderUtilisation: row.leaderUtil,
      slos: row.checks.map((check) => ({ slo: check.slo.text, value: check.value, margin: check.margin, met: check.met })),
    })),
  };
}

function planPoints(rows: readonly PlanRow[], ranked: readonly PlanRow[]): PlanPoint[] {
  return rows.map((row) => ({
    values: row.values,
    feasible: row.feasible,
    nodes: row.nodes,
    leaderUtil: row.leaderUtil,
    violated: row.checks.filter((check) => !check.met).map((check) => check.slo.text).join(', ') || 'none',
    cheapest: row.feasible && row === ranked[0],
  }));
}

/** All three files or none: plan.svg is rendered before any is in place. */
async function writePlanFiles(out: string, report: object, spec: ReturnType<typeof planChart>): Promise<void> {
  const outputs = new OutputSet();
  try {
    const svg = await renderSvg(compileChart(spec).vega);
    outputs.write(join(out, 'plan.json'), `${JSON.stringify(report, null, 2)}\n`);
    outputs.write(join(out, 'plan.vl.json'), `${JSON.stringify(spec, null, 2)}\n`);
    outputs.write(join(out, 'plan.svg'), svg);
    outputs.commit();
  } catch (error) {
    outputs.abort();
    throw error;
  }
}

/** The table of the cheapest feasible configurations, or of the closest when none is feasible. */
function rankingLines(rows: readonly PlanRow[], ranked: readonly PlanRow[], slos: readonly Slo[], top: number): string[] {
  const feasible = ranked.filter((row) => row.feasible);
  const describe = (row: PlanRow): string => Object.entries(row.values).map(([path, value]) => `${path}=${value}`).join(', ');
  const header = ['', 'configuration', 'nodes', 'leader util', ...slos.map((slo) => `${slo.metric} ${slo.inclusive ? '≤' : '<'} ${formatSloValue(slo.metric, slo.limit)} (margin)`)];
  const line = (row: PlanRow, rank: string): string[] => [
    rank,
    describe(row),
    String(row.nodes),
    `${(row.leaderUtil * 100).toFixed(1)}%`,
    ...row.checks.map(
      (check) =>
        `${formatSloValue(check.slo.metric, check.value)} (${check.margin >= 0 ? '+' : '−'}${formatSloValue(check.slo.metric, Math.abs(check.margin))}${check.met ? '' : check.metOnlyAsSeen ? ' ✗*' : ' ✗'})`,
    ),
  ];
  // A footnote for ✗*, when a shown row has one (only rows that miss an SLO can).
  const footnote = (shown: readonly PlanRow[]): string[] => (shown.some((row) => row.checks.some((check) => check.metOnlyAsSeen)) ? [messages.planMetOnlyAsSeen] : []);
  if (feasible.length === 0) {
    const closest = [...rows].sort((a, b) => a.checks.filter((c) => !c.met).length - b.checks.filter((c) => !c.met).length || a.point - b.point);
    const shown = closest.slice(0, top);
    return ['no configuration meets every SLO; the closest (fewest SLOs missed):', table([header, ...shown.map((row, i) => line(row, String(i + 1)))]), ...footnote(shown)];
  }
  const shown = feasible.slice(0, top);
  return [
    `cheapest configurations that meet every SLO (${feasible.length} of ${rows.length} do):`,
    table([header, ...shown.map((row, i) => line(row, String(i + 1)))]),
  ];
}
