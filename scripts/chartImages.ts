/**
 * `node dist/scripts/chartImages.js --suffix after` draws the explain, time-series and plan charts
 * of the shipped scenarios with the CLI and saves them as PNG in docs/images/charts/ (from their SVG,
 * in headless Chromium at 2× scale). Used for the before/after images of docs/reporting.md.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { PROJECT_ROOT } from '../src/text/version.js';

const argv = process.argv.slice(2);
const suffix = argv[argv.indexOf('--suffix') + 1] ?? 'after';
const outDir = join(PROJECT_ROOT, 'docs', 'images', 'charts');
const work = mkdtempSync(join(tmpdir(), 'lagsim-charts-'));
const bin = join(PROJECT_ROOT, 'bin', 'lagsim.js');

function lagsim(args: string[]): void {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`lagsim ${args.join(' ')}: ${r.stderr}`);
}

const charts: [name: string, svg: string, args: string[]][] = [
  ['explain', join(work, 'explain.svg'), ['explain', 'scenarios/ghost-post.yaml', '--duration', '2m', '--chart', join(work, 'explain.svg')]],
  ['explain-window', join(work, 'explain-window.svg'), ['explain', 'scenarios/ghost-post.yaml', '--duration', '2m', '--from', '40s', '--to', '50s', '--chart', join(work, 'explain-window.svg')]],
  ['timeseries', join(work, 'ts.svg'), ['run', 'scenarios/black-friday-whole.yaml', '--duration', '5m', '--timeseries', join(work, 'ts.csv'), '--interval', '5s']],
  ['plan', join(work, 'plan', 'plan.svg'), ['plan', 'scenarios/ghost-post.yaml', '--duration', '30s', '--seeds', '1..2', '--slo', 'ryw<=0.1%,readP99<=100ms,leaderUtil<=1%', '--vary', 'strategy.name=none,pin,token', '--vary', 'cluster.replicas.0.count=1,2', '--out', join(work, 'plan')]],
];

mkdirSync(outDir, { recursive: true });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ deviceScaleFactor: 2 });
  for (const [name, svg, args] of charts) {
    lagsim(args);
    await page.setContent(`<html><body style="margin:0;background:white">${readFileSync(svg, 'utf8')}</body></html>`);
    const element = await page.$('svg');
    await element!.screenshot({ path: join(outDir, `${name}-${suffix}.png`) });
    process.stdout.write(`docs/images/charts/${name}-${suffix}.png\n`);
  }
} finally {
  await browser.close();
  rmSync(work, { recursive: true, force: true });
}
