/**
 * The playground measured in headless Chromium against the CLI on the same machine, one run after
 * the other: page load, ghost-post over 60 simulated seconds after warm-up (browser worker vs
 * `lagsim run`), time to the first partial result after a slider move, bundle size. With
 * --screenshots, also writes a picture of each view and lesson into docs/images/playground/.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/playground.js [--runs 3] [--screenshots]
 *
 * A measurement, not a test: nothing fails on a figure. Needs /usr/bin/chromium.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../src/text/version.js';
import { LESSONS } from '../src/playground/lessons.js';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const BIN = join(PROJECT_ROOT, 'bin', 'lagsim.js');
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1] ?? 3) || 3;
const screenshots = args.includes('--screenshots');
const IMAGES = join(PROJECT_ROOT, 'docs', 'images', 'playground');

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (xs: number[]): string => `median ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)}, n=${xs.length})`;

async function waitDone(page: Page): Promise<void> {
  await page.waitForFunction(() => document.body.dataset['state'] === 'done' && document.body.dataset['done'] === location.hash, null, { timeout: 120_000 });
}
async function waitNumbers(page: Page): Promise<void> {
  await page.waitForFunction(() => document.body.dataset['numbersMs'] !== undefined, null, { timeout: 120_000 });
}

const dir = mkdtempSync(join(tmpdir(), 'lagsim-playground-bench-'));
try {
  const built = spawnSync(process.execPath, [BIN, 'playground', '--out', dir], { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(built.stderr);
  const html = readFileSync(join(dir, 'index.html'));
  const url = pathToFileURL(join(dir, 'index.html')).href;
  console.log(built.stdout.trim());
  console.log(`bundle: ${(html.length / 1024).toFixed(0)} KiB, ${(gzipSync(html).length / 1024).toFixed(0)} KiB gzipped`);

  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const load: number[] = [];
  const firstNumbers: number[] = [];
  const browserSim: number[] = [];
  const browserNumbers: number[] = [];
  const sliderPartial: number[] = [];
  for (let r = 0; r < runs; r++) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const started = Date.now();
    await page.goto(`${url}#s=ghost-post&duration=60`, { waitUntil: 'load' });
    load.push(await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd));
    await waitNumbers(page);
    firstNumbers.push(Date.now() - started);
    browserSim.push(Number(await page.evaluate(() => document.body.dataset['wallMs'])));
    browserNumbers.push(Number(await page.evaluate(() => document.body.dataset['numbersMs'])));
    await waitDone(page);
    for (const value of ['400', '700', '1000']) {
      await page.locator('#knob-lagMedianMs').fill(value);
      await page.waitForFunction(() => document.body.dataset['firstPartialMs'] !== undefined, null, { timeout: 60_000 });
      sliderPartial.push(Number(await page.evaluate(() => document.body.dataset['firstPartialMs'])));
    }
    await page.close();
  }
  const cliWall: number[] = [];
  const cliSim: number[] = [];
  for (let r = 0; r < runs; r++) {
    const started = process.hrtime.bigint();
    const cli = spawnSync(process.execPath, [BIN, 'run', join(PROJECT_ROOT, 'scenarios', 'ghost-post.yaml'), '--duration', '60s', '--json'], { encoding: 'utf8' });
    cliWall.push(Number(process.hrtime.bigint() - started) / 1e6);
    const m = /in ([\d.]+) s of wall time/.exec(cli.stderr);
    if (m) cliSim.push(Number(m[1]) * 1000);
  }
  console.log(`page load (loadEventEnd, file://): ${fmt(load)}`);
  console.log(`page open → first full numbers (ghost-post, 60 s after 30 s warm-up): ${fmt(firstNumbers)}`);
  console.log(`ghost-post 60 s: browser worker simulation ${fmt(browserSim)}; request → numbers on the page ${fmt(browserNumbers)}`);
  console.log(`ghost-post 60 s: CLI simulation (its own stderr figure) ${fmt(cliSim)}; CLI process wall time ${fmt(cliWall)}`);
  console.log(`browser/CLI simulation ratio: ${(median(browserSim) / median(cliSim)).toFixed(2)}×; page numbers / CLI process: ${(median(browserNumbers) / median(cliWall)).toFixed(2)}×`);
  console.log(`slider move → first partial result: ${fmt(sliderPartial)}`);

  if (screenshots) {
    mkdirSync(IMAGES, { recursive: true });
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(`${url}#s=ghost-post&duration=60`, { waitUntil: 'load' });
    await waitDone(page);
    await page.screenshot({ path: join(IMAGES, 'page.png'), fullPage: true });
    await page.locator('section', { has: page.locator('#table') }).screenshot({ path: join(IMAGES, 'anomalies.png') });
    await page.locator('section', { has: page.locator('#chart-lag') }).screenshot({ path: join(IMAGES, 'lag-over-time.png') });
    await page.locator('li.read.bad button').first().click();
    await page.locator('section', { has: page.locator('#chart-story') }).screenshot({ path: join(IMAGES, 'session-timeline.png') });
    await page.locator('#run-sweep').click();
    await page.waitForFunction(() => document.querySelectorAll('#chart-sweep svg .mark-symbol path').length >= 30, null, { timeout: 120_000 });
    await page.locator('section', { has: page.locator('#chart-sweep') }).screenshot({ path: join(IMAGES, 'sweep.png') });
    await page.locator('#run-compare').click();
    await page.waitForFunction(() => document.querySelectorAll('#compare-table tbody tr').length === 5, null, { timeout: 120_000 });
    await page.waitForTimeout(300);
    await page.locator('section', { has: page.locator('#chart-compare') }).screenshot({ path: join(IMAGES, 'compare.png') });
    await page.locator('#yaml').fill(readFileSync(join(PROJECT_ROOT, 'scenarios', 'ghost-post.yaml'), 'utf8').replace('lagHold: 1s', 'lagHold: soon'));
    await page.locator('#apply-yaml').click();
    await page.waitForFunction(() => document.body.dataset['state'] === 'error');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(IMAGES, 'bad-yaml.png') });
    await page.close();
    for (const lesson of LESSONS) {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      await page.goto(`${url}#s=${lesson.scenario}&duration=60`, { waitUntil: 'load' });
      await waitDone(page);
      const item = page.locator(`#lesson-${lesson.id}`);
      await item.locator('button.open').click();
      await waitDone(page);
      await item.locator('button.try').click();
      await waitDone(page);
      await page.screenshot({ path: join(IMAGES, `lesson-${lesson.id}.png`), fullPage: true });
      await page.close();
    }
    console.log(`screenshots in ${IMAGES}`);
  }
  await browser.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
