/**
 * Every file a command reads as input goes through here (docs/scenario-format.md, "Limits"): it must
 * be a regular file (not a folder, device or FIFO such as /dev/zero, which would never end) below a
 * size cap, read as UTF-8 once. Its real path is remembered, so that no output of the same command
 * can overwrite it (outputPaths.ts asks `isInputFile`).
 */
import { closeSync, constants, fstatSync, openSync, readFileSync, readSync, realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { messages } from '../text/messages.js';
import { InputError } from '../text/errors.js';
import type { HistoryLines } from '../checks/historyCheck.js';

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
 * The size of an input file, bytes, after checking that it is one: a regular file (not a folder, a
 * device or a FIFO, which would never end). Errors are one-line InputErrors on `blame` (the file, or
 * the scenario and field that named it); `notFound` words the missing-file case.
 */
function inputFileSize(path: string, fail: (message: string) => InputError, notFound: string, isFolder: string): number {
  try {
    const stats = statSync(path);
    if (stats.isDirectory()) throw fail(isFolder);
    if (!stats.isFile()) throw fail(messages.notARegularFile);
    return stats.size;
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw fail(notFound);
    throw fail(messages.cannotRead(code ?? String(error)));
  }
}

const cannotRead = (fail: (message: string) => InputError, error: unknown): InputError =>
  error instanceof InputError ? error : fail(messages.cannotRead((error as NodeJS.ErrnoException).code ?? String(error)));

/**
 * Reads an input file (errors as `inputFileSize` says, and a file over its kind's cap). Nothing of
 * the content is echoed.
 */
export function readInputFile(
  path: string,
  kind: keyof typeof INPUT_CAPS,
  fail: (message: string) => InputError = (message) => new InputError(path, undefined, message),
  notFound: string = messages.fileNotFound,
  isFolder: string = messages.notAFile,
): string {
  const size = inputFileSize(path, fail, notFound, isFolder);
  if (size > INPUT_CAPS[kind]) throw fail(messages.inputTooLarge(size, INPUT_CAPS[kind]));
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw cannotRead(fail, error);
  }
  inputs.add(realOrResolved(path));
  return text;
}

/** The longest line `inputLines` reads (a history's lines are under a kilobyte; a file with no newline is not one). */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;
const READ_CHUNK_BYTES = 1 << 20;

/**
 * An input file of any size as its lines (UTF-8, split at each newline), read in chunks each time
 * they are visited, so that no more than a chunk and one line are held: a history of gigabytes is
 * checked in memory that grows with what the caller keeps. A line over MAX_LINE_BYTES, or a file
 * that changes between two visits, is an InputError. `onBytes` hears of each chunk read (a progress bar).
 */
export function inputLines(
  path: string,
  fail: (message: string) => InputError = (message) => new InputError(path, undefined, message),
  notFound: string = messages.fileNotFound,
  isFolder: string = messages.notAFile,
  maxLineBytes = MAX_LINE_BYTES,
  onBytes?: (bytesRead: number) => void,
): HistoryLines {
  const bytes = inputFileSize(path, fail, notFound, isFolder);
  inputs.add(realOrResolved(path));
  /**
   * What the first visit found (device, inode, modification and change times; bytes read): a later
   * visit that finds otherwise reads another file (ctime cannot be set back as mtime can).
   */
  let fileIdentity: string | null = null;
  let firstVisitBytes: number | null = null;
  /** Bytes read over every visit so far (what `onBytes` is told after each chunk). */
  let readInAll = 0;
  return {
    bytes,
    forEach(onLine) {
      let fd: number;
      try {
        // Non-blocking: a FIFO put in the file's place since it was checked must not hang the open.
        fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
      } catch (error) {
        throw cannotRead(fail, error);
      }
      try {
        const stats = fstatSync(fd);
        if (!stats.isFile()) throw fail(messages.notARegularFile);
        const identity = `${stats.dev}:${stats.ino}:${stats.mtimeMs}:${stats.ctimeMs}`;
        if (fileIdentity !== null && identity !== fileIdentity) throw fail(messages.historyChanged);
        fileIdentity = identity;
        const chunk = Buffer.allocUnsafe(READ_CHUNK_BYTES);
        // The start of a line that a chunk ended inside, and its length in bytes.
        let pieces: Buffer[] = [];
        let pieceBytes = 0;
        let line = 0;
        let read = 0;
        const lineTooLong = (): InputError => new InputError(path, `line ${line + 1}`, messages.historyLineTooLong(maxLineBytes));
        for (;;) {
          let filled: number;
          try {
            filled = readSync(fd, chunk, 0, chunk.length, null);
          } catch (error) {
            throw cannotRead(fail, error);
          }
          read += filled;
          if (filled === 0) break;
          readInAll += filled;
          onBytes?.(readInAll);
          const view = chunk.subarray(0, filled);
          let start = 0;
          for (let newline = view.indexOf(10, start); newline >= 0; newline = view.indexOf(10, start)) {
            if (pieceBytes + newline - start > maxLineBytes) throw lineTooLong();
            if (pieceBytes === 0) onLine(view.toString('utf8', start, newline), ++line);
            else {
              pieces.push(view.subarray(start, newline));
              onLine(Buffer.concat(pieces).toString('utf8'), ++line);
              pieces = [];
              pieceBytes = 0;
            }
            start = newline + 1;
          }
          if (start < filled) {
            pieceBytes += filled - start;
            if (pieceBytes > maxLineBytes) throw lineTooLong();
            pieces.push(Buffer.from(view.subarray(start)));
          }
        }
        // Compared with the first visit, not with `bytes`: a pseudo-file (/proc) says 0 bytes and has more.
        if (firstVisitBytes !== null && read !== firstVisitBytes) throw fail(messages.historyChanged);
        firstVisitBytes = read;
        onLine(pieceBytes === 0 ? '' : Buffer.concat(pieces).toString('utf8'), ++line);
      } finally {
        closeSync(fd);
      }
    },
  };
}

/** Whether `path` (an existing file, or not) is a file this process read as input. */
export function isInputFile(path: string): boolean {
  return inputs.has(realOrResolved(path));
}
