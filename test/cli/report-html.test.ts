// The report opened in a real headless Chromium (the system's /usr/bin/chromium, which .ci/run
// installs, driven by playwright-core): every chart is on the page and drawn, the page makes no
// request besides itself and logs no error; a full-page screenshot goes to test-artifacts/.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { ExitCode } from '../../src/text/exitCodes.js';
import { REPO_ROOT, tempDir } from '../helpers/sim.js';
import { BUILT, lagsim, writeSmallScenario } from './sweepCli.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SCREENSHOT = join(REPO_ROOT, 'test-artifacts', 'report.png');

const skip = !BUILT ? 'dist/ not built (npm test builds it)' : !existsSync(CHROMIUM) ? `${CHROMIUM} missing (.ci/run installs Debian's chromium)` : false;

describe('the HTML report in Chromium', { skip }, () => {
  it('shows every chart, loads nothing and logs no error; screenshot in test-artifacts/', async () => {
    const { dir, cleanup } = tempDir();
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const file = writeSmallScenario(dir);
      const r = lagsim(dir, ['sweep', file, '--vary', 'cluster.replicas.0.lag.median=100ms,400ms', '--vary', 'strategy.name=none,pin,token', '--seeds', '1,2', '--out', 'report']);
      assert.equal(r.status, ExitCode.ok, r.stderr);
      const charts = readdirSync(join(dir, 'report')).filter((name) => name.endsWith('.svg')).map((name) => name.replace(/\.svg$/, ''));
      assert.equal(charts.length, 5, `five charts: ${charts.join(', ')}`);

      const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
      const url = pathToFileURL(join(dir, 'report', 'index.html')).href;
      const requests: string[] = [];
      const problems: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      await page.goto(url, { waitUntil: 'load' });

      assert.deepEqual(requests, [url], 'the page requests nothing but itself');
      assert.deepEqual(problems, []);
      assert.equal(await page.title(), 'lagsim · small');
      for (const chart of charts) {
        const svg = page.locator(`figure#chart-${chart} > svg`);
        assert.equal(await svg.count(), 1, `${chart} is on the page`);
        const box = await svg.boundingBox();
        assert.ok(box !== null && box.width > 200 && box.height > 100, `${chart} is drawn (${JSON.stringify(box)})`);
        assert.ok((await svg.locator('path, line, text').count()) > 20, `${chart} has marks, axes and labels`);
      }
      assert.ok((await page.locator('table').count()) >= 3, 'the tables');
      mkdirSync(join(REPO_ROOT, 'test-artifacts'), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
      assert.ok(existsSync(SCREENSHOT));
    } finally {
      await browser.close();
      cleanup();
    }
  });
});
