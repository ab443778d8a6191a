// Bad shard files given to `lagsim merge`: one line naming the file and the field path, exit 2,
// nothing written — never a crash (exit 1) while the outputs are written, a JSON.parse message
// over several lines, "missing shards" for a shard index out of range, or a list of every field
// for one wrong field. Real shard files (faults, lost writes, lag records) are still merged.
import { before, after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkShards, mergedRecords } from '../../../src/cli/commands/merge.js';
import { ExitCode } from '../../../src/text/exitCodes.js';
import { jsonSyntaxError, readShardFile, type ShardFile } from '../../../src/run/sweep/shardFile.js';
import { tempDir } from '../../helpers/sim.js';
import { BUILT, lagsim, writeSmallScenario } from '../../cli/sweepCli.js';
import { inputErrorLine } from '../../helpers/inputError.js';

type Json = Record<string, unknown> & { records: Record<string, unknown>[] };

describe('jsonSyntaxError: where a file stops being JSON, and what was expected there', () => {
  const cases: [text: string, line: number, column: number, expected: string, got: string | null][] = [
    ['garbage\n', 1, 1, 'a value (a mapping, list, string, number, true, false or null)', 'g'],
    ['', 1, 1, 'a value (a mapping, list, string, number, true, false or null)', null],
    ['{\n  "a": 1,\n  "b": [1, 2,, 3]\n}\n', 3, 14, 'a value (a mapping, list, string, number, true, false or null)', ','],
    ['{"a": 1 "b": 2}', 1, 9, ', or }', '"'],
    ['[1, 2', 1, 6, ', or ]', null],
    ['{"a" 1}', 1, 6, ':', '1'],
    ['{a: 1}', 1, 2, 'a field name in double quotes', 'a'],
    ['{"a": "unterminated', 1, 20, 'a closing " (a line break inside a string is written \\n)', null],
    ['{"a": "two\nlines"}', 1, 11, 'a closing " (a line break inside a string is written \\n)', '\n'],
    ['"\\x"', 1, 3, 'an escape such as \\n, \\" or \\u00e9', 'x'],
    ['-x', 1, 2, 'a digit', 'x'],
    ['1.e5', 1, 3, 'a digit', 'e'],
    ['tru', 1, 4, 'true', null],
    ['{} {}', 1, 4, 'the end of the file', '{'],
  ];
  for (const [text, line, column, expected, got] of cases) {
    it(JSON.stringify(text), () => {
      assert.throws(() => JSON.parse(text));
      assert.deepEqual(jsonSyntaxError(text), { line, column, expected, got });
    });
  }

  it('JSON is no error, however deeply nested', () => {
    for (const text of ['{}', ' [ ] ', '{"a": [1, -2.5e+3, "x\\u00e9\\n", true, false, null, {}]}\n', '['.repeat(100_000) + ']'.repeat(100_000)]) {
      assert.equal(jsonSyntaxError(text), null, text.slice(0, 40));
    }
  });
});

describe('readShardFile and merge on bad shard files', { skip: !BUILT && 'dist/ not built (npm test builds it)' }, () => {
  let dir = '';
  let cleanup = (): void => {};
  /** The two shard files of a small sweep (4 tasks: a lag record and three runs; shard 1 has tasks 0 and 2), as JSON. */
  const shards: Json[] = [];
  before(() => {
    ({ dir, cleanup } = tempDir());
    const file = writeSmallScenario(dir);
    for (const i of [1, 2]) {
      const args = ['sweep', file, '--vary', 'strategy.name=none,pin', '--seeds', '1,2', '--set', 'duration=3s', '--shard', `${i}/2`, '--jobs', '1', '--out', 'shards'];
      const r = lagsim(dir, args);
      assert.equal(r.status, ExitCode.ok, r.stderr);
      shards.push(JSON.parse(readFileSync(join(dir, 'shards', `shard-${i}-of-2.json`), 'utf8')) as Json);
    }
    assert.deepEqual(
      shards[0]!.records.map((r) => [r['task'], r['kind']]),
      [
        [0, 'lag'],
        [2, 'run'],
      ],
    );
  });
  after(() => cleanup());

  /** readShardFile's error on shard 1 edited by `edit`. */
  const bad = (edit: (file: Json) => void): string => {
    const file = structuredClone(shards[0]!);
    edit(file);
    writeFileSync(join(dir, 's1.json'), JSON.stringify(file));
    return inputErrorLine(() => readShardFile(join(dir, 's1.json'))).replace(`${join(dir, 's1.json')}: `, 's1.json: ');
  };
  const summary = (file: Json, i: number) => file.records[i]!['summary'] as Record<string, Record<string, unknown>>;

  const cases: [what: string, edit: (file: Json) => void, expected: string][] = [
    ['records [null]', (f) => (f.records = [null as unknown as Record<string, unknown>]), 's1.json: records.0: expected a run record (a mapping with task, kind, point, seed and summary), got null'],
    ['records [{"task": 1}]', (f) => (f.records = [{ task: 1 }]), 's1.json: records.0.kind: required field is missing; expected one of: run, lag'],
    ['records "garbage"', (f) => ((f as Record<string, unknown>)['records'] = 'garbage'), 's1.json: records: expected a list of run records, got "garbage"'],
    ['fingerprint a number', (f) => (f['fingerprint'] = 5), 's1.json: fingerprint: expected a string, got 5'],
    ['no tasks', (f) => delete f['tasks'], 's1.json: tasks: required field is missing; expected a whole number >= 1'],
    ['shard index 9 of 2', (f) => (f['shard'] = { index: 9, count: 2 }), 's1.json: shard.index: expected a whole number from 1 to 2 (the shard count), got 9'],
    ['shard index 0', (f) => (f['shard'] = { index: 0, count: 2 }), 's1.json: shard.index: expected a whole number >= 1, got 0'],
    ['shard count a string', (f) => (f['shard'] = { index: 1, count: '2' }), 's1.json: shard.count: expected a whole number >= 1, got "2"'],
    ['tasks not the plan of spec', (f) => (f['tasks'] = 5), 's1.json: tasks: expected 4 (the runs the sweep in spec plans), got 5'],
    ['spec.seeds a string', (f) => ((f['spec'] as Record<string, unknown>)['seeds'] = 'x'), 's1.json: spec.seeds: expected a list, got "x"'],
    ['spec.seeds empty', (f) => ((f['spec'] as Record<string, unknown>)['seeds'] = []), 's1.json: spec.seeds: expected at least 1 item'],
    ['spec.seeds twice the same', (f) => ((f['spec'] as Record<string, unknown>)['seeds'] = [1, 1]), 's1.json: spec.seeds.1: seed 1 is listed twice (a repeated seed repeats the same run)'],
    ['a record kind "x"', (f) => (f.records[1]!['kind'] = 'x'), 's1.json: records.1.kind: expected one of: run, lag, got "x"'],
    ['a record task -1', (f) => (f.records[1]!['task'] = -1), 's1.json: records.1.task: expected a whole number >= 0, got -1'],
    ['a summary {}', (f) => (f.records[1]!['summary'] = {}), 's1.json: records.1.summary.lagsim: required field is missing; expected a string'],
    ['a cost a string', (f) => (summary(f, 1)['costs']!['reads'] = 'x'), 's1.json: records.1.summary.costs.reads: expected a number, got "x"'],
    ['a rate a string', (f) => (summary(f, 0)['anomalies']!['ryw'] = { ...(summary(f, 0)['anomalies']!['ryw'] as object), rateEligible: 'x' }), 's1.json: records.0.summary.anomalies.ryw.rateEligible: expected a number or null, got "x"'],
    ['a node role "boss"', (f) => ((summary(f, 1)['nodes'] as unknown as Record<string, unknown>[])[0]!['role'] = 'boss'), 's1.json: records.1.summary.nodes.0.role: expected one of: leader, replica, got "boss"'],
    ['a lag record without series', (f) => delete f.records[0]!['series'], 's1.json: records.0.series: required field is missing; expected a mapping'],
    ['a lag series 3', (f) => (f.records[0]!['series'] = 3), 's1.json: records.0.series: expected a mapping, got 3'],
    ['a lag series value a string', (f) => ((f.records[0]!['series'] as { nodes: { lagMs: unknown[] }[] }).nodes[0]!.lagMs[2] = 'x'), 's1.json: records.0.series.nodes.0.lagMs.2: expected a number, got "x"'],
  ];
  for (const [what, edit, expected] of cases) {
    it(what, () => assert.equal(bad(edit), expected));
  }

  it('a file that is no JSON: one line with line and column', () => {
    writeFileSync(join(dir, 'garbage.json'), 'garbage\n');
    assert.equal(
      inputErrorLine(() => readShardFile(join(dir, 'garbage.json'))),
      `${join(dir, 'garbage.json')}: line 1, column 1: not valid JSON: expected a value (a mapping, list, string, number, true, false or null), got "g"`,
    );
    const text = readFileSync(join(dir, 'shards', 'shard-1-of-2.json'), 'utf8');
    writeFileSync(join(dir, 'cut.json'), text.slice(0, 1000));
    assert.match(inputErrorLine(() => readShardFile(join(dir, 'cut.json'))), /^.*cut\.json: line 1, column \d+: not valid JSON: expected .*, got the end of the file$/);
  });

  /** mergedRecords' error on the two shards, shard 1 edited by `edit` (after it was read and checked). */
  const mergeError = (edit: (file: ShardFile) => void): string => {
    const files = shards.map((s, i) => ({ path: `s${i + 1}.json`, file: structuredClone(s) as unknown as ShardFile }));
    edit(files[0]!.file);
    return inputErrorLine(() => mergedRecords(checkShards(files), ['s1.json', 's2.json']));
  };

  it('records out of place: another shard’s task, a task given twice, a run the sweep does not plan', () => {
    assert.equal(mergedRecords(checkShards(shards.map((s, i) => ({ path: `s${i + 1}.json`, file: s as unknown as ShardFile }))), ['s1.json', 's2.json']).length, 4);
    assert.equal(mergeError((f) => (f.records[1]!.task = 1)), 's1.json: records.1.task: task 1 belongs to shard 2, not to shard 1 (this file\'s)');
    assert.equal(mergeError((f) => (f.records[1]!.task = 0)), 's1.json: records.1.task: task 0 is given twice (also s1.json records.0)');
    assert.equal(mergeError((f) => (f.records[1]!.task = 4)), 's1.json: records.1.task: task 4 is outside the sweep (expected a task from 0 to 3)');
    assert.equal(mergeError((f) => (f.records[1]!.point = 0)), 's1.json: records.1: expected the run the sweep plans as task 2 (kind run, point 1, seed 1), got kind run, point 0, seed 1');
    assert.equal(mergeError((f) => (f.records[1]!.seed = 7)), 's1.json: records.1: expected the run the sweep plans as task 2 (kind run, point 1, seed 1), got kind run, point 1, seed 7');
  });

  it('lagsim merge: exit 2, the one line on stderr, nothing written; the real shards still merge', () => {
    const cases: [edit: (file: Json) => void, expected: string][] = [
      [(f) => (f.records = [null as unknown as Record<string, unknown>]), 'bad/shard-1-of-2.json: records.0: expected a run record (a mapping with task, kind, point, seed and summary), got null'],
      [(f) => (f['shard'] = { index: 9, count: 2 }), 'bad/shard-1-of-2.json: shard.index: expected a whole number from 1 to 2 (the shard count), got 9'],
      [(f) => (f.records[1]!['point'] = 7), 'bad/shard-1-of-2.json: records.1: expected the run the sweep plans as task 2 (kind run, point 1, seed 1), got kind run, point 7, seed 1'],
    ];
    mkdirSync(join(dir, 'bad'), { recursive: true });
    writeFileSync(join(dir, 'bad', 'shard-2-of-2.json'), JSON.stringify(shards[1]));
    for (const [edit, expected] of cases) {
      const file = structuredClone(shards[0]!);
      edit(file);
      writeFileSync(join(dir, 'bad', 'shard-1-of-2.json'), JSON.stringify(file));
      const r = lagsim(dir, ['merge', 'bad', '--out', 'out']);
      assert.equal(r.status, ExitCode.badInput, r.stderr);
      assert.equal(r.stderr, `${expected}\n`);
      assert.ok(!existsSync(join(dir, 'out')), 'nothing written');
    }
    writeFileSync(join(dir, 'bad', 'shard-1-of-2.json'), 'garbage\n');
    const garbage = lagsim(dir, ['merge', 'bad', '--out', 'out']);
    assert.equal(garbage.status, ExitCode.badInput);
    assert.equal(garbage.stderr, 'bad/shard-1-of-2.json: line 1, column 1: not valid JSON: expected a value (a mapping, list, string, number, true, false or null), got "g"\n');

    const good = lagsim(dir, ['merge', 'shards', '--out', 'merged']);
    assert.equal(good.status, ExitCode.ok, good.stderr);
  });
});
