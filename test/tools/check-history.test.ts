// Tests of tools/check_history.py, the independent (Python, standard library only) checker of
// history files: it must reach exactly the counts that docs/examples/histories/README.md gives,
// agree with every example's flags, and handle the hand-written histories in ./histories/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ANOMALIES = ['ryw', 'mr', 'cp', 'stale'] as const;
type Anomaly = (typeof ANOMALIES)[number];

interface AnomalyCounts {
  violations: number;
  keyReads: number;
  eligible: number;
  violatingReads: number;
  rate: number | null;
  rateEligible: number | null;
}

interface Mismatch {
  session: number;
  t0: number;
  line: number;
  expected: string[];
  file: string[];
}

type CheckResult = Record<Anomaly, AnomalyCounts> & {
  reads: number;
  writes: number;
  failed: number;
  warmup: number;
  lost: number;
  flagMismatches: number;
  mismatches: Mismatch[];
};

/** The repository root: the nearest ancestor of this file holding tools/check_history.py. */
function findRepoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'tools', 'check_history.py'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

const ROOT = findRepoRoot();
const CHECKER = join(ROOT, 'tools', 'check_history.py');
const EXAMPLES = join(ROOT, 'docs', 'examples', 'histories');
// The contract's examples, where they are checked out beside the repository: an extra cross-check.
const SPEC_EXAMPLES = resolve(ROOT, '../shared/spec/examples');
const HISTORIES = join(ROOT, 'test', 'tools', 'histories');

function runChecker(file: string, json = true) {
  const args = json ? [CHECKER, '--json', file] : [CHECKER, file];
  const r = spawnSync('python3', args, { encoding: 'utf8' });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function check(file: string): { status: number | null; result: CheckResult; stderr: string } {
  const r = runChecker(file);
  assert.ok(r.status === 0 || r.status === 3, `checker exit ${r.status} on ${file}: ${r.stderr}`);
  return { status: r.status, result: JSON.parse(r.stdout) as CheckResult, stderr: r.stderr };
}

type Expected = Partial<Record<Anomaly, [violations: number, eligible: number]>>;

/** The README's table: file -> the "violations (eligible)" it names per anomaly. */
function readExamplesTable(): Map<string, Expected> {
  const text = readFileSync(join(EXAMPLES, 'README.md'), 'utf8');
  const table = new Map<string, Expected>();
  for (const line of text.split('\n')) {
    const row = /^\|\s*`([^`]+\.jsonl)`\s*\|[^|]*\|([^|]+)\|\s*$/.exec(line);
    if (!row) continue;
    const expected: Expected = {};
    for (const m of row[2]!.matchAll(/\b(ryw|mr|cp|stale)\s+(\d+)\s*\((\d+)\)/g)) {
      expected[m[1] as Anomaly] = [Number(m[2]), Number(m[3])];
    }
    assert.ok(Object.keys(expected).length > 0, `could not read the counts of README row: ${line}`);
    table.set(row[1]!, expected);
  }
  return table;
}

// Key-reads counted (warm-up and failed operations excluded), which the README does not list:
// counted by hand from each example file.
const EXAMPLE_KEY_READS: Record<string, number> = {
  'ryw-insert-not-visible.jsonl': 2,
  'ryw-someone-else-newer.jsonl': 1,
  'mr-absent-present-absent.jsonl': 3,
  'cp-answer-without-question.jsonl': 4,
  'cp-own-write-past.jsonl': 2,
  'warmup-and-failed.jsonl': 1,
};

function assertCounts(result: CheckResult, expected: Expected, keyReads: number, file: string) {
  for (const a of ANOMALIES) {
    const c = result[a];
    assert.equal(c.keyReads, keyReads, `${file}: ${a} key-reads`);
    const e = expected[a];
    if (e) {
      assert.equal(c.violations, e[0], `${file}: ${a} violations`);
      assert.equal(c.eligible, e[1], `${file}: ${a} eligible`);
      assert.equal(c.rateEligible, e[1] === 0 ? null : e[0] / e[1], `${file}: ${a} rateEligible`);
    }
    assert.equal(c.rate, keyReads === 0 ? null : c.violations / keyReads, `${file}: ${a} rate`);
  }
}

test('cross-check: the worked histories are the contract examples beside the repository', (t) => {
  if (!existsSync(SPEC_EXAMPLES)) {
    t.skip(`${SPEC_EXAMPLES} not present (../shared is not checked out beside this clone): cross-check not run`);
    return;
  }
  const files = readdirSync(SPEC_EXAMPLES).filter((f) => f.endsWith('.jsonl')).sort();
  assert.deepEqual(readdirSync(EXAMPLES).filter((f) => f.endsWith('.jsonl')).sort(), files);
  for (const f of files) assert.equal(readFileSync(join(EXAMPLES, f), 'utf8'), readFileSync(join(SPEC_EXAMPLES, f), 'utf8'), f);
});

test('worked histories: every example file has a row in the README and vice versa', () => {
  const table = readExamplesTable();
  const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.jsonl')).sort();
  assert.ok(files.length > 0, `no examples found in ${EXAMPLES}`);
  assert.deepEqual([...table.keys()].sort(), files);
  assert.deepEqual(Object.keys(EXAMPLE_KEY_READS).sort(), files, 'key-read counts known for every example');
});

for (const [file, expected] of readExamplesTable()) {
  test(`worked history ${file}: the README's counts and the file's flags`, () => {
    const { status, result } = check(join(EXAMPLES, file));
    assert.deepEqual(result.mismatches, []);
    assert.equal(result.flagMismatches, 0);
    assert.equal(status, 0);
    const keyReads = EXAMPLE_KEY_READS[file];
    assert.ok(keyReads !== undefined, `key-reads of ${file} not listed in this test`);
    assertCounts(result, expected, keyReads, file);
    // An anomaly the README does not name has no violations in that example.
    for (const a of ANOMALIES) {
      if (!expected[a]) assert.equal(result[a].violations, 0, `${file}: ${a} violations (not named)`);
    }
  });
}

test('worked history warmup-and-failed.jsonl: operation figures', () => {
  const { result } = check(join(EXAMPLES, 'warmup-and-failed.jsonl'));
  assert.deepEqual(
    { reads: result.reads, writes: result.writes, failed: result.failed, warmup: result.warmup, lost: result.lost },
    { reads: 1, writes: 0, failed: 1, warmup: 2, lost: 0 },
  );
});

test('human table: exit 0 and every anomaly listed', () => {
  const r = runChecker(join(EXAMPLES, 'cp-answer-without-question.jsonl'), false);
  assert.equal(r.status, 0, r.stderr);
  for (const a of ANOMALIES) assert.match(r.stdout, new RegExp(`^${a}\\s+\\d+\\s+4\\s+`, 'm'));
  assert.match(r.stdout, /flags: all agree/);
});

test('cp across two shards within one read, directly and through a transitive past', () => {
  const file = join(HISTORIES, 'cp-two-shards-one-read.jsonl');
  const { status, result } = check(file);
  assert.equal(status, 0);
  assert.equal(result.flagMismatches, 0);
  // Session 3 reads the answer k1@1 (shard 1) with k0 absent (shard 0) in one read; session 5
  // reads k2@2, whose past reaches k0@1 only through k1@1, with k0 absent; session 6 reads k2@2
  // with k1@1 (eligible, consistent).
  assertCounts(result, { ryw: [0, 0], mr: [0, 0], cp: [2, 3], stale: [2, 8] }, 8, file);
  assert.equal(result.cp.violatingReads, 2);
  assert.deepEqual([result.reads, result.writes], [5, 3]);
});

test('mr: present, then an older version (a warm-up read shapes the state)', () => {
  const file = join(HISTORIES, 'mr-present-older.jsonl');
  const { status, result } = check(file);
  assert.equal(status, 0);
  assertCounts(result, { ryw: [0, 0], mr: [2, 4], cp: [0, 0], stale: [2, 5] }, 5, file);
  assert.deepEqual([result.reads, result.writes, result.warmup], [4, 3, 1]);
});

test('a failed read does not shape mr eligibility; a failed write is not written', () => {
  const file = join(HISTORIES, 'failed-read-mr.jsonl');
  const { status, result } = check(file);
  assert.equal(status, 0);
  assertCounts(result, { ryw: [0, 0], mr: [0, 1], cp: [0, 0], stale: [1, 3] }, 3, file);
  assert.deepEqual([result.reads, result.writes, result.failed], [3, 1, 2]);
});

test('a lost write (failover) still counts as written for ryw', () => {
  const file = join(HISTORIES, 'lost-write-ryw.jsonl');
  const { status, result } = check(file);
  assert.equal(status, 0);
  assertCounts(result, { ryw: [1, 2], mr: [0, 1], cp: [0, 0], stale: [1, 2] }, 2, file);
  assert.equal(result.lost, 1);
});

test('flag mismatches are listed and give exit 1', () => {
  const file = join(HISTORIES, 'flag-mismatch.jsonl');
  const { status, result } = check(file);
  assert.equal(status, 3);
  assert.equal(result.flagMismatches, 3);
  assert.deepEqual(result.mismatches, [
    { session: 1, t0: 1000, line: 2, expected: ['ryw', 'stale'], file: ['stale'] },
    // Flags are listed in the order ryw, mr, cp, stale (semantics section 4).
    { session: 1, t0: 2000, line: 5, expected: ['ryw', 'stale'], file: ['stale', 'ryw'] },
    { session: 2, t0: 1000, line: 3, expected: [], file: ['stale'] },
  ]);
  // The counts are still the definitions' ones, not the file's flags.
  assertCounts(result, { ryw: [2, 2], mr: [0, 2], cp: [0, 0], stale: [2, 4] }, 4, file);

  const table = runChecker(file, false);
  assert.equal(table.status, 3);
  assert.match(table.stdout, /session 1 t0 1000 \(line 2\): expected \["ryw", "stale"\], file has \["stale"\]/);
});

// The checker is Python (no messages module to share): its lines are written out here. The JSON
// error is the text of Python's json module.
for (const [name, line, what] of [
  ['malformed-line.jsonl', 3, 'not valid JSON (Expecting value: line 1 column 88 (char 87))'],
  ['missing-leader.jsonl', 2, "missing field 'leader'"],
  ['session-overlap.jsonl', 2, 'session 1 starts an operation at t0 1000 before its previous one (line 1) completed at t1 2000'],
] as const) {
  test(`bad input ${name}: exit 2, one line on stderr naming file and line`, () => {
    const file = join(HISTORIES, name);
    const r = runChecker(file);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.trim(), `${file}:${line}: ${what}`);
  });
}

test('a file that does not exist is bad input', () => {
  const file = join(HISTORIES, 'no-such-file.jsonl');
  const r = runChecker(file);
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr.trim(), `${file}:0: cannot read file ([Errno 2] No such file or directory: '${file}')`);
});

test('the t-visibility curve of a worked history, by hand: t = t0 − tc of the leader version, binned at the last edge at or below it', () => {
  const file = join(EXAMPLES, 'ryw-insert-not-visible.jsonl');
  // The insert commits at 500 µs; the read at 2,000 µs (t = 1.5 ms) misses it, the one at 400,000 µs (t = 399.5 ms) has it.
  const curve = (args: string[]) => {
    const r = spawnSync('python3', [CHECKER, '--json', file, ...args], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return (JSON.parse(r.stdout) as { tVisibility: unknown }).tVisibility;
  };
  assert.deepEqual(curve([]), [
    { fromMs: 1, toMs: 2, keyReads: 1, visible: 0 },
    { fromMs: 200, toMs: 500, keyReads: 1, visible: 1 },
  ]);
  assert.deepEqual(curve(['--t-visibility-edges', '0,1,100']), [
    { fromMs: 1, toMs: 100, keyReads: 1, visible: 0 },
    { fromMs: 100, toMs: null, keyReads: 1, visible: 1 },
  ]);
  const bad = spawnSync('python3', [CHECKER, file, '--t-visibility-edges', '0,5,1'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.equal(bad.stderr.trim(), '--t-visibility-edges: expected increasing milliseconds from 0, e.g. 0,50,100,1000');
});
