// scanHistoryRecord (src/checks/historyScan.ts) reads a history line from its text when lagsim's
// writer wrote it, and leaves any other line to JSON.parse and parseHistoryRecord. Held here to that
// contract: whatever it returns is what the general reading returns, on the lines of every shipped
// scenario and on thousands of textual mutations of them; it takes the lines lagsim writes (what it
// is for), and leaves alone every line it cannot read exactly.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import { parseHistoryRecord } from '../../src/checks/historyRecord.js';
import { scanHistoryRecord } from '../../src/checks/historyScan.js';
import { simulate } from '../../src/run/pipeline.js';
import { loadScenario } from '../../src/run/load.js';
import { InputError } from '../../src/text/errors.js';
import { shippedScenarios, tempDir } from '../helpers/sim.js';

/** The general reading of a line: its record, or the one line of its error. */
function general(text: string, line: number): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { error: 'not JSON' };
  }
  try {
    return { record: parseHistoryRecord(value, 'h.jsonl', line) };
  } catch (error) {
    if (error instanceof InputError) return { error: error.format() };
    throw error;
  }
}

/** Every line of a short run of each shipped scenario, with its history (faults, topics, shards, warm-up, reactions among them). */
const WRITTEN: string[] = (() => {
  const lines: string[] = [];
  const { dir, cleanup } = tempDir();
  try {
    shippedScenarios().forEach((file, i) => {
      const historyPath = join(dir, `h${i}.jsonl`);
      simulate(loadScenario(file, ['duration=2s', 'warmup=500ms']), { historyPath });
      for (const line of readFileSync(historyPath, 'utf8').split('\n')) if (line !== '') lines.push(line);
    });
  } finally {
    cleanup();
  }
  return lines;
})();

describe('scanHistoryRecord: a line lagsim wrote, read from its text', () => {
  it('gives the general reading\'s record for every line of every shipped scenario, and reads nearly all of them', () => {
    let scanned = 0;
    let multiKey = 0;
    let withDeps = 0;
    let warmup = 0;
    WRITTEN.forEach((text, i) => {
      const record = scanHistoryRecord(text, i + 1);
      if (record === null) return;
      scanned++;
      assert.deepEqual({ record }, general(text, i + 1), text);
      if (record.type === 'read' && record.reads.length > 1) multiKey++;
      if (record.type === 'write' && record.deps.length > 0) withDeps++;
      if (record.warmup) warmup++;
    });
    // What it leaves to the general reading is what it is not for: failed operations and failovers.
    const others = WRITTEN.filter((text) => text.includes('"failed":true') || text.startsWith('{"type":"failover"')).length;
    assert.equal(scanned, WRITTEN.length - others, `${WRITTEN.length} lines, ${others} failed or failovers`);
    assert.ok(WRITTEN.length > 5_000 && multiKey > 0 && withDeps > 0 && warmup > 0, `${WRITTEN.length} lines, ${multiKey} multi-key reads, ${withDeps} writes with deps, ${warmup} in warm-up`);
  });

  it('gives null or the general reading\'s record on 30,000 textual mutations of those lines', () => {
    const random = seedrandom('history-scan');
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    // Pieces a mutation writes: digits and bounds, escapes, whitespace, JSON's other values, field names.
    const PIECES = [
      '0', '1', '9', '00', '01', '-1', '1.5', '1e3', '2147483647', '2147483648', '999999999999999', '9999999999999999', 'null', 'true',
      '"', '\\', '\\"', '\\u0041', '\u0001', ' ', '\t', ',', ':', '[', ']', '{', '}', '[]', '""', '"k1"', '"ryw"', '["cp","ryw"]',
      '"warmup":true', '"failed":true', '"reaction":"refresh"', '"version"', '"leader"', '"node"', '"key"', '"deps"', 'é', '\u2028',
    ];
    let accepted = 0;
    let refused = 0;
    for (let n = 0; n < 30_000; n++) {
      let text = pick(WRITTEN);
      for (let m = 1 + Math.floor(random() * 2); m > 0; m--) {
        const at = Math.floor(random() * (text.length + 1));
        const cut = Math.floor(random() * 4);
        const kind = random();
        if (kind < 0.4) text = text.slice(0, at) + pick(PIECES) + text.slice(at + cut);
        else if (kind < 0.7) text = text.slice(0, at) + text.slice(at + 1 + cut);
        else if (kind < 0.85) text = text.slice(0, at) + pick(PIECES) + text.slice(at);
        else text = text.replace(/\d+/, () => pick(PIECES));
      }
      const record = scanHistoryRecord(text, n + 1);
      const expected = general(text, n + 1);
      if (record === null) {
        if ('error' in (expected as object)) refused++;
        continue;
      }
      accepted++;
      assert.deepEqual({ record }, expected, text);
    }
    // Both sides were reached: mutations still in the writer's form, and mutations that are errors.
    assert.ok(accepted > 1_000 && refused > 10_000, `${accepted} read from their text, ${refused} errors left to the general reading`);
  });

  it('leaves to the general reading what it cannot read exactly', () => {
    const line = '{"type":"read","session":1,"t0":5,"t1":7,"reads":[{"key":"k1","version":3,"node":"replica-0-1","leader":4}],"flags":["ryw","stale"]}';
    assert.notEqual(scanHistoryRecord(line, 1), null);
    for (const other of [
      line.replace('"k1"', '"k\\u0031"'), // an escape: JSON.parse reads it
      line.replace('{"type":"read",', '{ "type":"read",'), // whitespace
      line.replace('"t0":5,"t1":7', '"t1":7,"t0":5'), // another field order
      line.replace('"t0":5', '"t0":5.0'), // a number JSON writes otherwise
      line.replace('"t1":7', '"t1":4'), // t1 before t0: an error the general reading words
      line.replace('"version":3', '"version":03'), // not JSON
      line.replace('["ryw","stale"]', '["stale","ryw"]'), // flags out of order: a mismatch the recount reports
      line.replace('"session":1', '"session":1234567890123456'), // beyond what is read exactly here
      `${line} `,
      `${line}\r`,
    ]) {
      assert.equal(scanHistoryRecord(other, 1), null, other);
    }
  });
});
