/**
 * `--shard i/n`: run one slice of a sweep so that n processes (an array job) share it. Slices are
 * dealt round-robin over the sweep's task list (task t belongs to shard t mod n + 1), so every
 * shard gets a similar mix of cheap and expensive grid points; `lagsim merge` puts them back.
 */
import { InputError } from '../../text/errors.js';
import { messages } from '../../text/messages.js';

export interface Shard {
  /** 1-based, as written. */
  index: number;
  count: number;
}

const SHARD_RE = /^\s*(\d+)\s*\/\s*(\d+)\s*$/;

/** More shards than this is a typo (a sweep of 10,000 machines would be split otherwise), and merge must hold one file per shard. */
export const MAX_SHARDS = 10_000;

export function parseShard(text: string): Shard {
  const match = SHARD_RE.exec(text);
  if (!match) throw new InputError('--shard', undefined, messages.shardSyntax(text));
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || index < 1 || index > count) throw new InputError('--shard', undefined, messages.shardRange(text));
  if (count > MAX_SHARDS) throw new InputError('--shard', undefined, messages.shardTooMany(text, MAX_SHARDS));
  return { index, count };
}

export const WHOLE: Shard = { index: 1, count: 1 };

export function ownsTask(shard: Shard, task: number): boolean {
  return task % shard.count === shard.index - 1;
}

export function shardFileName(shard: Shard): string {
  return `shard-${shard.index}-of-${shard.count}.json`;
}
