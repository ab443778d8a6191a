// checkHistory (src/checks/historyCheck.ts) on hand-written histories, one per anomaly, and on
// every worked history of docs/examples/histories with the counts its README gives (and, where the
// contract's examples are checked out beside the repository, that those are the same files).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ANOMALIES, type Anomaly } from '../../src/checks/anomalies.js';
import { checkHistory, type HistoryCheckResult } from '../../src/checks/historyCheck.js';
import { InputError } from '../../src/text/errors.js';
import { TVisibility } from '../../src/metrics/tVisibility.js';
import { EXAMPLE_HISTORIES_DIR, SPEC_EXAMPLES_DIR } from '../helpers/sim.js';

type Rec = Record<string, unknown>;

const w = (session: number, t: number, key: string, version: number, deps: [string, number][] = [], extra: Rec = {}): Rec => ({
  type: 'write',
  session,
  t0: t,
  tc: t,
  t1: t,
  key,
  shard: 0,
  version,
  deps,
  node: 'leader-0',
  ...extra,
});

const r = (session: number, t: number, reads: [key: string, version: number | null, leader: number | null][], flags: string[], extra: Rec = {}): Rec => ({
  type: 'read',
  session,
  t0: t,
  t1: t,
  reads: reads.map(([key, version, leader]) => ({ key, version, node: 'replica-0-1', leader })),
  flags,
  ...extra,
});

const jsonl = (records: Rec[]): string => records.map((x) => JSON.stringify(x)).join('\n') + '\n';

/** [violations, eligible, key-reads] per anomaly. */
function table(result: HistoryCheckResult): Record<Anomaly, [number, number, number]> {
  const out = {} as Record<Anomaly, [number, number, number]>;
  for (const a of ANOMALIES) out[a] = [result.counts[a].violations, result.counts[a].eligible, result.counts[a].keyReads];
  return out;
}

describe('checkHistory: one hand-written history per anomaly', () => {
  it('ryw: an update of the own (preloaded) key read at version 0, then at its version', () => {
    const result = checkHistory(
      jsonl([w(1, 0, 'own-u-1-0', 3), r(1, 10, [['own-u-1-0', 0, 3]], ['ryw', 'stale']), r(1, 20, [['own-u-1-0', 3, 3]], [])]),
      'ryw.jsonl',
    );
    assert.deepEqual(result.mismatches, []);
    assert.deepEqual(table(result), { ryw: [1, 2, 2], mr: [0, 1, 2], cp: [0, 0, 2], stale: [1, 2, 2] });
    assert.deepEqual([result.reads, result.writes, result.failed], [2, 1, 0]);
  });

  it('mr: version 5 then version 3 of a shared key', () => {
    const result = checkHistory(
      jsonl([w(1, 0, 'k1', 3), w(1, 1, 'k1', 5), r(2, 10, [['k1', 5, 5]], []), r(2, 20, [['k1', 3, 5]], ['mr', 'stale'])]),
      'mr.jsonl',
    );
    assert.deepEqual(result.mismatches, []);
    assert.deepEqual(table(result), { ryw: [0, 0, 2], mr: [1, 1, 2], cp: [0, 0, 2], stale: [1, 2, 2] });
    assert.equal(result.counts.mr.violatingReads, 1);
  });

  it('cp across two shards: the answer (shard 1) visible, the question (shard 0) not, in one read', () => {
    const records = [
      w(1, 0, 'k0', 1), // the question, shard 0
      r(2, 10, [['k0', 1, 1]], []),
      { ...w(2, 20, 'k1', 1, [['k0', 1]]), shard: 1, node: 'leader-1' }, // the answer, shard 1
      r(3, 30, [['k1', 1, 1], ['k0', null, 1]], ['cp', 'stale']),
      r(3, 40, [['k0', 1, 1]], []), // the question arrives: consistent again
    ];
    const result = checkHistory(jsonl(records), 'cp.jsonl');
    assert.deepEqual(result.mismatches, []);
    assert.deepEqual(table(result), { ryw: [0, 0, 4], mr: [0, 1, 4], cp: [1, 2, 4], stale: [1, 4, 4] });
  });

  it('cp through a transitive past: k2 depends on k1, which depends on k0', () => {
    const records = [
      w(1, 0, 'k0', 1),
      w(1, 1, 'k1', 1, [['k0', 1]]),
      w(1, 2, 'k2', 2, [['k1', 1]]),
      r(4, 10, [['k2', 2, 2], ['k0', null, 1]], ['cp', 'stale']),
      r(5, 10, [['k2', 2, 2], ['k1', 1, 1]], []),
    ];
    const result = checkHistory(jsonl(records), 'cp-transitive.jsonl');
    assert.deepEqual(result.mismatches, []);
    assert.deepEqual(table(result).cp, [1, 2, 4]);
  });

  it('stale: the own version while someone else’s newer one exists is stale, not ryw', () => {
    const result = checkHistory(jsonl([w(1, 0, 'k7', 1), w(2, 5, 'k7', 2), r(1, 10, [['k7', 1, 2]], ['stale'])]), 'stale.jsonl');
    assert.deepEqual(result.mismatches, []);
    assert.deepEqual(table(result), { ryw: [0, 1, 1], mr: [0, 0, 1], cp: [0, 0, 1], stale: [1, 1, 1] });
  });

  it('replays each session in t0 order whatever the file order (a reply acknowledged later is listed later)', () => {
    const records = [r(1, 10, [['k1', 3, 5]], ['ryw', 'stale']), w(1, 0, 'k1', 5)];
    const result = checkHistory(jsonl(records), 'order.jsonl');
    assert.deepEqual(result.mismatches, []);
    assert.equal(result.counts.ryw.violations, 1);
  });

  it('warm-up shapes state without counting; failed operations count only as failed and shape nothing', () => {
    const records = [
      w(1, 0, 'k1', 4, [], { warmup: true }),
      r(1, 5, [['k1', 4, 4]], [], { warmup: true }),
      { type: 'write', session: 1, t0: 6, t1: 9, key: 'k1', failed: true },
      { type: 'read', session: 1, t0: 10, t1: 20, failed: true },
      r(1, 30, [['k1', 2, 4]], ['ryw', 'mr', 'stale']),
    ];
    const result = checkHistory(jsonl(records), 'warmup.jsonl');
    assert.deepEqual(result.mismatches, []);
    assert.deepEqual(table(result), { ryw: [1, 1, 1], mr: [1, 1, 1], cp: [0, 0, 1], stale: [1, 1, 1] });
    assert.deepEqual([result.reads, result.writes, result.failed], [1, 0, 2]);
  });

  it('reports flags that disagree with the definitions (missing, extra, and out of order), in file order', () => {
    const records = [
      w(1, 0, 'k1', 5),
      r(1, 10, [['k1', 3, 5]], ['stale']), // ryw missing
      r(2, 10, [['k1', 5, 5]], ['mr']), // extra
      r(1, 20, [['k1', 3, 5]], ['stale', 'ryw']), // wrong order
    ];
    const result = checkHistory(jsonl(records), 'bad-flags.jsonl');
    assert.deepEqual(
      result.mismatches.map((m) => [m.line, m.expected, m.found]),
      [
        [2, ['ryw', 'stale'], ['stale']],
        [3, [], ['mr']],
        [4, ['ryw', 'stale'], ['stale', 'ryw']],
      ],
    );
  });

  it('follows causal chains far longer than the call stack (a busy topic, checked from its end)', () => {
    // k0 and k1 written alternately, each version depending on the previous one of the other key:
    // past(k1@N) reaches back through all N writes. Session 0 reads first in replay order, so the
    // whole chain is walked at once. (This once threw "Maximum call stack size exceeded".)
    const n = 20_000;
    const records: Rec[] = [];
    for (let v = 1; v <= n; v++) records.push(w(1, v, v % 2 === 0 ? 'k0' : 'k1', v, v > 1 ? [[v % 2 === 0 ? 'k1' : 'k0', v - 1]] : []));
    records.push(r(0, n + 1, [['k1', n - 1, n - 1], ['k0', 2, n]], ['cp', 'stale']));
    const result = checkHistory(jsonl(records), 'chain.jsonl');
    assert.deepEqual(result.mismatches, []);
    assert.deepEqual(table(result).cp, [1, 2, 2]); // k1 is eligible too: past(k0@2) requires k1@1
  });

  it('bad input: one InputError naming the file and the line', () => {
    const bad = (text: string) => {
      try {
        checkHistory(text, 'h.jsonl');
      } catch (error) {
        assert.ok(error instanceof InputError);
        return error.format();
      }
      assert.fail('expected an InputError');
    };
    assert.equal(bad(`${JSON.stringify(w(1, 0, 'k', 1))}\n{not json\n`), 'h.jsonl: line 2: expected one JSON object per line');
    assert.equal(bad('{"type":"delete"}\n'), 'h.jsonl: line 1: unknown record type "delete"');
  });
});

// ---- The worked histories of docs/examples/histories ---------------------------------------------------

type Expected = Partial<Record<Anomaly, [violations: number, eligible: number]>>;

/** The README's table: file → "violations (eligible)" per anomaly it names. */
function examplesTable(dir: string): Map<string, Expected> {
  const rows = new Map<string, Expected>();
  for (const line of readFileSync(join(dir, 'README.md'), 'utf8').split('\n')) {
    const row = /^\|\s*`([^`]+\.jsonl)`\s*\|[^|]*\|([^|]+)\|\s*$/.exec(line);
    if (!row) continue;
    const expected: Expected = {};
    for (const m of row[2]!.matchAll(/\b(ryw|mr|cp|stale)\s+(\d+)\s*\((\d+)\)/g)) expected[m[1] as Anomaly] = [Number(m[2]), Number(m[3])];
    assert.ok(Object.keys(expected).length > 0, `unreadable README row: ${line}`);
    rows.set(row[1]!, expected);
  }
  return rows;
}

const jsonlFiles = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort();

describe('checkHistory: the leader share from the reads’ nodes and the failover records', () => {
  it('a first leader is named leader-<shard>; a failover at t moves the leadership for reads completing after t', () => {
    const at = (session: number, t1: number, node: string): Rec => ({
      type: 'read',
      session,
      t0: t1,
      t1,
      reads: [{ key: 'k0', version: 0, node, leader: 0 }],
      flags: [],
    });
    const records = [
      at(1, 50, 'leader-0'), // a first leader: counts
      at(2, 50, 'leader-0-1'), // a replica group named "leader": does not
      at(3, 50, 'leader-01'), // not a shard number as lagsim writes one: does not
      { type: 'failover', t: 100, shard: 0, from: 'leader-0', to: 'replica-0-1', lost: [] },
      at(1, 100, 'leader-0'), // at the failover's own instant the old leader still counts
      at(2, 100, 'replica-0-1'), // and the new one not yet
      at(1, 101, 'leader-0'), // after it: no longer
      at(2, 101, 'replica-0-1'), // after it: yes
      at(3, 200, 'leader-1'), // another shard's first leader
      { ...at(4, 300, 'leader-2'), warmup: true }, // not counted
    ];
    const result = checkHistory(jsonl(records), 'leaders.jsonl');
    assert.deepEqual(result.mismatches, []);
    assert.deepEqual([result.leaderKeyReads, result.counts.stale.keyReads], [4, 8]);
  });
});

describe('checkHistory: the worked histories of docs/examples/histories', () => {
  it('every example file has a row in the README, and every row a file', () => {
    const files = jsonlFiles(EXAMPLE_HISTORIES_DIR);
    assert.ok(files.length > 0);
    assert.deepEqual([...examplesTable(EXAMPLE_HISTORIES_DIR).keys()].sort(), files);
  });

  for (const [file, expected] of examplesTable(EXAMPLE_HISTORIES_DIR)) {
    it(`${file}: the README's counts, and the file's own flags`, () => {
      const result = checkHistory(readFileSync(join(EXAMPLE_HISTORIES_DIR, file), 'utf8'), file);
      assert.deepEqual(result.mismatches, [], 'the flags in the file are the definitions’ flags');
      for (const a of ANOMALIES) {
        const e = expected[a] ?? [0, undefined];
        assert.equal(result.counts[a].violations, e[0], `${a} violations`);
        if (e[1] !== undefined) assert.equal(result.counts[a].eligible, e[1], `${a} eligible`);
        // Every counted key-read counts for every anomaly.
        assert.equal(result.counts[a].keyReads, result.counts.stale.keyReads);
      }
      assert.equal(result.counts.stale.eligible, result.counts.stale.keyReads);
    });
  }
});

describe('cross-check: the worked histories are the contract examples beside the repository', () => {
  it('same files, same bytes, same counts', (t) => {
    if (!existsSync(SPEC_EXAMPLES_DIR)) {
      t.skip(`${SPEC_EXAMPLES_DIR} not present (../shared is not checked out beside this clone): cross-check not run`);
      return;
    }
    const files = jsonlFiles(SPEC_EXAMPLES_DIR);
    assert.deepEqual(jsonlFiles(EXAMPLE_HISTORIES_DIR), files);
    for (const f of files) assert.equal(readFileSync(join(EXAMPLE_HISTORIES_DIR, f), 'utf8'), readFileSync(join(SPEC_EXAMPLES_DIR, f), 'utf8'), f);
    assert.deepEqual(examplesTable(EXAMPLE_HISTORIES_DIR), examplesTable(SPEC_EXAMPLES_DIR));
  });
});

describe('checkHistory: the t-visibility samples', () => {
  it('t = t0 − tc of each counted key-read\'s leader version, and whether the read had it (a worked history, by hand)', () => {
    const file = join(EXAMPLE_HISTORIES_DIR, 'ryw-insert-not-visible.jsonl');
    const samples: [number, boolean][] = [];
    checkHistory(readFileSync(file, 'utf8'), file, (tUs, sawIt) => samples.push([tUs, sawIt]));
    // The insert commits at 500 µs; the read at 2,000 µs misses it, the one at 400,000 µs has it.
    assert.deepEqual(samples, [[1500, false], [399_500, true]]);
    const curve = new TVisibility([0, 1, 100]);
    for (const [tUs, sawIt] of samples) curve.record(tUs, sawIt);
    assert.deepEqual(
      curve.points().map(({ fromMs, toMs, keyReads, visible }) => ({ fromMs, toMs, keyReads, visible })),
      [{ fromMs: 1, toMs: 100, keyReads: 1, visible: 0 }, { fromMs: 100, toMs: null, keyReads: 1, visible: 1 }],
    );
  });
});
