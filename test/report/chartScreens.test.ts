// The explain, time-series and plan charts as a person sees them: each SVG rendered in headless
// Chromium, then checked by what is on screen (bounding boxes), not by the spec — the window asked
// for is the axis, marks stay inside the plot, panels line up, labels do not collide, the cheapest
// configuration sits in a green cell, no legend entry is cut. A PNG of each goes to test-artifacts/.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ExitCode } from '../../src/text/exitCodes.js';
import { REPO_ROOT, tempDir } from '../helpers/sim.js';
import { BUILT, lagsim } from '../cli/sweepCli.js';

const CHROMIUM = '/usr/bin/chromium';
const skip = !BUILT ? 'dist/ not built (npm test builds it)' : !existsSync(CHROMIUM) ? `${CHROMIUM} missing (.ci/run installs Debian's chromium)` : false;

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
const overlaps = (a: Box, b: Box): boolean => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('charts in Chromium', { skip }, () => {
  let browser: Browser;
  let page: Page;
  let dir: string;
  let cleanup: () => void;

  before(async () => {
    ({ dir, cleanup } = tempDir());
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    page = await browser.newPage();
  });
  after(async () => {
    await browser?.close();
    cleanup?.();
  });

  async function show(svgFile: string, artifact: string): Promise<void> {
    await page.setContent(`<html><body style="margin:0;background:white">${readFileSync(svgFile, 'utf8')}</body></html>`);
    mkdirSync(join(REPO_ROOT, 'test-artifacts'), { recursive: true });
    await page.locator('svg').first().screenshot({ path: join(REPO_ROOT, 'test-artifacts', artifact) });
  }

  /** The x-axis of each view: its domain line's extent and its tick labels' numbers. */
  const xAxes = (): Promise<{ left: number; right: number; ticks: number[] }[]> =>
    page.$$eval('g.role-axis', (axes) =>
      axes
        .filter((axis) => axis.getAttribute('aria-label')?.startsWith('X-axis'))
        .map((axis) => {
          const domain = axis.querySelector('.role-axis-domain line, .role-axis-domain path')!.getBoundingClientRect();
          const ticks = [...axis.querySelectorAll('.role-axis-label text')].map((t) => Number((t.textContent ?? '').replace(/,/g, '')));
          return { left: domain.left, right: domain.right, ticks };
        }),
    );

  it('explain: the axis is the window asked for, lanes per node, every mark inside the plot, the count in the title', async () => {
    const svg = join(dir, 'explain.svg');
    const r = lagsim(REPO_ROOT, ['explain', 'scenarios/ghost-post.yaml', '--duration', '2m', '--from', '40s', '--to', '50s', '--chart', svg]);
    assert.equal(r.status, ExitCode.ok, r.stderr);
    assert.match(r.stdout, /\n\d+ violations? in \d+ counted reads?( \(.*\))?\nreproduce: /);
    await show(svg, 'explain-chart.png');
    const [axis] = await xAxes();
    assert.ok(axis!.ticks.length >= 4, `ticks ${axis!.ticks}`);
    assert.ok(axis!.ticks.every((t) => t >= 40_000 && t <= 50_000), `ticks ${axis!.ticks} inside 40–50 s`);
    const lanes = await page.$$eval('g.role-axis[aria-label^="Y-axis"] .role-axis-label text', (texts) => texts.map((t) => t.textContent));
    assert.deepEqual(lanes, ['leader-0', 'us-west-0-1']);
    const marks = await page.$$eval('g.mark-symbol.role-mark path', (paths) => paths.map((p) => p.getBoundingClientRect()).map((b) => ({ x: b.x + b.width / 2 })));
    assert.ok(marks.length > 5);
    for (const mark of marks) assert.ok(mark.x >= axis!.left - 1 && mark.x <= axis!.right + 1, `a mark at ${mark.x} outside [${axis!.left}, ${axis!.right}]`);
    const title = await page.$eval('g.role-title-text text', (t) => t.textContent);
    assert.match(title!, /^Session \d+ of ghost-post: \d+ violations? in \d+ counted reads$/);
  });

  it('time series: every panel on one time axis, fault labels that do not collide, throughput and queues drawn', async () => {
    const csv = join(dir, 'ts.csv');
    const r = lagsim(REPO_ROOT, ['run', 'scenarios/black-friday-whole.yaml', '--duration', '5m', '--timeseries', csv, '--interval', '5s']);
    assert.equal(r.status, ExitCode.ok, r.stderr);
    await show(join(dir, 'ts.svg'), 'timeseries-chart.png');
    const axes = await xAxes();
    assert.equal(axes.length, 5, 'lag, throughput, queues, leader load, anomalies');
    for (const axis of axes) {
      assert.deepEqual(axis.ticks, axes[0]!.ticks);
      assert.ok(Math.abs(axis.left - axes[0]!.left) < 0.5 && Math.abs(axis.right - axes[0]!.right) < 0.5, 'panels line up');
    }
    assert.equal(axes[0]!.ticks[0], 0);
    const titles = await page.$$eval('g.role-title-text text', (texts) => texts.map((t) => t.textContent));
    for (const panel of ['Faults and alerts', 'Replica lag', 'Throughput', 'Queue length', 'Leader load', 'Anomalies']) {
      assert.ok(titles.some((title) => title?.startsWith(panel)), `a panel "${panel}" in ${titles}`);
    }
    const labels: Box[] = await page.$$eval('g.mark-text text', (texts) =>
      texts.filter((t) => /^[+−-]/.test(t.textContent ?? '')).map((t) => t.getBoundingClientRect()).map((b) => ({ x: b.x, y: b.y, width: b.width, height: b.height })),
    );
    assert.ok(labels.length >= 4, `${labels.length} fault labels`);
    for (let i = 0; i < labels.length; i++) {
      for (let j = i + 1; j < labels.length; j++) assert.ok(!overlaps(labels[i]!, labels[j]!), `fault labels ${i} and ${j} overlap`);
    }
    const legend = await page.$$eval('g.role-legend-label text', (texts) => texts.map((t) => t.textContent ?? ''));
    assert.ok(legend.includes('share of key-reads on a leader') && legend.includes('reads/s'), legend.join(' | '));
    assert.ok(legend.every((text) => !text.includes('…')), 'no legend entry cut');
  });

  it('plan: cells coloured by the SLOs they miss, the cheapest feasible marked in a green cell', async () => {
    const out = join(dir, 'plan');
    const r = lagsim(REPO_ROOT, [
      'plan', 'scenarios/ghost-post.yaml', '--duration', '30s', '--seeds', '1..2', '--slo', 'ryw<=0.1%,readP99<=100ms,leaderUtil<=1%',
      '--vary', 'strategy.name=none,pin,token', '--vary', 'cluster.replicas.0.count=1,2', '--out', out,
    ]);
    assert.equal(r.status, ExitCode.ok, r.stderr);
    assert.match(r.stdout, /ryw ≤ 0\.1% \(margin\)/);
    await show(join(out, 'plan.svg'), 'plan-chart.png');
    const cells = await page.$$eval('g.mark-rect path', (paths) =>
      paths.map((p) => ({ fill: p.getAttribute('fill'), box: (({ x, y, width, height }) => ({ x, y, width, height }))(p.getBoundingClientRect()) })),
    );
    assert.equal(cells.filter((cell) => cell.box.width > 30).length, 6);
    const star = await page.$$eval('g.mark-text text', (texts) =>
      texts.filter((t) => t.textContent === '★ cheapest').map((t) => (({ x, y, width, height }) => ({ x, y, width, height }))(t.getBoundingClientRect())),
    );
    assert.equal(star.length, 1);
    const under = cells.filter((cell) => cell.box.width > 30 && overlaps(cell.box, star[0]!));
    assert.deepEqual(under.map((cell) => cell.fill), ['#009e73']);
    const legend = await page.$$eval('g.role-legend-label text', (texts) => texts.map((t) => t.textContent ?? ''));
    assert.ok(legend[0] === 'meets every SLO' && legend.slice(1).every((text) => text.startsWith('misses ')), legend.join(' | '));
  });
});
