// runs.csv: one row per run in task order, the swept values and seed first, every number of the
// run's summary as a column named by its path, header from the union of every run's columns.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { flattenSummary, runsCsv } from '../../src/report/csv.js';
import { syntheticRecords, syntheticSpec, syntheticSummary } from './syntheticSweep.js';

/** A CSV parser for the test (RFC 4180 quoting), independent of csv-stringify. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

describe('runs.csv', () => {
  const spec = syntheticSpec(true);
  const { runs } = syntheticRecords(spec);
  const table = parseCsv(runsCsv(spec, runs));
  const header = table[0]!;
  const body = table.slice(1);

  it('has one row per run with the point, each swept value, the seed and the strategy first', () => {
    assert.equal(body.length, runs.length);
    assert.deepEqual(header.slice(0, 5), ['point', 'cluster.replicas.0.lag.median', 'strategy.name', 'seed', 'strategy']);
    assert.deepEqual(body[4]!.slice(0, 5), ['1', '100ms', 'pin', '2', 'pin (window 2 s, scope session)']);
    assert.ok(body.every((row) => row.length === header.length));
  });

  it('has every number of the summary, exactly as the summary has it', () => {
    for (const [i, run] of runs.entries()) {
      const flat = flattenSummary(run.summary);
      for (const [column, value] of flat) {
        const cell = body[i]![header.indexOf(column)];
        assert.equal(cell, value === null ? '' : String(value), `${column} of run ${i}`);
        if (value !== null) assert.equal(Number(cell), value, `${column} round-trips`);
      }
    }
    for (const column of ['anomalies.ryw.rate', 'anomalies.ryw.rateInterval.low', 'costs.readLatencyMs.p99', 'nodes.replica-0-1.utilisation', 'replicaLag.replica-0-1.lagMs.p99', 'tVisibility.100ms.probability', 'events']) {
      assert.ok(header.includes(column), `column ${column}`);
    }
    assert.ok(!header.includes('nodes.leader-0.region') && !header.includes('lagsim'), 'descriptions and identity are not metrics');
  });

  it('keeps the columns of a missing interval (empty cells), so the header does not depend on which run came first', () => {
    const flat = flattenSummary(syntheticSummary(0, 'none', 1));
    assert.equal(flat.get('anomalies.cp.rateEligibleInterval.low'), null);
    assert.equal(flat.get('anomalies.cp.rateEligible'), null);
  });

  it('leaves out event lists (lost writes, faults) but keeps their counts', () => {
    const summary = { ...syntheticSummary(0, 'none', 1), lost: { writes: 2, rate: 0.002, list: [{ key: 'k1', version: 4, shard: 0, atMs: 10 }] }, faults: [{ atMs: 5, event: 'crash' }] };
    const flat = flattenSummary(summary);
    assert.equal(flat.get('lost.writes'), 2);
    assert.equal(flat.get('lost.rate'), 0.002);
    assert.ok(![...flat.keys()].some((key) => key.startsWith('lost.list') || key.startsWith('faults')));
  });
});
