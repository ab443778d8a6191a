// The built playground in a real headless Chromium (/usr/bin/chromium, driven by playwright-core),
// opened from file://: its numbers for a seed are `lagsim run --json`'s for the same scenario,
// overrides and seed (every shipped scenario × every strategy, and after sliders, a lesson and a
// shared URL); a bad YAML value shows the CLI's one line; charts are drawn; no console error and no
// request leaves the page.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ExitCode } from '../../src/text/exitCodes.js';
import { strategyNames } from '../../src/strategies/index.js';
import { REPO_ROOT, shippedScenarios, tempDir } from '../helpers/sim.js';
import { BUILT, lagsim } from '../cli/sweepCli.js';

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
/** Simulated seconds after warm-up of every run here: short, the test is about equality, not rates. */
const DURATION_S = 5;

const skip = !BUILT ? 'dist/ not built (npm test builds it)' : !existsSync(CHROMIUM) ? `${CHROMIUM} missing (apt-get install chromium)` : false;

/** The words of a POSIX shell line as the page quotes it (plain words and '...' with '\'' inside). */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      word += line.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (ch === '\\') {
      word += line[++i];
      inWord = true;
    } else if (ch === ' ') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** The CLI's summary for a command line the page shows (`lagsim run ... --json`), run in `cwd`. */
function cliSummary(line: string, cwd = REPO_ROOT): unknown {
  const words = shellWords(line);
  assert.deepEqual(words.slice(0, 2), ['lagsim', 'run'], line);
  const r = lagsim(cwd, words.slice(1));
  assert.equal(r.status, ExitCode.ok, `${line}\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe('the playground in Chromium', { skip }, () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let url: string;
  const problems: string[] = [];
  const requests: string[] = [];
  let cleanup: () => void = () => undefined;
  let dir = '';

  /** Waits for the run of the page's current hash to finish (table, charts, story). */
  async function settled(): Promise<void> {
    await page.waitForFunction(() => document.body.dataset['state'] === 'error' || (document.body.dataset['state'] === 'done' && document.body.dataset['done'] === location.hash), null, {
      timeout: 60_000,
    });
  }
  async function pageSummary(): Promise<unknown> {
    return JSON.parse((await page.textContent('#summary-json')) ?? 'null');
  }
  async function cliLine(): Promise<string> {
    return (await page.textContent('#cli')) ?? '';
  }
  async function goto(hash: string): Promise<void> {
    await page.evaluate((h) => {
      location.hash = h;
    }, hash);
    await settled();
  }

  before(async () => {
    ({ dir, cleanup } = tempDir());
    const built = lagsim(dir, ['playground', '--out', 'site']);
    assert.equal(built.status, ExitCode.ok, built.stderr);
    url = pathToFileURL(join(dir, 'site', 'index.html')).href;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    // Every request that is not the page itself, its blob: worker or a data: URL is refused and recorded.
    await context.route('**/*', (route) => {
      const requested = route.request().url();
      if (/^(file|blob|data):/.test(requested)) return route.continue();
      requests.push(requested);
      return route.abort();
    });
    page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    await page.goto(`${url}#s=ghost-post&duration=${DURATION_S}`, { waitUntil: 'load' });
    await settled();
  });

  after(async () => {
    await browser?.close();
    cleanup();
  });

  it('is one self-contained file: no src= or href= to anything', () => {
    const html = readFileSync(join(dir, 'site', 'index.html'), 'utf8');
    assert.doesNotMatch(html, /<script[^>]+src=/);
    assert.doesNotMatch(html, /<link[^>]+href=/);
  });

  it('draws the anomaly chart, the lag over time and the session timeline', async () => {
    for (const id of ['chart-rates', 'chart-lag', 'chart-story']) {
      await page.waitForSelector(`#${id} svg`, { timeout: 30_000 });
      const box = await page.locator(`#${id} svg`).first().boundingBox();
      assert.ok(box !== null && box.width > 200 && box.height > 80, `${id} is drawn (${JSON.stringify(box)})`);
      assert.ok((await page.locator(`#${id} svg`).first().locator('path, line, text').count()) > 10, `${id} has marks`);
    }
    // A read of the story explains itself when clicked.
    const bad = page.locator('li.read.bad').first();
    await bad.locator('button').click();
    assert.match((await bad.locator('.why').textContent()) ?? '', /✗ read .* but this session/);
  });

  it('gives lagsim run --json\'s numbers for every shipped scenario × every strategy', async () => {
    for (const file of shippedScenarios()) {
      const name = file.replace(/^.*\//, '').replace(/\.yaml$/, '');
      for (const strategy of strategyNames) {
        await goto(`#s=${name}&strategy=${strategy}&duration=${DURATION_S}`);
        const line = await cliLine();
        assert.equal(line, `lagsim run scenarios/${name}.yaml --strategy ${strategy} --duration ${DURATION_S}s --json`);
        assert.deepEqual(await pageSummary(), cliSummary(line), `${name} × ${strategy}`);
      }
    }
  });

  it('moving sliders and switching strategies: new numbers, still the CLI line\'s', async () => {
    await goto(`#s=ghost-post&duration=${DURATION_S}`);
    const before = (await pageSummary()) as { anomalies: { ryw: { rate: number } } };
    await page.locator('#knob-lagMedianMs').fill('1500');
    await page.locator('#knob-lagHoldMs').fill('200');
    await page.locator('#knob-writeShare').fill('0.2');
    await page.locator('#seed').fill('7');
    await page.locator('#seed').dispatchEvent('change');
    await settled();
    const moved = (await pageSummary()) as { seed: number; anomalies: { ryw: { rate: number } } };
    assert.equal(moved.seed, 7);
    assert.notEqual(moved.anomalies.ryw.rate, before.anomalies.ryw.rate);
    const line = await cliLine();
    assert.match(line, /--set 'cluster\.replicas\.0\.lag=\{dist: lognormal, median: 1500ms, p99: 6000ms\}'/);
    assert.deepEqual(moved, cliSummary(line));

    await page.locator('#strategy').selectOption('pin');
    await settled();
    await page.locator('#knob-pinWindowMs').fill('400');
    await settled();
    const pinned = (await pageSummary()) as { strategy: { name: string; window: number } };
    assert.equal(pinned.strategy.name, 'pin');
    assert.match(await cliLine(), /--strategy pin .*--set strategyOptions\.pin\.window=400ms/);
    assert.deepEqual(pinned, cliSummary(await cliLine()));

    await page.locator('#strategy').selectOption('token');
    await page.locator('#knob-tokenTrack').selectOption('causal');
    await settled();
    assert.deepEqual(await pageSummary(), cliSummary(await cliLine()));
  });

  it('shows partial rates while simulating, and a slider move cancels the run in flight', async () => {
    await page.evaluate(() => {
      location.hash = '#s=ghost-post&duration=300';
    });
    await page.waitForFunction(() => document.body.dataset['firstPartialMs'] !== undefined && document.body.dataset['state'] === 'running');
    assert.match((await page.textContent('#table .status')) ?? '', /^simulating… \d+% of simulated time$/);
    await page.locator('#knob-lagHoldMs').fill('300');
    await settled();
    const summary = (await pageSummary()) as { durationMs: number };
    assert.equal(summary.durationMs, 300_000);
    assert.deepEqual(summary, cliSummary(await cliLine()));
  });

  it('a bad value in the YAML shows the CLI\'s one-line message', async () => {
    await goto(`#s=ghost-post&duration=${DURATION_S}`);
    const text = readFileSync(join(REPO_ROOT, 'scenarios', 'ghost-post.yaml'), 'utf8').replace('lagHold: 1s', 'lagHold: soon');
    await page.locator('#yaml').fill(text);
    await page.locator('#apply-yaml').click();
    await page.waitForFunction(() => document.body.dataset['state'] === 'error');
    const shown = (await page.textContent('#error')) ?? '';
    writeFileSync(join(dir, 'ghost-post-edited.yaml'), text);
    const r = lagsim(dir, ['validate', 'ghost-post-edited.yaml']);
    assert.equal(r.status, ExitCode.badInput);
    assert.equal(shown, r.stderr.trim());
    assert.match(shown, /^ghost-post-edited\.yaml: cluster\.replicas\.0\.lagHold: /);
    assert.equal(await page.textContent('#yaml-error'), shown, 'also under the YAML');
    assert.match((await page.textContent('#table .status')) ?? '', /^not run: the scenario has a mistake/);

    // A YAML syntax error, likewise.
    const broken = text.replace('lagHold: soon', 'lagHold: [1s');
    await page.locator('#yaml').fill(broken);
    await page.locator('#apply-yaml').click();
    await page.waitForFunction((before) => document.body.dataset['state'] === 'error' && document.getElementById('error')!.textContent !== before, shown);
    writeFileSync(join(dir, 'ghost-post-edited.yaml'), broken);
    assert.equal(await page.textContent('#error'), lagsim(dir, ['validate', 'ghost-post-edited.yaml']).stderr.trim());

    // A good edit runs, and its CLI line runs the saved file to the same numbers.
    const edited = text.replace('lagHold: soon', 'lagHold: 2s');
    await page.locator('#yaml').fill(edited);
    await page.locator('#apply-yaml').click();
    await settled();
    writeFileSync(join(dir, 'ghost-post-edited.yaml'), edited);
    assert.deepEqual(await pageSummary(), cliSummary(await cliLine(), dir));
    await page.locator('#reset').click();
  });

  it('walks a lesson: question, the slider it moves, what to notice — and the CLI\'s numbers', async () => {
    await goto(`#s=ghost-post&duration=${DURATION_S}`);
    const lesson = page.locator('#lesson-counter-flip');
    assert.match((await lesson.textContent()) ?? '', /Question\..*Move\./s);
    await lesson.locator('button.open').click();
    await settled();
    assert.equal(((await pageSummary()) as { scenario: string }).scenario, 'counter-flip');
    await lesson.locator('button.try').click();
    await settled();
    assert.ok(await lesson.locator('.notice').isVisible());
    assert.match(await cliLine(), /lagHold=0ms/);
    assert.deepEqual(await pageSummary(), cliSummary(await cliLine()));
  });

  it('follows a shared URL in a fresh page: same state, same numbers', async () => {
    await goto(`#s=github-push&strategy=pin&duration=${DURATION_S}`);
    await page.locator('#knob-pinWindowMs').fill('300');
    await page.locator('#knob-thinkMeanMs').fill('600');
    await settled();
    const shared = page.url();
    const summary = await pageSummary();
    const fresh = await context.newPage();
    fresh.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    await fresh.goto(shared, { waitUntil: 'load' });
    await fresh.waitForFunction(() => document.body.dataset['state'] === 'done', null, { timeout: 60_000 });
    assert.deepEqual(JSON.parse((await fresh.textContent('#summary-json')) ?? 'null'), summary);
    assert.equal(await fresh.textContent('#cli'), await cliLine());
    assert.deepEqual(summary, cliSummary(await cliLine()));
    await fresh.close();
  });

  it('sweeps a slider and compares every strategy, drawing both charts', async () => {
    await goto(`#s=ghost-post&duration=${DURATION_S}`);
    await page.locator('#sweep-knob').selectOption('lagMedianMs');
    await page.locator('#run-sweep').click();
    await page.waitForFunction(() => document.querySelectorAll('#chart-sweep svg path').length > 0 && document.querySelectorAll('#chart-sweep svg .mark-symbol path').length >= 6 * 5, null, { timeout: 60_000 });
    await page.locator('#run-compare').click();
    await page.waitForFunction((n) => document.querySelectorAll('#compare-table tbody tr').length === n, strategyNames.length, { timeout: 60_000 });
    assert.ok((await page.locator('#chart-compare svg').count()) === 1);
    // Common random numbers: each row is the CLI's run of that strategy on the same seed.
    const pinRate = await page.locator('#compare-table tr[data-strategy="pin"] td').nth(1).textContent();
    const pin = cliSummary(`lagsim run scenarios/ghost-post.yaml --strategy pin --duration ${DURATION_S}s --json`) as { anomalies: { ryw: { rate: number } } };
    assert.equal(pinRate, `${(100 * pin.anomalies.ryw.rate).toFixed(3)}%`);
  });

  it('logged no error and requested nothing outside the file', () => {
    assert.deepEqual(problems, []);
    assert.deepEqual(requests, []);
  });
});
