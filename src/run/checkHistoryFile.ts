import { checkHistory, type HistoryCheckResult } from '../checks/historyCheck.js';
import { messages } from '../text/messages.js';
import { readInputFile } from './inputFiles.js';

/**
 * `lagsim check FILE`: the file must be a history with at least one record (an empty file is far
 * more likely the wrong file than a run in which no operation completed).
 */
export function checkHistoryFile(path: string): HistoryCheckResult {
  const text = readInputFile(path, 'history', undefined, messages.fileNotFound, messages.historyIsFolder);
  // An empty history is the export of a run in which no operation completed: valid, every count 0.
  return checkHistory(text, path);
}
