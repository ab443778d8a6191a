/**
 * index.html: the whole sweep on one self-contained page — the scenario, the tables and the charts
 * (inline SVG) — that opens offline and makes no request: no script, no external style, font or
 * image, and a Content-Security-Policy that forbids loading anything should a future edit try.
 */
import { ANOMALIES } from '../checks/anomalies.js';
import { count, ms, msWithInterval, percent, percentWithInterval } from './format.js';
import { formatSeeds } from './seedsText.js';
import { ANOMALY_TITLES } from './summaryTable.js';
import type { SweepResult } from './sweepResult.js';
import {
  anomalyFigures,
  intervalsWithheld,
  LEADER_SHARE_FIGURE,
  PAIRED_ONE_SEED,
  pairedWithheld,
  pointColumns,
  READ_P99_FIGURE,
  signedMs,
  signedPoints,
  simulatedTime,
  strategyOptionsNote,
  WRITE_P99_FIGURE,
  type PointFigure,
} from './sweepTable.js';
import type { SweepSpec } from './sweepData.js';

export interface RenderedChart {
  name: string;
  title: string;
  caption: string;
  svg: string;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function shellQuote(argument: string): string {
  return /^[\w@%+=:,./-]+$/.test(argument) ? argument : `'${argument.replace(/'/g, `'\\''`)}'`;
}

/** The command that reruns this sweep (whole, unsharded). */
export function sweepCommand(spec: SweepSpec): string {
  const parts = ['npx', 'lagsim', spec.command ?? 'sweep', shellQuote(spec.scenario.file)];
  for (const assignment of spec.set) parts.push('--set', shellQuote(assignment));
  if (spec.command === 'compare') {
    const strategies = spec.vary[0]?.values ?? [];
    parts.push('--strategies', shellQuote(strategies.join(',')));
  } else {
    for (const vary of spec.vary) parts.push('--vary', shellQuote(`${vary.path}=${vary.values.join(',')}`));
  }
  parts.push('--seeds', formatSeeds(spec.seeds));
  if (spec.baseline !== 'none') parts.push('--baseline', spec.baseline);
  return parts.join(' ');
}

/**
 * Makes an SVG's ids unique within the page (several inline SVGs may each have a `clip1`), by
 * prefixing every id and every reference to one.
 */
export function scopeSvgIds(svg: string, prefix: string): string {
  return svg
    .replace(/\bid="([^"]+)"/g, (_, id: string) => `id="${prefix}-${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${prefix}-${id})`)
    .replace(/href="#([^"]+)"/g, (_, id: string) => `href="#${prefix}-${id}"`);
}

function cells(tag: 'td' | 'th', values: readonly string[], numericFrom: number): string {
  return values.map((v, i) => `<${tag}${i >= numericFrom ? ' class="num"' : ''}>${escapeHtml(v)}</${tag}>`).join('');
}

function htmlTable(header: readonly string[], rows: readonly string[][], leading: number): string {
  return [
    '<div class="scroll"><table>',
    `<thead><tr>${cells('th', header, leading)}</tr></thead>`,
    '<tbody>',
    ...rows.map((row) => `<tr>${cells('td', row, leading)}</tr>`),
    '</tbody></table></div>',
  ].join('\n');
}

function tables(result: SweepResult): string {
  const { header, cells: values } = pointColumns(result);
  const lead = header.length;
  const parts: string[] = [];
  parts.push('<h3>Anomalies</h3>');
  parts.push(
    `<p class="note">Share of key-reads that broke each guarantee${result.spec.seeds.length > 1 ? ', pooled over all seeds' : ''}, with 95% intervals (${result.spec.seeds.length > 1 ? 'the seeds as independent replications' : 'batch means over simulated time'}; see docs/statistics.md); “among eligible” counts only the reads where the guarantee could have been broken.</p>`,
  );
  parts.push(
    htmlTable(
      [...header, ...ANOMALIES.map((a) => ANOMALY_TITLES[a])],
      result.points.map((p) => [...values(p), ...ANOMALIES.map((a) => percentWithInterval(p.anomalies[a].rate, p.anomalies[a].rateInterval))]),
      lead,
    ),
  );
  parts.push(...withheldNotes(result, anomalyFigures(false)));
  parts.push(
    htmlTable(
      [...header, ...ANOMALIES.map((a) => `${ANOMALY_TITLES[a]} among eligible`)],
      result.points.map((p) => [
        ...values(p),
        ...ANOMALIES.map((a) => percentWithInterval(p.anomalies[a].rateEligible, p.anomalies[a].rateEligibleInterval)),
      ]),
      lead,
    ),
  );
  parts.push(...withheldNotes(result, anomalyFigures(true)));
  parts.push('<h3>Costs</h3>');
  parts.push('<p class="note">Counts summed over seeds; latency percentiles are the mean over seeds of each run’s percentile. Brackets: 95% intervals (seeds as replications; one seed: the run’s own batch means or sections).</p>');
  parts.push(
    htmlTable(
      [...header, 'leader share', 'read p50 ms', 'read p90 ms', 'read p99 ms', 'read p99.9 ms', 'write p99 ms', 'waits/read', 'redirects/read', 'reads', 'failed reads'],
      result.points.map((p) => [
        ...values(p),
        percentWithInterval(p.costs.leaderShare, p.costs.leaderShareInterval, 2),
        ms(p.costs.readLatencyMs.p50),
        ms(p.costs.readLatencyMs.p90),
        msWithInterval(p.costs.readLatencyMs.p99, p.costs.readLatencyMs.p99Interval, p.costs.readLatencyMs.p99IntervalWithheld),
        ms(p.costs.readLatencyMs.p999),
        msWithInterval(p.costs.writeLatencyMs.p99, p.costs.writeLatencyMs.p99Interval, p.costs.writeLatencyMs.p99IntervalWithheld),
        percent(p.costs.waitsPerRead, 2),
        percent(p.costs.redirectsPerRead, 2),
        count(p.costs.reads),
        count(p.costs.failedReads),
      ]),
      lead,
    ),
  );
  parts.push(...withheldNotes(result, [LEADER_SHARE_FIGURE, READ_P99_FIGURE, WRITE_P99_FIGURE]));
  const compared = result.points.filter((p) => p.versus !== null);
  if (compared.length > 0) {
    const base = escapeHtml(result.spec.baseline);
    parts.push(`<h3>Paired differences against ${base}</h3>`);
    parts.push(
      `<p class="note">Per seed, this strategy’s figure minus ${base}’s on the same seed (same workload, same lag draws), averaged over seeds, with a 95% Student-t interval; pp = percentage points. An interval that excludes 0 is a real difference.</p>`,
    );
    parts.push(
      htmlTable(
        [...header, ...ANOMALIES.map((a) => ANOMALY_TITLES[a]), 'leader share', 'read p99'],
        compared.map((p) => [
          ...values(p),
          ...ANOMALIES.map((a) => signedPoints(p.versus!.anomalies[a])),
          signedPoints(p.versus!.leaderShare, 2),
          signedMs(p.versus!.readP99Ms),
        ]),
        lead,
      ),
    );
    if (compared.some((p) => pairedWithheld(p.versus!))) parts.push(noIntervalNote('the paired differences', PAIRED_ONE_SEED));
  }
  return parts.join('\n');
}

/** Under a table, why each figure that shows `[no interval]` has none (the text tables' lines). */
function withheldNotes(result: SweepResult, figures: readonly PointFigure[]): string[] {
  return intervalsWithheld(result, figures).map(({ what, reason }) => noIntervalNote(what, reason));
}

function noIntervalNote(what: string, reason: string): string {
  return `<p class="note">No interval for ${escapeHtml(what)}: ${escapeHtml(reason)}.</p>`;
}

const STYLE = `
:root { color-scheme: light; }
body { font: 15px/1.5 Helvetica, Arial, sans-serif; color: #1d1d1f; margin: 0 auto; padding: 24px; max-width: 1280px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 32px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
h3 { font-size: 16px; margin: 20px 0 6px; }
.meta, .note { color: #555; font-size: 13px; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; margin: 6px 0 14px; font-size: 13px; }
th, td { padding: 4px 10px; border-bottom: 1px solid #e4e4e4; text-align: left; white-space: nowrap; }
th { background: #f5f5f7; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
pre, code { font: 12.5px/1.45 Menlo, Consolas, monospace; }
pre { background: #f5f5f7; padding: 12px; overflow-x: auto; }
figure { margin: 18px 0 30px; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: #444; font-size: 13px; max-width: 860px; margin-top: 4px; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; font-size: 14px; }
dt { color: #555; }
dd { margin: 0; }
`;

export function sweepHtml(result: SweepResult, charts: readonly RenderedChart[]): string {
  const { spec } = result;
  const e = escapeHtml;
  const runs = result.points.length * spec.seeds.length;
  const facts: [string, string][] = [
    ['scenario file', `<code>${e(spec.scenario.file)}</code>`],
    ['seeds', `${e(formatSeeds(spec.seeds))} (${spec.seeds.length} per configuration)`],
    ['grid', spec.vary.length === 0 ? 'the scenario as it is' : spec.vary.map((v) => `<code>${e(v.path)}</code> = ${e(v.values.join(', '))}`).join('<br>')],
    ['runs', `${count(runs)} (${result.points.length} grid point${result.points.length === 1 ? '' : 's'} × ${spec.seeds.length} seed${spec.seeds.length === 1 ? '' : 's'})`],
  ];
  if (spec.set.length > 0) facts.push(['overrides', spec.set.map((s) => `<code>--set ${e(s)}</code>`).join('<br>')]);
  if (result.points.some((p) => p.versus !== null)) facts.push(['baseline', e(spec.baseline)]);
  const options = strategyOptionsNote(result);
  if (options !== '') facts.push(['strategy options', e(options)]);
  facts.push(['simulated time', e(simulatedTime(result))]);
  facts.push(['lagsim', e(spec.lagsim)]);
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>lagsim · ${e(spec.scenario.name)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${e(spec.scenario.name)}</h1>`,
    spec.scenario.description ? `<p>${e(spec.scenario.description.trim())}</p>` : '',
    '<h2>Scenario</h2>',
    `<dl>${facts.map(([k, v]) => `<dt>${e(k)}</dt><dd>${v}</dd>`).join('')}</dl>`,
    `<details><summary>scenario file</summary><pre>${e(spec.scenario.text)}</pre></details>`,
    '<h2>Results</h2>',
    tables(result),
    '<h2>Charts</h2>',
    charts.length === 0 ? '<p class="note">No charts: the sweep made no reads.</p>' : '',
    ...charts.map((chart) =>
      [
        `<figure id="chart-${e(chart.name)}">`,
        scopeSvgIds(chart.svg.trim(), chart.name),
        `<figcaption><strong>${e(chart.title)}.</strong> ${e(chart.caption)} <span class="meta">(<a href="${e(chart.name)}.svg">SVG</a>, <a href="${e(chart.name)}.vl.json">Vega-Lite spec</a>)</span></figcaption>`,
        '</figure>',
      ].join('\n'),
    ),
    '<h2>Reproduce</h2>',
    `<pre>${e(sweepCommand(spec))}</pre>`,
    '<p class="note">Every figure comes from <code>runs.csv</code> (one row per run) and <code>summary.json</code> beside this page. The same scenario, seeds and lagsim version give byte-identical files.</p>',
    '</body>',
    '</html>',
    '',
  ]
    .filter((line) => line !== '')
    .join('\n');
}
