// The partial folder of a resumable sweep is lagsim's own or refused: a symbolic link planted at
// <out>/.lagsim-partial.tmp must not make a sweep write (or read records) outside --out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Checkpoint, PARTIAL_DIR } from '../../../src/run/sweep/checkpoint.js';
import type { TaskRecord } from '../../../src/report/sweepData.js';
import { removeStaleTemporaries } from '../../../src/report/outputSet.js';
import { inputErrorLine } from '../../helpers/inputError.js';

const FINGERPRINT = 'f'.repeat(64);
const record = { task: 0, kind: 'run', point: 0, seed: 1 } as unknown as TaskRecord;

function withDir(body: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'lagsim-checkpoint-'));
  try {
    body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a sweep saves, finds and clears its records in a folder it made', () => {
  withDir((dir) => {
    const checkpoint = new Checkpoint(dir, FINGERPRINT);
    assert.equal(checkpoint.load(record), undefined);
    checkpoint.save(record);
    assert.deepEqual(new Checkpoint(dir, FINGERPRINT).load(record), record);
    checkpoint.clear([record], false);
    assert.ok(!existsSync(join(dir, PARTIAL_DIR)), 'the folder goes with its last record');
  });
});

test('a symbolic link, a file or a foreign folder at the partial folder is refused in one line, nothing written', () => {
  withDir((dir) => {
    const elsewhere = join(dir, 'elsewhere');
    mkdirSync(elsewhere);
    mkdirSync(join(dir, 'out'));
    symlinkSync(elsewhere, join(dir, 'out', PARTIAL_DIR));
    const line = inputErrorLine(() => new Checkpoint(join(dir, 'out'), FINGERPRINT));
    assert.equal(
      line,
      `--out: "${join(dir, 'out', PARTIAL_DIR)}" is not a folder of unfinished sweep runs that lagsim made (a symbolic link, a file, or another program's folder): remove it, or choose another --out`,
    );
    assert.deepEqual(readdirSync(elsewhere), []);

    mkdirSync(join(dir, 'out2', PARTIAL_DIR), { recursive: true });
    assert.match(inputErrorLine(() => new Checkpoint(join(dir, 'out2'), FINGERPRINT)), /is not a folder of unfinished sweep runs that lagsim made/);
    mkdirSync(join(dir, 'out3'));
    writeFileSync(join(dir, 'out3', PARTIAL_DIR), 'x');
    assert.match(inputErrorLine(() => new Checkpoint(join(dir, 'out3'), FINGERPRINT)), /is not a folder of unfinished sweep runs that lagsim made/);
  });
});

test('temporaries a killed run left beside an output are removed; a running process keeps its own', () => {
  withDir((dir) => {
    const file = join(dir, 'history.jsonl');
    // Process ids above the kernel's maximum (2^22) belong to no process.
    writeFileSync(`${file}.tmp-4999999`, 'left by kill -9');
    writeFileSync(`${file}.tmp-${process.ppid}`, 'a run in progress');
    writeFileSync(join(dir, 'other.jsonl.tmp-4999999'), 'another output');
    removeStaleTemporaries(file);
    assert.deepEqual(readdirSync(dir).sort(), [`history.jsonl.tmp-${process.ppid}`, 'other.jsonl.tmp-4999999']);
  });
});
