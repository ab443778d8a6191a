/**
 * A scenario from text: YAML/JSON -> --set overrides -> validation -> empirical data. Reads no
 * file itself (the core runs in a browser too): data files come through a `DataFileReader`,
 * which `src/run/load.ts` provides on Node.
 */
import { messages } from '../text/messages.js';
import { checkDuration } from '../model/duration.js';
import { readYaml } from './yamlText.js';
import { InputError } from '../text/errors.js';
import { applySetTracked, setError, setOriginOf, type SetOrigin } from './overrides.js';
import { hasPositiveMean, validateScenario, type Dist, type Scenario } from './schema.js';
import { checkWorkBudget, DEFAULT_MAX_OPERATIONS } from './workBudget.js';

/**
 * The text of an empirical distribution's `file` (as written in the scenario). A failure is
 * reported by throwing `fail(message)`; `message` names what went wrong without the field path.
 */
export type DataFileReader = (file: string, fail: (message: string) => InputError) => string;

/** Where no file system is at hand (the playground): every data file is refused by name. */
export const noDataFiles: DataFileReader = (file, fail) => {
  throw fail(messages.dataFileUnavailable(file));
};

/** Parses YAML (JSON is YAML); a syntax error becomes `<file>: line L, column C: <reason>`. */
export function parseYamlText(text: string, sourceName: string): unknown {
  const read = readYaml(text);
  if (read.ok) return read.value;
  throw new InputError(sourceName, undefined, read.line !== undefined ? messages.yamlSyntax(read.line, read.column ?? 1, read.reason) : messages.yamlError(read.reason));
}

/**
 * Validates a parsed document after applying `overrides` (`PATH=VALUE`, in order), then reads the
 * empirical `file`s through `readData` and checks the work it asks for against `maxOperations`
 * (workBudget.ts). The result has `samples` on every empirical Dist.
 */
export function scenarioFromDocument(
  raw: unknown,
  sourceName: string,
  readData: DataFileReader,
  overrides: readonly string[] = [],
  maxOperations: number = DEFAULT_MAX_OPERATIONS,
): Scenario {
  // An empty file is the file's mistake, whatever --set adds to it.
  if (raw === null || raw === undefined) throw new InputError(sourceName, undefined, messages.emptyFile);
  let doc: unknown = raw;
  const origins: SetOrigin[] = [];
  for (const assignment of overrides) {
    const applied = applySetTracked(doc, assignment);
    origins.push(applied.origin);
    doc = applied.doc;
  }
  const scenario = validateScenario(doc, sourceName, origins);
  resolveEmpiricalFiles(scenario, sourceName, readData, origins);
  checkWorkBudget(scenario, sourceName, maxOperations);
  return scenario;
}

/** Parses scenario text (YAML or JSON) as if read from `sourceName`. */
export function parseScenarioText(
  text: string,
  sourceName: string,
  readData: DataFileReader,
  overrides: readonly string[] = [],
  maxOperations: number = DEFAULT_MAX_OPERATIONS,
): Scenario {
  return scenarioFromDocument(parseYamlText(text, sourceName), sourceName, readData, overrides, maxOperations);
}

// ---------------------------------------------------------------------------------------------------
// Empirical distributions from CSV files

type Visit = (dist: Dist, path: string) => void;

/** Calls `visit` on every Dist of a scenario (mixture components included), with its input path. */
export function forEachDist(s: Scenario, visit: Visit): void {
  const walk = (d: Dist | undefined, path: string): void => {
    if (!d) return;
    visit(d, path);
    if (d.dist === 'mixture') d.of.forEach((c, i) => walk(c.dist, `${path}.of.${i}`));
  };
  walk(s.cluster.leader.service, 'cluster.leader.service');
  s.cluster.replicas.forEach((r, i) => {
    walk(r.lag, `cluster.replicas.${i}.lag`);
    walk(r.apply, `cluster.replicas.${i}.apply`);
    walk(r.service, `cluster.replicas.${i}.service`);
  });
  for (const [pair, d] of Object.entries(s.network.latency)) walk(d, `network.latency.${pair}`);
  s.clients.forEach((c, i) => walk(c.think, `clients.${i}.think`));
}

function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell.trim());
      cell = '';
    } else cell += ch;
  }
  cells.push(cell.trim());
  return cells;
}

const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * The samples (microseconds) of a CSV of milliseconds: one column (a non-numeric first line is a
 * header), or the column named `column` of a file with a header line. Empty cells are skipped.
 * `name` is the file as written in the scenario (for messages); errors are thrown as
 * `{ message }` and placed by the caller.
 */
export function parseSamplesCsv(text: string, name: string, column?: string): number[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const rows = lines.map((line, i) => ({ n: i + 1, cells: splitCsvLine(line) })).filter((r) => r.cells.some((c) => c !== ''));
  let index = 0;
  let data = rows;
  const first = rows[0];
  if (column !== undefined) {
    const header = first?.cells ?? [];
    index = header.indexOf(column);
    if (index < 0) throw new Error(messages.csvNoColumn(column, name, header));
    data = rows.slice(1);
  } else if (first) {
    if (first.cells.length > 1) throw new Error(messages.csvManyColumns(name, first.cells.length));
    if (!NUMBER_RE.test(first.cells[0] ?? '')) data = rows.slice(1);
  }
  const samples: number[] = [];
  for (const row of data) {
    if (column === undefined && row.cells.length > 1) throw new Error(messages.csvManyColumns(name, row.cells.length));
    const cell = row.cells[index] ?? '';
    if (cell === '') continue;
    if (!NUMBER_RE.test(cell)) throw new Error(messages.csvBadNumber(name, row.n, cell));
    const ms = Number(cell);
    if (ms < 0) throw new Error(messages.csvNegative(name, row.n, cell));
    const us = checkDuration(ms);
    if (!us.ok) throw new Error(messages.csvBadNumber(name, row.n, cell));
    samples.push(us.micros);
  }
  if (samples.length === 0) throw new Error(messages.noNumbers(name));
  return samples;
}

function resolveEmpiricalFiles(s: Scenario, sourceName: string, readData: DataFileReader, origins: readonly SetOrigin[]): void {
  const errorAt = (path: string, message: string): InputError => {
    const from = setOriginOf(path, origins);
    return from ? setError(path, message, from.origin, from.exact) : new InputError(sourceName, path, message);
  };
  forEachDist(s, (d, path) => {
    if (d.dist !== 'empirical' || d.samples !== undefined || d.file === undefined) return;
    const filePath = `${path}.file`;
    const text = readData(d.file, (message) => errorAt(filePath, message));
    try {
      d.samples = parseSamplesCsv(text, d.file, d.column);
    } catch (err) {
      throw errorAt(filePath, (err as Error).message);
    }
  });
  s.clients.forEach((c, i) => {
    if (!hasPositiveMean(c.think)) {
      const path = `clients.${i}.think`;
      throw errorAt(path, messages.thinkMeanZero);
    }
  });
}
