import { checkHistoryLines, type HistoryCheckResult } from '../checks/historyCheck.js';
import { messages } from '../text/messages.js';
import { INPUT_CAPS, inputLines } from './inputFiles.js';
import type { ProgressBar } from './progress.js';

/**
 * `lagsim check FILE`: the history is read line by line, twice (historyCheck.ts), so its size is
 * bounded by the disk, not by memory; one that lists a session's operations out of order is sorted
 * in memory, up to the history cap. `progress` makes a bar over the file's size for both passes
 * (when stderr is a terminal).
 */
export function checkHistoryFile(path: string, progress?: (bytes: number) => ProgressBar): HistoryCheckResult {
  let bar: ProgressBar | undefined;
  const lines = inputLines(path, undefined, messages.fileNotFound, messages.historyIsFolder, undefined, progress && ((read) => bar?.update(read)));
  bar = progress?.(lines.bytes);
  try {
    // An empty history is the export of a run in which no operation completed: valid, every count 0.
    return checkHistoryLines(lines, path, { sortLimitBytes: INPUT_CAPS.history });
  } finally {
    bar?.stop();
  }
}
