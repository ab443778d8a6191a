// The files a sweep writes: every chart as .vl.json and .svg, runs.csv, summary.json and a
// self-contained index.html (no script, no external resource, unique ids across the inline SVGs);
// the same input gives the same bytes; no absolute path or time stamp gets in; charts an earlier
// sweep left in the folder and temporary files of a killed write are removed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHARTS } from '../../src/report/charts/index.js';
import { writeSweepOutputs } from '../../src/report/sweepOutput.js';
import { tempDir } from '../helpers/sim.js';
import { syntheticRecords, syntheticSpec } from './syntheticSweep.js';

function readAll(dir: string): Map<string, string> {
  return new Map(readdirSync(dir).sort().map((name) => [name, readFileSync(join(dir, name), 'utf8')]));
}

describe('sweep outputs', () => {
  it('writes every chart, the CSV, the summary and the page, byte for byte the same each time', async () => {
    const spec = syntheticSpec(true);
    const { runs, lags } = syntheticRecords(spec);
    const a = tempDir();
    const b = tempDir();
    try {
      const written = await writeSweepOutputs(a.dir, spec, runs, lags);
      await writeSweepOutputs(b.dir, spec, [...runs].reverse(), lags);
      const expected = [...CHARTS.flatMap((c) => [`${c.name}.vl.json`, `${c.name}.svg`]), 'runs.csv', 'index.html', 'summary.json'];
      assert.deepEqual([...written.files].sort(), [...expected].sort());
      assert.deepEqual(readdirSync(a.dir).sort(), [...expected].sort(), 'nothing else (no temporary files)');
      const first = readAll(a.dir);
      assert.deepEqual(readAll(b.dir), first);
      for (const [name, text] of first) {
        assert.ok(!text.includes(a.dir), `${name} names no absolute path`);
        assert.doesNotMatch(text, /\b20\d\d-\d\d-\d\dT\d\d:/, `${name} has no time stamp`);
      }
      const summary = JSON.parse(first.get('summary.json')!) as { points: unknown[]; seeds: number[] };
      assert.equal(summary.points.length, 9);
      assert.deepEqual(summary.seeds, [1, 2, 3]);
    } finally {
      a.cleanup();
      b.cleanup();
    }
  });

  it('index.html is one self-contained page: no script, nothing loaded, unique ids, every chart inline', async () => {
    const spec = syntheticSpec(true);
    const { runs, lags } = syntheticRecords(spec);
    const { dir, cleanup } = tempDir();
    try {
      await writeSweepOutputs(dir, spec, runs, lags);
      const html = readFileSync(join(dir, 'index.html'), 'utf8');
      assert.doesNotMatch(html, /<script|<link|<img|<iframe|@import|\bsrc=/i);
      const urls = [...html.matchAll(/https?:\/\/[^\s"'<>)]+/g)].map((m) => m[0]);
      assert.deepEqual([...new Set(urls)].sort(), ['http://www.w3.org/1999/xlink', 'http://www.w3.org/2000/svg'], 'only XML namespaces');
      assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
      const ids = [...html.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]);
      assert.equal(new Set(ids).size, ids.length, 'ids are unique across the inline SVGs');
      for (const ref of html.matchAll(/url\(#([^)]+)\)/g)) assert.ok(ids.includes(ref[1]), `url(#${ref[1]}) points at an element of the page`);
      for (const chart of CHARTS) assert.match(html, new RegExp(`<figure id="chart-${chart.name}">\\s*<svg`));
      assert.match(html, /npx lagsim sweep synthetic\.yaml --set duration=1m --vary cluster\.replicas\.0\.lag\.median=100ms,300ms,1s --vary strategy\.name=none,pin,token --seeds 1\.\.3/);
      assert.match(html, /A hand-made sweep for report tests\./);
    } finally {
      cleanup();
    }
  });

  it('removes a chart an earlier sweep left that this one does not draw, and leftover temporary files', async () => {
    const spec = syntheticSpec(false);
    const { runs } = syntheticRecords(spec);
    const { dir, cleanup } = tempDir();
    try {
      writeFileSync(join(dir, 'replica-lag.svg'), 'old');
      writeFileSync(join(dir, 'summary.json.tmp-12345'), '{"half": ');
      writeFileSync(join(dir, 'notes.txt'), 'mine');
      await writeSweepOutputs(dir, spec, runs, []);
      assert.ok(!existsSync(join(dir, 'replica-lag.svg')), 'no lag series: no lag chart');
      assert.ok(!existsSync(join(dir, 'summary.json.tmp-12345')));
      assert.ok(existsSync(join(dir, 'notes.txt')), 'files lagsim does not write are left alone');
    } finally {
      cleanup();
    }
  });
});
