/**
 * Reading a scenario from disk: the file, then `src/scenario/parse.ts` with empirical data files
 * read relative to the scenario's folder (through the one input reader, src/run/inputFiles.ts).
 */
import { dirname, resolve } from 'node:path';
import { messages } from '../text/messages.js';
import { parseYamlText, scenarioFromDocument, type DataFileReader } from '../scenario/parse.js';
import type { Scenario } from '../scenario/schema.js';
import { DEFAULT_MAX_OPERATIONS } from '../scenario/workBudget.js';
import { InputError } from '../text/errors.js';
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

let maxOperations = DEFAULT_MAX_OPERATIONS;

/** `lagsim --max-operations N`: the work budget of every scenario this process loads. */
export function setMaxOperations(n: number): void {
  maxOperations = n;
}

export function operationBudget(): number {
  return maxOperations;
}

/** A positive number of operations (1e9, 250000000), else one line on the flag. */
export function parseMaxOperations(text: string): number {
  const n = /^\s*[0-9.eE+]+\s*$/.test(text) ? Number(text) : NaN;
  if (!(Number.isFinite(n) && n >= 1)) throw new InputError('--max-operations', undefined, messages.maxOperations(text));
  return n;
}

/** Reads, overrides (`--set PATH=VALUE`), validates and resolves a scenario file. */
export function loadScenario(path: string, overrides: readonly string[] = []): Scenario {
  return scenarioFromDocument(readScenarioDocument(path), path, dataFilesIn(dirname(path)), overrides, maxOperations);
}
