// Every chart of a sweep report: its Vega-Lite spec compiles without a warning and renders to SVG
// headlessly; the SVG is byte-stable (twice in one process and in a fresh process); the specs match
// their committed snapshots (a missing snapshot fails; UPDATE_SNAPSHOTS=1 writes them); and the data
// each chart draws is recomputed from the synthetic sweep's counts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CHARTS, type ChartSpec } from '../../src/report/charts/index.js';
import { prettyJson } from '../../src/report/prettyJson.js';
import { compileChart, chartToSvg } from '../../src/report/render.js';
import { aggregateSweep, type SweepResult } from '../../src/report/sweepResult.js';
import { REPO_ROOT, tempDir } from '../helpers/sim.js';
import { KEY_READS, LAG_VALUES, leaderShare, rywViolations, SEEDS, syntheticRecords, syntheticSpec } from './syntheticSweep.js';

const SNAPSHOTS = join(REPO_ROOT, 'test', 'report', 'snapshots');

function result(vary = true): SweepResult {
  const spec = syntheticSpec(vary);
  const { runs, lags } = syntheticRecords(spec);
  return aggregateSweep(spec, runs, lags);
}

type Row = Record<string, string | number | null>;
function rows(spec: ChartSpec): Row[] {
  return (spec as unknown as { data: { values: Row[] } }).data.values;
}

describe('chart specs', () => {
  for (const [label, sweep] of [
    ['a two-parameter sweep', result(true)],
    ['a strategy comparison', result(false)],
  ] as const) {
    for (const chart of CHARTS) {
      it(`${chart.name} (${label}) compiles without warnings and renders to a stable SVG`, async () => {
        const spec = chart.build(sweep);
        assert.ok(spec !== null, `${chart.name} has data to draw`);
        const compiled = compileChart(spec);
        assert.deepEqual(compiled.warnings, []);
        const svg = await chartToSvg(spec);
        assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
        const title = (spec as { title: { text: string } }).title.text;
        assert.ok(svg.includes(title.replace(/&/g, '&amp;').replace(/'/g, '&#39;')) || svg.includes(title), `the SVG shows the title ${title}`);
        assert.equal(await chartToSvg(spec), svg, 'rendering twice gives the same bytes');
        assert.doesNotMatch(svg, /\d{4}-\d{2}-\d{2}T|file:\/\/|\/tmp\//, 'no timestamps or paths');
      });
    }
  }

  it('match their snapshots', () => {
    const sweep = result(true);
    mkdirSync(SNAPSHOTS, { recursive: true });
    for (const chart of CHARTS) {
      const text = prettyJson(chart.build(sweep));
      const file = join(SNAPSHOTS, `${chart.name}.vl.json`);
      if (process.env['UPDATE_SNAPSHOTS'] === '1') writeFileSync(file, text);
      assert.ok(existsSync(file), `${chart.name} has no snapshot ${file} (UPDATE_SNAPSHOTS=1 to write it, then commit it)`);
      assert.equal(text, readFileSync(file, 'utf8'), `${chart.name} differs from ${file} (UPDATE_SNAPSHOTS=1 to accept)`);
    }
  });

  it('render to the same bytes in a fresh process', async () => {
    const sweep = result(true);
    const spec = CHARTS.find((c) => c.name === 't-visibility')!.build(sweep)!;
    const ours = await chartToSvg(spec);
    const { dir, cleanup } = tempDir();
    try {
      writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec));
      const render = pathToFileURL(join(REPO_ROOT, 'dist', 'src', 'report', 'render.js')).href;
      const script = `import { chartToSvg } from ${JSON.stringify(render)}; import { readFileSync } from 'node:fs';
        process.stdout.write(await chartToSvg(JSON.parse(readFileSync(process.argv[1], 'utf8'))));`;
      const child = spawnSync(process.execPath, ['--input-type=module', '-e', script, join(dir, 'spec.json')], { encoding: 'utf8' });
      assert.equal(child.status, 0, child.stderr);
      assert.equal(child.stdout, ours);
    } finally {
      cleanup();
    }
  });
});

describe('chart data', () => {
  it('violation rate: one line per strategy over the lag values, at the pooled rate with its Wilson band', () => {
    const spec = CHARTS.find((c) => c.name === 'violation-rate')!.build(result(true))!;
    const ryw = rows(spec).filter((r) => r['anomaly'] === 'read-your-writes');
    assert.equal(ryw.length, LAG_VALUES.length * 3);
    assert.deepEqual([...new Set(ryw.map((r) => r['x']))], [100, 300, 1000], 'durations become milliseconds on a numeric axis');
    for (const row of ryw) {
      const lagIndex = [100, 300, 1000].indexOf(row['x'] as number);
      const violations = SEEDS.reduce((sum, seed) => sum + rywViolations(lagIndex, String(row['strategy']), seed), 0);
      assert.equal(row['rate'], violations / (KEY_READS * SEEDS.length));
      assert.ok((row['low'] as number) <= (row['rate'] as number) && (row['rate'] as number) <= (row['high'] as number));
    }
    const marks = JSON.stringify(spec);
    assert.ok(marks.includes('"errorband"'), 'a band for the interval on a numeric axis');
    assert.ok(!rows(spec).some((r) => r['anomaly'] === 'monotonic reads'), 'an anomaly no run broke is left out');
    assert.match(JSON.stringify((spec as { title: unknown }).title), /no run broke monotonic reads or consistent prefix/);
  });

  it('violation rate without a swept parameter: one point per strategy with its interval', () => {
    const spec = CHARTS.find((c) => c.name === 'violation-rate')!.build(result(false))!;
    assert.deepEqual([...new Set(rows(spec).map((r) => r['x']))], ['none', 'pin', 'token']);
    assert.ok(!JSON.stringify(spec).includes('"errorband"'));
  });

  it('cost vs consistency: leader share in percent against the rate, one point per strategy, shared spots labelled once', () => {
    const spec = CHARTS.find((c) => c.name === 'cost-vs-consistency')!.build(result(false))!;
    const leader = rows(spec).filter((r) => String(r['cost']).startsWith("leaders' share"));
    assert.equal(leader.length, 3);
    for (const row of leader) {
      const mean = SEEDS.reduce((sum, seed) => sum + leaderShare(String(row['strategy']), seed), 0) / SEEDS.length;
      assert.ok(Math.abs((row['value'] as number) - mean * 100) < 1e-9, `${row['strategy']}: ${row['value']} vs ${mean * 100}`);
    }
    const p99 = rows(spec).filter((r) => String(r['cost']).startsWith('read latency'));
    const labels = p99.map((r) => r['label']).filter((l) => l !== '');
    assert.equal(labels.length, new Set(p99.map((r) => `${r['rate']}|${r['value']}`)).size, 'one label per spot');
  });

  it('t-visibility: the pooled share of reads that saw the commit, per bucket', () => {
    const sweep = result(false);
    const spec = CHARTS.find((c) => c.name === 't-visibility')!.build(sweep)!;
    const none = rows(spec).filter((r) => r['strategy'] === 'none');
    assert.deepEqual(none.map((r) => r['tMs']), [0, 10, 100, 1000]);
    none.forEach((row, k) => {
      const visible = SEEDS.reduce((sum, seed) => sum + Math.min(100, 10 * (k + 1) + seed + 1), 0);
      assert.equal(row['probability'], visible / (100 * SEEDS.length));
    });
  });

  it('replica lag: every sample of every drawn configuration, and the end of the warm-up', () => {
    const sweep = result(true);
    const spec = CHARTS.find((c) => c.name === 'replica-lag')!.build(sweep)!;
    const samples = rows(spec).filter((r) => r['kind'] === 'lag');
    assert.equal(samples.length, LAG_VALUES.length * 21, 'one panel per lag value (strategy none), 21 samples each');
    assert.deepEqual([...new Set(samples.map((r) => r['panel']))].length, LAG_VALUES.length);
    assert.equal(rows(spec).filter((r) => r['kind'] === 'warmup').length, LAG_VALUES.length);
    assert.ok(samples.every((r) => String(r['panel']).includes('none')), 'lag is drawn for the baseline strategy');
  });

  it('replica lag without a warm-up: no warm-up marker, and it still renders', async () => {
    const sweep = result(true);
    const noWarmup = { ...sweep, lag: sweep.lag.map((panel) => ({ ...panel, series: { ...panel.series, warmupMs: 0 } })) };
    const spec = CHARTS.find((c) => c.name === 'replica-lag')!.build(noWarmup)!;
    assert.equal(rows(spec).filter((r) => r['kind'] === 'warmup').length, 0);
    assert.ok(!JSON.stringify(spec).includes('warm-up ends'));
    assert.deepEqual(compileChart(spec).warnings, []);
    assert.match(await chartToSvg(spec), /^<svg /);
  });

  it('read latency: five percentiles per point', () => {
    const spec = CHARTS.find((c) => c.name === 'read-latency')!.build(result(false))!;
    assert.equal(rows(spec).length, 3 * 5);
    assert.deepEqual(rows(spec).slice(0, 5).map((r) => r['percentile']), ['p50', 'p90', 'p99', 'p99.9', 'max']);
  });

  it('no chart when nothing was measured', () => {
    const sweep = result(false);
    const empty = { ...sweep, lag: [] };
    assert.equal(CHARTS.find((c) => c.name === 'replica-lag')!.build(empty), null);
  });
});
