/**
 * Every user-facing error text of lagsim, in one flat object, so tests can assert exact wording and
 * the wording stays stable. A message is the part after `<file>: <path>: ` (see InputError.format).
 *
 * Conventions: messages start lower-case, say what was expected, and end with `got <value>` when the
 * offending value helps. Values are shown with `show()`: strings quoted, lists and mappings named.
 * Durations passed to messages are already formatted by the caller (formatDuration), so this module
 * imports nothing.
 */

/** How a value the user wrote is shown inside a message. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

const typeNames: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'a string',
  boolean: 'true or false',
  object: 'a mapping',
  record: 'a mapping',
  array: 'a list',
  null: 'null',
};

export const KEY_SELECTORS = ['new', 'own', 'lastWritten', 'popular', 'topic', 'topicHead', 'reply', 'shared:NAME'] as const;

export const messages = {
  // ---- files and syntax -------------------------------------------------------------------------
  fileNotFound: 'file not found',
  notAFile: 'not a file (is it a folder?)',
  cannotRead: (reason: string) => `cannot read the file: ${reason}`,
  yamlSyntax: (line: number, column: number, reason: string) => `line ${line}, column ${column}: ${reason}`,
  yamlError: (reason: string) => `invalid YAML: ${reason}`,
  emptyFile: 'the file is empty (expected a scenario with name, duration, cluster and clients)',
  expectedScenarioMapping: (got: unknown) =>
    `expected a scenario: a mapping with name, duration, cluster and clients, got ${show(got)}`,

  // ---- generic field checks ---------------------------------------------------------------------
  required: 'required field is missing',
  unknownField: (allowed: readonly string[]) => `unknown field (expected one of: ${allowed.join(', ')})`,
  expectedType: (expected: string, got: unknown) => `expected ${typeNames[expected] ?? expected}, got ${show(got)}`,
  expectedOneOf: (values: readonly unknown[], got: unknown) =>
    `expected one of: ${values.map(String).join(', ')}, got ${show(got)}`,
  tooSmall: (minimum: number | bigint, inclusive: boolean, integer: boolean, got: unknown) => {
    const what = integer ? 'a whole number' : 'a number';
    if (Number(minimum) === 0 && inclusive) return `expected ${what} >= 0, got ${show(got)}`;
    return `expected ${what} ${inclusive ? '>=' : '>'} ${minimum}, got ${show(got)}`;
  },
  tooBig: (maximum: number | bigint, inclusive: boolean, integer: boolean, got: unknown) =>
    `expected ${integer ? 'a whole number' : 'a number'} ${inclusive ? '<=' : '<'} ${maximum}, got ${show(got)}`,
  tooFewItems: (minimum: number | bigint) => `expected at least ${minimum} item${Number(minimum) === 1 ? '' : 's'}`,
  emptyString: 'expected a non-empty string',
  invalidValue: (got: unknown) => `invalid value ${show(got)}`,

  // ---- durations and distributions --------------------------------------------------------------
  expectedDuration: (got: unknown) => `expected a duration such as 300ms, 1.5s or 250us, got ${show(got)}`,
  negativeDuration: (got: unknown) => `expected a non-negative duration, got ${show(got)}`,
  expectedPositiveDuration: 'expected a duration greater than 0',
  expectedDurationOrDist: (got: unknown) =>
    `expected a duration such as 300ms or a distribution such as {dist: exponential, mean: 3s}, got ${show(got)}`,
  unknownDist: (got: unknown, known: readonly unknown[]) =>
    `unknown distribution ${show(got)} (expected one of: ${known.map(String).join(', ')})`,
  missingDist: (known: readonly unknown[]) =>
    `required field is missing (expected one of: ${known.map(String).join(', ')})`,
  uniformMaxBelowMin: (min: string, max: string) => `expected max >= min (${min}), got ${max}`,
  lognormalNeedsSpread: 'expected one of sigma or p99 (the spread of the lognormal)',
  lognormalBoth: 'give only one of sigma or p99, not both',
  p99NotAboveMedian: (median: string, p99: string) => `expected p99 greater than median (${median}), got ${p99}`,
  empiricalNeedsSource: 'expected one of samples or file',
  empiricalBoth: 'give only one of samples or file, not both',
  columnWithoutFile: 'column applies only with file',
  weightsSumZero: 'weights sum to 0 (expected at least one positive weight)',
  thinkMeanZero: 'expected a think time with a positive mean, got a mean of 0',

  // ---- empirical CSV files ----------------------------------------------------------------------
  dataFileNotFound: (file: string) => `file not found: ${file}`,
  dataFileUnreadable: (file: string, reason: string) => `cannot read ${file}: ${reason}`,
  noNumbers: (file: string) => `no numbers in ${file}`,
  csvNoColumn: (column: string, file: string, columns: readonly string[]) =>
    `no column ${show(column)} in ${file} (columns: ${columns.join(', ')})`,
  csvManyColumns: (file: string, count: number) => `${file} has ${count} columns (pick one with column: NAME)`,
  csvBadNumber: (file: string, line: number, got: string) =>
    `${file} line ${line}: expected a number of milliseconds, got ${show(got)}`,
  csvNegative: (file: string, line: number, got: string) =>
    `${file} line ${line}: expected a non-negative number of milliseconds, got ${got}`,

  // ---- cluster, network, keyspace ---------------------------------------------------------------
  noReplicas: 'expected at least one replica group',
  noClients: 'expected at least one client group',
  noActions: 'expected at least one action',
  noMixtureComponents: 'expected at least one component',
  expectedRegion: (got: unknown) => `expected a region name without "/" or spaces, got ${show(got)}`,
  expectedRegionPair: (got: unknown) => `expected a region pair such as us-east/us-west, got ${show(got)}`,
  duplicatePair: (other: string) => `same region pair as ${other} (latency is symmetric: give it once)`,
  missingLatency: (a: string, b: string, group: string) =>
    `missing latency pair ${a}/${b} (client group "${group}" talks across these regions; either order works)`,
  duplicateName: (kind: string, name: string) => `duplicate ${kind} name ${show(name)} (names must be unique)`,
  topicLargerThanKeyspace: (count: number, got: number) => `expected topicSize <= keyspace.count (${count}), got ${got}`,

  // ---- clients and actions ----------------------------------------------------------------------
  unknownKeySelector: (got: unknown) =>
    `unknown key selector ${show(got)} (expected one of: ${KEY_SELECTORS.join(', ')})`,
  expectedPopularity: (got: unknown) => `expected uniform or {zipf: S} with S > 0, got ${show(got)}`,
  sessionsOrRateNeither: 'expected exactly one of sessions (closed loop) or rate (open loop), got neither',
  sessionsOrRateBoth: 'expected exactly one of sessions (closed loop) or rate (open loop), got both',
  stepsNeedRate: 'steps applies only to open-loop groups (with rate)',
  countOnlyPopular: (key: string) => `count applies only to key: popular (key: ${key} picks its keys itself)`,
  writeOneKeyTopic: 'a write touches one key, but key: topic selects a whole topic (use topicHead or reply)',
  writeOneKeyCount: 'a write touches one key (expected count 1)',

  // ---- strategies -------------------------------------------------------------------------------
  unknownStrategy: (got: unknown, known: readonly string[]) =>
    `unknown strategy ${show(got)} (expected one of: ${known.join(', ')})`,
  expectedStrategy: (got: unknown) => `expected a mapping such as {name: pin, window: 2s}, got ${show(got)}`,
  missingStrategy: (known: readonly string[]) => `required field is missing (expected one of: ${known.join(', ')})`,
  expectedPinAfterWrite: (got: unknown) =>
    `expected a duration such as 500ms, or off, got ${show(got)}`,

  // ---- command-line overrides -------------------------------------------------------------------
  setSyntax: (got: string) => `expected PATH=VALUE, got ${show(got)}`,
  setBadValue: (reason: string) => `value is not valid YAML: ${reason}`,
  setIntoScalar: (prefix: string, got: unknown) => `${prefix} is ${show(got)}, not a mapping or list`,
  setPastEnd: (prefix: string, index: number, length: number) =>
    `index ${index} is past the end of ${prefix} (${length} item${length === 1 ? '' : 's'})`,
  setNotIndex: (prefix: string, segment: string) => `${prefix} is a list: expected a numeric index, got ${show(segment)}`,
  setEmptySegment: 'empty path segment (expected a dotted path such as cluster.replicas.0.lag)',
  varyUnbalanced: (text: string) => `unbalanced brackets or quotes in ${show(text)}`,
};
