/**
 * Every file a command reads as input goes through here (docs/scenario-format.md, "Limits"): it must
 * be a regular file (not a folder, device or FIFO such as /dev/zero, which would never end) below a
 * size cap, read as UTF-8 once. Its real path is remembered, so that no output of the same command
 * can overwrite it (outputPaths.ts asks `isInputFile`).
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { messages } from '../text/messages.js';
import { InputError } from '../text/errors.js';

/** Size caps, bytes: a scenario, a data file (empirical samples), a history or shard file. */
export const INPUT_CAPS = {
  scenario: 8 * 1024 * 1024,
  data: 64 * 1024 * 1024,
  history: 256 * 1024 * 1024,
} as const;

const inputs = new Set<string>();

function realOrResolved(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/**
 * Reads an input file. Errors are one-line InputErrors on `blame` (the file, or the scenario and
 * field that named it); `notFound` words the missing-file case. Nothing of the content is echoed.
 */
export function readInputFile(
  path: string,
  kind: keyof typeof INPUT_CAPS,
  fail: (message: string) => InputError = (message) => new InputError(path, undefined, message),
  notFound: string = messages.fileNotFound,
  isFolder: string = messages.notAFile,
): string {
  let size: number;
  try {
    const stats = statSync(path);
    if (stats.isDirectory()) throw fail(isFolder);
    if (!stats.isFile()) throw fail(messages.notARegularFile);
    size = stats.size;
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw fail(notFound);
    throw fail(messages.cannotRead(code ?? String(error)));
  }
  if (size > INPUT_CAPS[kind]) throw fail(messages.inputTooLarge(size, INPUT_CAPS[kind]));
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw fail(messages.cannotRead(code ?? String(error)));
  }
  inputs.add(realOrResolved(path));
  return text;
}

/** Whether `path` (an existing file, or not) is a file this process read as input. */
export function isInputFile(path: string): boolean {
  return inputs.has(realOrResolved(path));
}
