// Bad input to `lagsim check` (semantics.md section 4): every malformed record, an empty file and a
// folder give one line `FILE: line N[: FIELD]: what was expected` and exit 2 — never a crash
// (exit 1), a "check failed" (exit 3) about other lines, or "every flag agrees" (exit 0). Histories
// lagsim writes (faults, failover, lost writes, topics with deps, failed operations) still check.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkHistory, checkHistoryLines, linesOfText } from '../../src/checks/historyCheck.js';
import { checkHistoryFile } from '../../src/run/checkHistoryFile.js';
import { inputLines } from '../../src/run/inputFiles.js';
import { ExitCode } from '../../src/text/exitCodes.js';
import { BIN, REPO_ROOT, SCENARIOS_DIR, tempDir } from '../helpers/sim.js';
import { inputErrorLine } from '../helpers/inputError.js';

const WRITE = '{"type":"write","session":1,"t0":0,"tc":0,"t1":0,"key":"k0","shard":0,"version":1,"deps":[],"node":"leader-0"}';
const READ = '{"type":"read","session":2,"t0":10,"t1":10,"reads":[{"key":"k0","version":1,"node":"replica-0-1","leader":1}],"flags":[]}';

/** The error of a history whose first two lines are valid and whose third is `bad`. */
const third = (bad: string): string => inputErrorLine(() => checkHistory(`${WRITE}\n${READ}\n${bad}\n${READ}\n`, 'h.jsonl'));

/** A read or write with `fields` changed (undefined: left out). */
function edit(base: string, fields: Record<string, unknown>): string {
  const record = JSON.parse(base) as Record<string, unknown>;
  for (const [field, value] of Object.entries(fields)) {
    if (value === undefined) delete record[field];
    else record[field] = value;
  }
  return JSON.stringify(record);
}

describe('checkHistory: a malformed record is one InputError naming the line and the field', () => {
  const cases: [what: string, line: string, expected: string][] = [
    ['null', 'null', 'line 3: expected a history record: a JSON object such as {"type": "read", ...}, got null'],
    ['a list', '[1,2]', 'line 3: expected a history record: a JSON object such as {"type": "read", ...}, got a list'],
    ['a number', '7', 'line 3: expected a history record: a JSON object such as {"type": "read", ...}, got 7'],
    ['no type', '{"session":1}', 'line 3: type: required field is missing; expected one of: read, write, failover'],
    ['a type that is no string', '{"type":5}', 'line 3: type: expected one of: read, write, failover, got 5'],
    ['an unknown type', '{"type":"delete"}', 'line 3: unknown record type "delete"'],
    ['a bare read', '{"type":"read"}', 'line 3: session: required field is missing; expected a session number (a whole number >= 0)'],
    ['a bare write', '{"type":"write"}', 'line 3: session: required field is missing; expected a session number (a whole number >= 0)'],
    ['a session that is a string', edit(WRITE, { session: 'abc', t0: 'x' }), 'line 3: session: expected a session number (a whole number >= 0), got "abc"'],
    ['a time that is a string', edit(WRITE, { t0: 'x' }), 'line 3: t0: expected a time in microseconds (a whole number >= 0), got "x"'],
    ['a fractional time', edit(READ, { t1: 10.5 }), 'line 3: t1: expected a time in microseconds (a whole number >= 0), got 10.5'],
    ['t1 before t0', edit(READ, { t0: 20 }), 'line 3: t1: expected a time >= t0 (20), got 10'],
    ['warmup not a boolean', edit(READ, { warmup: 'yes' }), 'line 3: warmup: expected true or false, got "yes"'],
    ['failed not a boolean', edit(WRITE, { failed: 1 }), 'line 3: failed: expected true or false, got 1'],
    ['reads a string', edit(READ, { reads: 'x' }), 'line 3: reads: expected a non-empty list of key-reads, got "x"'],
    ['reads empty', edit(READ, { reads: [] }), 'line 3: reads: expected at least 1 item'],
    ['reads missing', edit(READ, { reads: undefined }), 'line 3: reads: required field is missing; expected a non-empty list of key-reads'],
    ['a key-read null', edit(READ, { reads: [null] }), 'line 3: reads.0: expected a key-read: a mapping with key, version, node and leader, got null'],
    [
      'a key-read version a string',
      edit(READ, { reads: [{ key: 'k0', version: '1', node: 'replica-0-1', leader: 1 }] }),
      'line 3: reads.0.version: expected a version (a whole number from 0 to 2147483647) or null, got "1"',
    ],
    [
      'a key-read without leader',
      edit(READ, { reads: [{ key: 'k0', version: 1, node: 'replica-0-1', leader: 1 }, { key: 'k1', version: null, node: 'replica-0-1' }] }),
      'line 3: reads.1.leader: required field is missing; expected a version (a whole number from 0 to 2147483647) or null',
    ],
    [
      'a key-read with a numeric key',
      edit(READ, { reads: [{ key: 4, version: 1, node: 'replica-0-1', leader: 1 }] }),
      'line 3: reads.0.key: expected a key name (a string), got 4',
    ],
    ['flags missing', edit(READ, { flags: undefined }), 'line 3: flags: required field is missing; expected a list of flags (ryw, mr, cp, stale)'],
    ['flags a string', edit(READ, { flags: 'ryw' }), 'line 3: flags: expected a list of flags (ryw, mr, cp, stale), got "ryw"'],
    ['an unknown flag', edit(READ, { flags: ['stale', 'lost'] }), 'line 3: flags.1: expected one of: ryw, mr, cp, stale, got "lost"'],
    ['deps a string', edit(WRITE, { deps: 'zz' }), 'line 3: deps: expected a list of [key, version] pairs, got "zz"'],
    ['deps [1]', edit(WRITE, { deps: [1] }), 'line 3: deps.0: expected a [key, version] pair such as ["k43", 4700], got 1'],
    ['a dep of three items', edit(WRITE, { deps: [['k1', 1, 2]] }), 'line 3: deps.0: expected a [key, version] pair such as ["k43", 4700], got a list'],
    ['a dep with a numeric key', edit(WRITE, { deps: [[1, 1]] }), 'line 3: deps.0.0: expected a key name (a string), got 1'],
    ['a dep at version 0', edit(WRITE, { deps: [['k1', 0]] }), 'line 3: deps.0.1: expected a log position (a whole number from 1 to 2147483647), got 0'],
    ['deps missing', edit(WRITE, { deps: undefined }), 'line 3: deps: required field is missing; expected a list of [key, version] pairs'],
    ['a write version 0', edit(WRITE, { version: 0 }), 'line 3: version: expected a log position (a whole number from 1 to 2147483647), got 0'],
    ['a write version beyond the checker (2^31)', edit(WRITE, { version: 2 ** 31 }), 'line 3: version: expected a log position (a whole number from 1 to 2147483647), got 2147483648'],
    ['a write version null', edit(WRITE, { version: null }), 'line 3: version: expected a log position (a whole number from 1 to 2147483647), got null'],
    ['a write without key', edit(WRITE, { key: undefined }), 'line 3: key: required field is missing; expected a key name (a string)'],
    ['a write without tc', edit(WRITE, { tc: undefined }), 'line 3: tc: required field is missing; expected a time in microseconds (a whole number >= 0)'],
    ['a write without node', edit(WRITE, { node: undefined }), 'line 3: node: required field is missing; expected a node name (a string)'],
    ['a write with a shard string', edit(WRITE, { shard: '0' }), 'line 3: shard: expected a shard number (a whole number >= 0), got "0"'],
    ['a failed write without key', '{"type":"write","session":1,"t0":5,"t1":9,"failed":true}', 'line 3: key: required field is missing; expected a key name (a string)'],
    ['a failover without lost', '{"type":"failover","t":5,"shard":0,"from":"leader-0","to":"replica-0-1"}', 'line 3: lost: required field is missing; expected a list of [key, version] pairs'],
    ['a failover with a bad lost entry', '{"type":"failover","t":5,"shard":0,"from":"leader-0","to":"replica-0-1","lost":[["k0"]]}', 'line 3: lost.0: expected a [key, version] pair such as ["k43", 4700], got a list'],
    ['a failover time a string', '{"type":"failover","t":"5","shard":0,"from":"leader-0","to":"replica-0-1","lost":[]}', 'line 3: t: expected a time in microseconds (a whole number >= 0), got "5"'],
    ['a failover without to', '{"type":"failover","t":5,"shard":0,"from":"leader-0","lost":[]}', 'line 3: to: required field is missing; expected a node name (a string)'],
    ['not JSON', '{"type":', 'line 3: expected one JSON object per line'],
  ];
  for (const [what, line, expected] of cases) {
    it(what, () => assert.equal(third(line), `h.jsonl: ${expected}`));
  }

  it('accepts what lagsim writes: failed operations without version or reads, failover records, extra fields', () => {
    const text = [
      WRITE,
      '{"type":"write","session":3,"t0":1,"t1":2,"key":"k0","failed":true}',
      '{"type":"read","session":3,"t0":3,"t1":4,"failed":true,"warmup":true}',
      '{"type":"failover","t":5,"shard":0,"from":"leader-0","to":"replica-0-1","lost":[["k0",1]],"crash":4,"received":0}',
      edit(READ, { extra: { anything: true } }),
    ].join('\n');
    const result = checkHistory(`${text}\n`, 'ok.jsonl');
    assert.deepEqual([result.reads, result.writes, result.failed, result.mismatches.length], [1, 1, 1, 0]);
  });
});

describe('checkHistory: session numbers', () => {
  it('a negative session number is bad input (it once hung the checker)', () => {
    assert.equal(third(edit(READ, { session: -1 })), 'h.jsonl: line 3: session: expected a session number (a whole number >= 0), got -1');
  });

  it('any whole session number works, however large (it once failed allocating a table per number up to it)', () => {
    const big = 10 ** 12;
    const text = [edit(WRITE, { session: big }), edit(READ, { session: big, t0: 10, t1: 10, reads: [{ key: 'k0', version: null, node: 'replica-0-1', leader: 1 }], flags: ['ryw', 'stale'] })];
    const result = checkHistory(`${text.join('\n')}\n`, 'big.jsonl');
    assert.deepEqual(result.mismatches, []);
    assert.equal(result.counts.ryw.violations, 1);
  });
});

describe('checkHistoryFile: the file itself', () => {
  it('an empty file (or only blank lines) is the history of a run with no operation; a folder is not a history; a missing file is not found', () => {
    const { dir, cleanup } = tempDir();
    try {
      writeFileSync(join(dir, 'empty.jsonl'), '');
      writeFileSync(join(dir, 'blank.jsonl'), '\n  \n');
      mkdirSync(join(dir, 'folder'));
      const at = (name: string) => join(dir, name);
      for (const name of ['empty.jsonl', 'blank.jsonl']) {
        const result = checkHistoryFile(at(name));
        assert.deepEqual(result.mismatches, []);
        for (const count of Object.values(result.counts)) assert.deepEqual([count.violations, count.keyReads, count.eligible], [0, 0, 0]);
      }
      assert.equal(inputErrorLine(() => checkHistoryFile(at('folder'))), `${at('folder')}: is a folder, expected a history file`);
      assert.equal(inputErrorLine(() => checkHistoryFile(at('none.jsonl'))), `${at('none.jsonl')}: file not found`);
    } finally {
      cleanup();
    }
  });
});

const lagsim = (cwd: string, args: readonly string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });

describe('lagsim check on bad input: exit 2, one line on stderr, nothing on stdout', () => {
  const cases: [name: string, text: string | null, expected: string][] = [
    ['null.jsonl', `${WRITE}\nnull\n`, 'null.jsonl: line 2: expected a history record: a JSON object such as {"type": "read", ...}, got null'],
    ['deps.jsonl', `${edit(WRITE, { deps: 'zz' })}\n`, 'deps.jsonl: line 1: deps: expected a list of [key, version] pairs, got "zz"'],
    ['bare.jsonl', `${WRITE}\n${READ}\n{"type":"read"}\n`, 'bare.jsonl: line 3: session: required field is missing; expected a session number (a whole number >= 0)'],
    ['folder', null, 'folder: is a folder, expected a history file'],
  ];
  for (const [name, text, expected] of cases) {
    it(name, () => {
      const { dir, cleanup } = tempDir();
      try {
        if (text === null) mkdirSync(join(dir, name));
        else writeFileSync(join(dir, name), text);
        const r = lagsim(dir, ['check', name]);
        assert.equal(r.status, ExitCode.badInput, r.stderr);
        assert.equal(r.stderr, `${expected}\n`);
        assert.equal(r.stdout, '');
      } finally {
        cleanup();
      }
    });
  }

  it('a history lagsim writes with faults, a failover, failed operations and a topic (deps) still checks: exit 0', () => {
    const { dir, cleanup } = tempDir();
    try {
      const faults = 'faults={failoverTime: 1s, events: [{at: 3s, crash: leader-0}, {at: 5s, pause: replica-0-1, for: 1s}]}';
      const run = lagsim(dir, ['run', join(SCENARIOS_DIR, 'feed-causal.yaml'), '--duration', '8s', '--set', faults, '--history', 'h.jsonl']);
      assert.equal(run.status, ExitCode.ok, run.stderr);
      const text = readFileSync(join(dir, 'h.jsonl'), 'utf8');
      for (const needle of ['"type":"failover"', '"failed":true', '"deps":[[', '"warmup":true']) assert.ok(text.includes(needle), needle);
      const r = lagsim(dir, ['check', 'h.jsonl']);
      assert.equal(r.status, ExitCode.ok, r.stderr);
      assert.match(r.stdout, /every flag agrees with the definitions\n$/);
    } finally {
      cleanup();
    }
  });
});

describe('an empty history, as a run with no operation writes it, checks clean', () => {
  it('lagsim run --duration 1us --history → an empty file; lagsim check and check_history.py: exit 0', () => {
    const { dir, cleanup } = tempDir();
    try {
      const run = lagsim(dir, ['run', join(REPO_ROOT, 'scenarios', 'ghost-post.yaml'), '--duration', '1us', '--set', 'warmup=0s', '--history', 'h.jsonl']);
      assert.equal(run.status, 0, run.stderr);
      assert.equal(readFileSync(join(dir, 'h.jsonl'), 'utf8'), '');
      const check = lagsim(dir, ['check', 'h.jsonl', '--json']);
      assert.equal(check.status, 0, check.stderr);
      if (spawnSync('python3', ['--version']).status === 0) {
        const r = spawnSync('python3', [join(REPO_ROOT, 'tools', 'check_history.py'), 'h.jsonl'], { cwd: dir, encoding: 'utf8' });
        assert.equal(r.status, 0, r.stderr);
      }
    } finally {
      cleanup();
    }
  });
});

describe('checkHistoryFile: a history read line by line', () => {
  /**
   * A history of about 3 MB in the export's order: keys with multi-byte names (a chunk of the
   * reader ends inside a character somewhere), a write whose deps' names make one line of over a megabyte
   * (longer than a chunk), reads stale and fresh, one flag wrong, one `leader` field wrong.
   */
  function bigHistory(): string {
    const lines: string[] = [];
    const deps = [[`${'ж'.repeat(300_000)}-1`, 1], [`${'ж'.repeat(300_000)}-2`, 1]];
    for (let i = 0; i < 60_000; i++) lines.push(JSON.stringify({ type: 'write', session: 1, t0: i, tc: i, t1: i, key: `ключ-${i}`, shard: 0, version: 1, deps: [], node: 'leader-0' }));
    lines.push(JSON.stringify({ type: 'write', session: 2, t0: 60_000, tc: 60_000, t1: 60_000, key: 'ünïcödé', shard: 0, version: 1, deps, node: 'leader-0' }));
    for (let i = 0; i < 3_000; i++) {
      const t = 60_001 + i;
      const stale = i % 3 === 0;
      const flags = stale ? ['stale'] : [];
      lines.push(JSON.stringify({ type: 'read', session: 3 + (i % 7), t0: t, t1: t, reads: [{ key: 'ünïcödé', version: 1, node: 'r', leader: 1 }, { key: `ключ-${i}`, version: stale ? null : 1, node: 'r', leader: i === 5 ? 7 : 1 }], flags: i === 4 ? ['mr'] : flags }));
    }
    return `${lines.join('\r\n')}\n\n`;
  }

  it('counts, flags, leader fields and bins as the same history held as one text (chunks, CRLF, multi-byte keys, a line over a chunk)', () => {
    const { dir, cleanup } = tempDir();
    try {
      const text = bigHistory();
      const path = join(dir, 'big.jsonl');
      writeFileSync(path, text);
      const fromFile = checkHistoryFile(path);
      const fromText = checkHistory(text, path);
      assert.deepEqual(fromFile, fromText);
      assert.equal(fromFile.counts.stale.violations, 1_000);
      assert.deepEqual(fromFile.mismatches.map((m) => m.line), [60_006]);
      assert.deepEqual(fromFile.leaderMismatches.map((m) => [m.line, m.found]), [[60_007, 7]]);
      // The same without the last newline.
      writeFileSync(path, text.trimEnd());
      assert.deepEqual(checkHistoryFile(path), fromText);
    } finally {
      cleanup();
    }
  });

  it('a line longer than the reader takes, a file that changes between the two passes: one line each', () => {
    const { dir, cleanup } = tempDir();
    try {
      const path = join(dir, 'h.jsonl');
      writeFileSync(path, `${WRITE}\n${READ}\n`);
      assert.equal(
        inputErrorLine(() => inputLines(path, undefined, undefined, undefined, 120).forEach(() => undefined)),
        `${path}: line 2: expected a line of at most 120 bytes (one JSON object per line)`,
      );
      const lines = inputLines(path);
      lines.forEach(() => undefined);
      writeFileSync(path, `${WRITE}\n${READ}\n${READ}\n`);
      assert.equal(inputErrorLine(() => lines.forEach(() => undefined)), `${path}: the file changed while it was being checked`);
    } finally {
      cleanup();
    }
  });

  it('a line of any whitespace is blank (a no-break space, a byte-order mark), as trim() reads it', () => {
    const result = checkHistory(`\u00a0\n${WRITE}\n\ufeff\n${READ}\n\u3000`, 'blank.jsonl');
    assert.deepEqual([result.writes, result.reads, result.mismatches.length], [1, 1, 0]);
  });

  it('a history out of the export order is sorted in memory, up to a bound', () => {
    const unordered = `${edit(READ, { session: 1, t0: 20, t1: 20, flags: [] })}\n${WRITE}\n`;
    assert.deepEqual(checkHistoryLines(linesOfText(unordered), 'u.jsonl', { sortLimitBytes: 1000 }).mismatches, []);
    assert.equal(
      inputErrorLine(() => checkHistoryLines(linesOfText(unordered), 'u.jsonl', { sortLimitBytes: 100 })),
      `u.jsonl: the file has ${unordered.length} bytes and lists some session's operations out of the order they started ` +
        '(expected a file in the export\'s order, by t1, or at most 0 MiB to sort in memory)',
    );
  });
});
