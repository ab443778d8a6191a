/**
 * The one rule for every output path (--out, --history, --timeseries, --chart), checked before a
 * command simulates anything, so a path that cannot be written is bad input (one line, exit 2,
 * nothing written) and never a failure after the work:
 *
 * - the path is not empty;
 * - a file path does not name a folder (nor a device, FIFO, ...), a folder path does not name a file;
 * - the folders on the way that exist are folders (not files) lagsim may write into; the missing
 *   ones are created when the outputs are written (and removed again if the command fails);
 * - the files a folder will receive are not folders.
 *
 * Errors name the option and the path as the user gave it: `--out: results/x: exists and is not a folder`.
 */
import { accessSync, constants, realpathSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../text/errors.js';
import { isInputFile } from './inputFiles.js';
import { messages } from '../text/messages.js';

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw error;
  }
}

function reason(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e.code ?? (error instanceof Error ? error.message : String(error));
}

/** The nearest existing folder on the way to `path` must be a folder lagsim may write into. */
function checkFoldersOnTheWay(flag: string, path: string): void {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    let stats: Stats | null;
    try {
      stats = statOrNull(dir);
    } catch (error) {
      throw new InputError(flag, path, messages.outputNotWritable(dir, reason(error)));
    }
    if (stats !== null) {
      if (!stats.isDirectory()) throw new InputError(flag, path, messages.outputParentNotFolder(dir));
      try {
        accessSync(dir, constants.W_OK | constants.X_OK);
      } catch (error) {
        throw new InputError(flag, path, messages.outputNotWritable(dir, reason(error)));
      }
      return;
    }
    if (dirname(dir) === dir) return;
  }
}

/** Folders of the kernel's own (pseudo-)files: writing there is never what a user means. */
const SYSTEM_ROOTS = ['/proc', '/sys', '/dev'];

function checkNotInputOrSystem(flag: string, path: string): void {
  const absolute = resolve(path);
  let real = absolute;
  try {
    real = realpathSync(absolute);
  } catch {
    // Not there yet: its folders are checked below.
  }
  for (const root of SYSTEM_ROOTS) {
    if (absolute === root || absolute.startsWith(`${root}/`) || real === root || real.startsWith(`${root}/`)) {
      throw new InputError(flag, path, messages.outputInSystemFolder(root));
    }
  }
  if (isInputFile(absolute)) throw new InputError(flag, path, messages.outputIsInput);
}

function checkFileAt(flag: string, path: string): void {
  checkNotInputOrSystem(flag, path);
  if (/[\\/]$/.test(path) || basename(resolve(path)) === '' || ['.', '..'].includes(basename(path))) {
    throw new InputError(flag, path, messages.outputIsFolder);
  }
  let stats: Stats | null;
  try {
    stats = statOrNull(path);
  } catch (error) {
    throw new InputError(flag, path, messages.outputNotWritable(dirname(path), reason(error)));
  }
  if (stats !== null && stats.isDirectory()) throw new InputError(flag, path, messages.outputIsFolder);
  if (stats !== null && !stats.isFile()) throw new InputError(flag, path, messages.outputNotRegularFile);
  checkFoldersOnTheWay(flag, path);
}

/** Checks an output file path (see the rule above); returns it absolute. */
export function checkOutputFile(flag: string, path: string): string {
  if (path === '') throw new InputError(flag, undefined, messages.outputEmpty('file'));
  checkFileAt(flag, path);
  return resolve(path);
}

/**
 * Checks an output folder and the files it will receive (names inside it); returns it absolute.
 */
export function checkOutputFolder(flag: string, path: string, files: readonly string[] = []): string {
  if (path === '') throw new InputError(flag, undefined, messages.outputEmpty('folder'));
  checkNotInputOrSystem(flag, path);
  let stats: Stats | null;
  try {
    stats = statOrNull(path);
  } catch (error) {
    throw new InputError(flag, path, messages.outputNotWritable(path, reason(error)));
  }
  if (stats === null) {
    checkFoldersOnTheWay(flag, path);
    return resolve(path);
  }
  if (!stats.isDirectory()) throw new InputError(flag, path, messages.outNotFolder);
  try {
    accessSync(path, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw new InputError(flag, path, messages.outputNotWritable(path, reason(error)));
  }
  for (const file of files) checkFileAt(flag, join(path, file));
  return resolve(path);
}

/** Two options must not write one file: `outputs` is [option, absolute path] pairs. */
export function checkDistinctOutputs(outputs: readonly (readonly [flag: string, path: string, shown: string])[]): void {
  const seen = new Map<string, string>();
  for (const [flag, path, shown] of outputs) {
    const other = seen.get(path);
    if (other !== undefined) throw new InputError(flag, shown, messages.outputTwice(other));
    seen.set(path, flag);
  }
}
