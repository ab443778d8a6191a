/**
 * A shard's output: `shard-<i>-of-<n>.json`, the records of its slice of the tasks with the
 * sweep's definition and fingerprint, so that `lagsim merge` can check the slices belong together
 * and rebuild exactly the output of the whole sweep.
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../../scenario/errors.js';
import type { SweepSpec, TaskRecord } from '../../report/sweepData.js';
import { messages } from '../messages.js';
import type { Shard } from './shard.js';

export const SHARD_FORMAT = 'lagsim-sweep-shard/1';
export const SHARD_FILE_RE = /^shard-(\d+)-of-(\d+)\.json$/;

export interface ShardFile {
  format: typeof SHARD_FORMAT;
  fingerprint: string;
  shard: Shard;
  /** Tasks in the whole sweep (every shard's together). */
  tasks: number;
  spec: SweepSpec;
  records: TaskRecord[];
}

export function shardFileText(file: ShardFile): string {
  return `${JSON.stringify(file)}\n`;
}

export function readShardFile(path: string): ShardFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(path, undefined, code === 'ENOENT' ? messages.fileNotFound : messages.cannotRead(code ?? String(error)));
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InputError(path, undefined, messages.mergeNotShard(error instanceof Error ? error.message : String(error)));
  }
  const file = parsed as Partial<ShardFile>;
  if (typeof parsed !== 'object' || parsed === null || file.format !== SHARD_FORMAT) {
    throw new InputError(path, undefined, messages.mergeNotShard(`expected "format": "${SHARD_FORMAT}"`));
  }
  if (
    typeof file.fingerprint !== 'string' ||
    typeof file.tasks !== 'number' ||
    typeof file.shard?.index !== 'number' ||
    typeof file.shard.count !== 'number' ||
    typeof file.spec !== 'object' ||
    !Array.isArray(file.records)
  ) {
    throw new InputError(path, undefined, messages.mergeNotShard('fields missing (fingerprint, shard, tasks, spec, records)'));
  }
  return file as ShardFile;
}
