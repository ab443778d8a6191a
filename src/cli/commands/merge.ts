/**
 * `lagsim merge DIR|FILE... [--out DIR]`: joins the shard files of a sharded sweep
 * (`sweep --shard i/n`) into exactly the outputs the whole sweep would have written: the records
 * are put back in task order and go through the same writer, so the files are byte-identical.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeSweepOutputs, sweepSummaryJson } from '../../report/sweepOutput.js';
import { sweepTables } from '../../report/sweepTable.js';
import { planTasks } from '../../report/grid.js';
import type { TaskRecord, TaskRef } from '../../report/sweepData.js';
import { InputError } from '../../text/errors.js';
import { SCENARIO_NAME_RE } from '../../scenario/schema.js';
import { ExitCode } from '../../text/exitCodes.js';
import { messages } from '../../text/messages.js';
import { checkOutDir, splitRecords } from '../../run/sweep/execute.js';
import { readShardFile, SHARD_FILE_RE, type ShardFile } from '../../run/sweep/shardFile.js';
import { defaultOutputFolder } from '../defaultOutput.js';

export interface MergeOptions {
  out?: string;
  json?: boolean;
}

/** The shard files named by the arguments: files as given, folders for every shard-I-of-N.json inside. */
function shardPaths(inputs: readonly string[]): string[] {
  const paths: string[] = [];
  for (const input of inputs) {
    let isFolder: boolean;
    try {
      isFolder = statSync(input).isDirectory();
    } catch {
      throw new InputError(input, undefined, messages.fileNotFound);
    }
    if (!isFolder) {
      paths.push(input);
      continue;
    }
    const found = readdirSync(input)
      .filter((name) => SHARD_FILE_RE.test(name))
      .sort()
      .map((name) => join(input, name));
    if (found.length === 0) throw new InputError(input, undefined, messages.mergeNoShards);
    paths.push(...found);
  }
  const unique = new Map<string, string>();
  for (const path of paths) if (!unique.has(resolve(path))) unique.set(resolve(path), path);
  return [...unique.values()];
}

/** Checks that the shards are the slices of one sweep, each once, none missing; returns them in shard order. */
export function checkShards(files: readonly { path: string; file: ShardFile }[]): ShardFile[] {
  const first = files[0]!;
  const bySlice = new Map<number, { path: string; file: ShardFile }>();
  const specText = JSON.stringify(first.file.spec);
  for (const entry of files) {
    const { path, file } = entry;
    if (file.fingerprint !== first.file.fingerprint || JSON.stringify(file.spec) !== specText || file.tasks !== first.file.tasks) {
      throw new InputError(path, undefined, messages.mergeOtherSweep(first.path));
    }
    if (file.shard.count !== first.file.shard.count) {
      throw new InputError(path, undefined, messages.mergeOtherSplit(file.shard.count, first.path, first.file.shard.count));
    }
    const other = bySlice.get(file.shard.index);
    if (other !== undefined) throw new InputError(path, undefined, messages.mergeDuplicateShard(file.shard.index, other.path));
    bySlice.set(file.shard.index, entry);
  }
  const count = first.file.shard.count;
  const missing: number[] = [];
  for (let i = 1; i <= count; i++) if (!bySlice.has(i)) missing.push(i);
  if (missing.length > 0) throw new InputError(first.path, undefined, messages.mergeMissingShards(missing, count));
  return [...bySlice.entries()].sort((a, b) => a[0] - b[0]).map(([, entry]) => entry.file);
}

/**
 * Every record of the sweep in task order; a record out of place (another shard's task, a task
 * given twice, a task that is not the run the sweep plans for it) means the file is not ours.
 */
export function mergedRecords(shards: readonly ShardFile[], paths: readonly string[]): TaskRecord[] {
  const total = shards[0]!.tasks;
  const planned = planTasks(shards[0]!.spec);
  const records = new Array<TaskRecord | undefined>(total);
  const from = new Array<string | undefined>(total);
  const describe = (ref: TaskRef): string => `kind ${ref.kind}, point ${ref.point}, seed ${ref.seed}`;
  shards.forEach((shard, i) => {
    const path = paths[i]!;
    shard.records.forEach((record, j) => {
      const at = `records.${j}`;
      const task = record.task;
      if (task >= total) throw new InputError(path, `${at}.task`, messages.shardTaskOutside(task, total));
      const owner = (task % shard.shard.count) + 1;
      if (owner !== shard.shard.index) throw new InputError(path, `${at}.task`, messages.shardTaskOtherShard(task, owner, shard.shard.index));
      if (records[task] !== undefined) throw new InputError(path, `${at}.task`, messages.shardTaskTwice(task, from[task]!));
      const ref = planned[task]!;
      if (record.kind !== ref.kind || record.point !== ref.point || record.seed !== ref.seed) {
        throw new InputError(path, at, messages.shardTaskMismatch(task, describe(ref), describe(record)));
      }
      records[task] = record;
      from[task] = `${path} ${at}`;
    });
  });
  const gap = records.findIndex((r) => r === undefined);
  if (gap >= 0) {
    const owner = (gap % shards[0]!.shard.count) + 1;
    throw new InputError(paths[owner - 1] ?? paths[0]!, undefined, messages.mergeNotShard(`task ${gap} is missing (an incomplete shard ${owner})`));
  }
  return records as TaskRecord[];
}

export async function mergeCommand(inputs: readonly string[], options: MergeOptions): Promise<ExitCode> {
  const paths = shardPaths(inputs);
  const files = paths.map((path) => ({ path, file: readShardFile(path) }));
  const shards = checkShards(files);
  const ordered = shards.map((shard) => files.find((f) => f.file === shard)!.path);
  const records = mergedRecords(shards, ordered);
  const spec = shards[0]!.spec;
  // The default folder is named after the scenario as the shard file says: hold that name to the
  // scenario format's rule, as `sweep` does before it writes (a `../` must not leave lagsim-out/).
  if (options.out === undefined && !SCENARIO_NAME_RE.test(spec.scenario.name)) {
    throw new InputError(ordered[0]!, 'spec.scenario.name', messages.unsafeScenarioName(spec.scenario.name));
  }
  const out = options.out ?? defaultOutputFolder(spec.scenario.name, 'merge');
  checkOutDir(out);
  const { runs, lags } = splitRecords(records);
  const written = await writeSweepOutputs(out, spec, runs, lags);
  process.stderr.write(`merged ${shards.length} shard${shards.length === 1 ? '' : 's'} (${records.length} tasks)\n`);
  if (options.json) {
    process.stdout.write(sweepSummaryJson(written.result));
    process.stderr.write(`wrote ${out}: ${written.files.join(', ')}\n`);
  } else {
    process.stdout.write(sweepTables(written.result));
    process.stdout.write(`\nwrote ${out}: ${written.files.join(', ')}\n`);
  }
  return ExitCode.ok;
}
