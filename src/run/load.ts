/**
 * Reading a scenario from disk: the file, then `src/scenario/parse.ts` with empirical data files
 * read relative to the scenario's folder (through the one input reader, src/run/inputFiles.ts).
 */
import { dirname, resolve } from 'node:path';
import { messages } from '../text/messages.js';
import { parseYamlText, scenarioFromDocument, type DataFileReader } from '../scenario/parse.js';
import type { Scenario } from '../scenario/schema.js';
import { readInputFile } from './inputFiles.js';

/** Reads a scenario file (YAML or JSON) and returns the parsed, not yet validated, document. */
export function readScenarioDocument(path: string): unknown {
  return parseYamlText(readInputFile(path, 'scenario'), path);
}

/** Data files relative to `baseDir`, each read once however many distributions name it. */
export function dataFilesIn(baseDir: string): DataFileReader {
  const cache = new Map<string, string>();
  return (file, fail) => {
    const full = resolve(baseDir, file);
    let text = cache.get(full);
    if (text === undefined) {
      const notFound = messages.dataFileNotFound(file);
      text = readInputFile(full, 'data', (message) => fail(message === notFound ? message : `${file}: ${message}`), notFound);
      cache.set(full, text);
    }
    return text;
  };
}

/** Reads, overrides (`--set PATH=VALUE`), validates and resolves a scenario file. */
export function loadScenario(path: string, overrides: readonly string[] = []): Scenario {
  return scenarioFromDocument(readScenarioDocument(path), path, dataFilesIn(dirname(path)), overrides);
}
