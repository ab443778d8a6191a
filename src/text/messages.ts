/**
 * Every user-facing error text of lagsim, in one flat object, so tests can assert exact wording and
 * the wording stays stable. A message is the part after `<file>: <path>: ` (see InputError.format).
 *
 * Conventions: messages start lower-case, say what was expected, and end with `got <value>` when the
 * offending value helps. Values are shown with `show()`: strings quoted, lists and mappings named.
 * Durations passed to messages are already formatted by the caller (formatDuration); the one import
 * is the pure rule for "did you mean".
 */
import { didYouMean } from './didYouMean.js';

/** `, did you mean "X"?` when a known name is close to the one given, else nothing. */
function suggestion(got: unknown, known: readonly string[]): string {
  const close = typeof got === 'string' ? didYouMean(got, known) : undefined;
  return close === undefined ? '' : `, did you mean ${JSON.stringify(close)}?`;
}

/** Longest string a message shows whole; a longer one is cut and says how long it was. */
const SHOWN_CHARACTERS = 120;

/**
 * A text with every password that could be in it masked: the `:password@` of a URL's user info
 * (well formed or not) and `password=` parameters of a connection string. Every line lagsim prints
 * about its input or its command line goes through it.
 */
export function maskSecrets(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/\/[^\s:@/]*):[^\s/]*@/gi, '$1:***@')
    .replace(/(password\s*=\s*)('[^']*'|[^&\s]*)/gi, '$1***');
}

/** A count for people: whole below a million (4250), else three figures in e-notation (3.87e8, 1e8). */
export function bigCount(n: number): string {
  if (n < 1e6) return String(Math.round(n));
  const [mantissa, exponent] = n.toExponential(2).split('e');
  return `${String(Number(mantissa))}e${Number(exponent)}`;
}

/** How a value the user wrote is shown inside a message. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    // Control and bidirectional-override characters are shown escaped, never acted on by the terminal.
    const shown = value.length > SHOWN_CHARACTERS ? `${value.slice(0, SHOWN_CHARACTERS)}…` : value;
    const quoted = JSON.stringify(maskSecrets(shown)).replace(/[\u0080-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    return value.length > SHOWN_CHARACTERS ? `${quoted} (${value.length} characters)` : quoted;
  }
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

/** What a value of a shard file holds, as the merge messages say it (src/run/sweep/shardFile.ts). */
export const SHARD_VALUES = {
  string: 'a string',
  number: 'a number',
  whole: 'a whole number >= 0',
  positive: 'a whole number >= 1',
  mapping: 'a mapping',
  aList: 'a list',
  list: (item: string) => `a list of ${item}`,
  orNull: (what: string) => `${what} or null`,
  oneOf: (values: readonly string[]) => `one of: ${values.join(', ')}`,
  record: 'a run record (a mapping with task, kind, point, seed and summary)',
  records: 'run records',
  /** What the JSON scanner expected where a file stops being JSON. */
  jsonValue: 'a value (a mapping, list, string, number, true, false or null)',
  jsonFieldName: 'a field name in double quotes',
  jsonColon: ':',
  jsonAfterField: ', or }',
  jsonAfterItem: ', or ]',
  jsonEnd: 'the end of the file',
  jsonDigit: 'a digit',
  jsonClosingQuote: 'a closing " (a line break inside a string is written \\n)',
  jsonEscape: 'an escape such as \\n, \\" or \\u00e9',
  jsonLiteral: (word: string) => word,
} as const;

/** What each field of a history record holds, as the history messages say it. */
export const HISTORY_VALUES = {
  type: 'one of: read, write, failover',
  time: 'a time in microseconds (a whole number >= 0)',
  session: 'a session number (a whole number >= 0)',
  shard: 'a shard number (a whole number >= 0)',
  position: 'a log position (a whole number from 1 to 2147483647)',
  returned: 'a version (a whole number from 0 to 2147483647) or null',
  key: 'a key name (a string)',
  node: 'a node name (a string)',
  boolean: 'true or false',
  pairs: 'a list of [key, version] pairs',
  pair: 'a [key, version] pair such as ["k43", 4700]',
  reads: 'a non-empty list of key-reads',
  keyRead: 'a key-read: a mapping with key, version, node and leader',
  flags: 'a list of flags (ryw, mr, cp, stale)',
  flag: 'one of: ryw, mr, cp, stale',
} as const;
export type HistoryValue = keyof typeof HISTORY_VALUES;

export const messages = {
  // ---- files and syntax -------------------------------------------------------------------------
  fileNotFound: 'file not found',
  environmentFailure: (path: string, meaning: string, code: string) =>
    `lagsim: ${path === '' ? '' : `${path}: `}${meaning} (${code}); nothing was written`,
  tooMuchWork: (max: number, estimate: number) =>
    `expected at most ${bigCount(max)} operations in one run, got an estimate of ${bigCount(estimate)} (sessions × (warm-up + duration) / think time, or peak rate × (warm-up + duration) × steps): shorten the run or lower the load, or raise the limit with --max-operations`,
  tooMuchPeriodicWork: (max: number, estimate: number, formula: string) =>
    `expected at most ${bigCount(max)} operations and periodic steps in one run, got an estimate of ${bigCount(estimate)}, mostly this field's ${formula}: lengthen its period, shorten the run, or raise the limit with --max-operations`,
  maxOperations: (got: string) => `expected a number of operations of at least 1, such as 1e9, got ${show(got)}`,
  partialNotOurs: (path: string) =>
    `${show(path)} is not a folder of unfinished sweep runs that lagsim made (a symbolic link, a file, or another program's folder): remove it, or choose another --out`,
  nameTooLong: (max: number, got: unknown) => `expected at most ${max} characters, got ${show(got)}`,
  livelock: (file: string, atUs: number) =>
    `${file}: simulated time stopped advancing at ${atUs / 1e6} s (millions of events at one instant): some time in the model that must pass is 0 (think, service, apply or network times)`,
  shardCountsIncoherent: (violations: unknown, eligible: unknown, keyReads: unknown) =>
    `counts do not hang together: violations ${show(violations)}, eligible ${show(eligible)}, key-reads ${show(keyReads)} (expected whole numbers with 0 <= violations <= eligible <= key-reads)`,
  shardRateIncoherent: (rate: unknown, expected: unknown) => `rate ${show(rate)} is not its counts' quotient ${show(expected)}`,
  shardTooMany: (text: string, max: number) => `${show(text)}: at most ${max} shards`,
  seedTooLarge: (item: string) => `${show(item)}: seeds are whole numbers from 0 to 9007199254740991 (2^53 − 1)`,
  notARegularFile: 'is not a regular file (a device, FIFO or socket cannot be an input)',
  inputTooLarge: (size: number, cap: number) => `the file has ${size} bytes (expected at most ${cap}: ${Math.round(cap / 1048576)} MiB)`,
  outputIsInput: 'is an input of this command; writing it would destroy it (choose another path)',
  outputInSystemFolder: (root: string) => `is inside ${root}, which holds no files lagsim may write`,
  notAFile: 'not a file (is it a folder?)',
  cannotRead: (reason: string) => `cannot read the file: ${reason}`,
  yamlSyntax: (line: number, column: number, reason: string) => `line ${line}, column ${column}: ${reason}`,
  yamlError: (reason: string) => `invalid YAML: ${reason}`,
  emptyFile: 'the file is empty (expected a scenario with name, duration, cluster and clients)',
  expectedScenarioMapping: (got: unknown) =>
    `expected a scenario: a mapping with name, duration, cluster and clients, got ${show(got)}`,

  // ---- generic field checks ---------------------------------------------------------------------
  required: 'required field is missing',
  unknownField: (allowed: readonly string[], got?: string) =>
    allowed.length === 0 ? 'unknown field (this takes no fields)' : `unknown field${suggestion(got, allowed)} (expected one of: ${allowed.join(', ')})`,
  expectedType: (expected: string, got: unknown) => `expected ${typeNames[expected] ?? expected}, got ${show(got)}`,
  expectedOneOf: (values: readonly unknown[], got: unknown) =>
    values.length === 0 ? `expected no value here, got ${show(got)}` : `expected one of: ${values.map(String).join(', ')}, got ${show(got)}`,
  tooSmall: (minimum: number | bigint, inclusive: boolean, integer: boolean, got: unknown) => {
    const what = integer ? 'a whole number' : 'a number';
    // zod's integers stop at 2^53 − 1 either way: say so as a power of two, not with that bound's 16 digits.
    if (integer && Number(minimum) <= Number.MIN_SAFE_INTEGER) return `expected a whole number of at most 2^53 − 1 in size, got ${show(got)}`;
    if (Number(minimum) === 0 && inclusive) return `expected ${what} >= 0, got ${show(got)}`;
    return `expected ${what} ${inclusive ? '>=' : '>'} ${minimum}, got ${show(got)}`;
  },
  tooBig: (maximum: number | bigint, inclusive: boolean, integer: boolean, got: unknown) =>
    integer && Number(maximum) >= Number.MAX_SAFE_INTEGER
      ? `expected a whole number of at most 2^53 − 1 in size, got ${show(got)}`
      : `expected ${integer ? 'a whole number' : 'a number'} ${inclusive ? '<=' : '<'} ${maximum}, got ${show(got)}`,
  tooFewItems: (minimum: number | bigint) => `expected at least ${minimum} item${Number(minimum) === 1 ? '' : 's'}`,
  emptyString: 'expected a non-empty string',
  invalidValue: (got: unknown) => `invalid value ${show(got)}`,

  // ---- durations and distributions --------------------------------------------------------------
  expectedDuration: (got: unknown) => `expected a duration such as 300ms, 1.5s or 250us, got ${show(got)}`,
  negativeDuration: (got: unknown) => `expected a non-negative duration, got ${show(got)}`,
  durationTooLong: (got: unknown) => `expected a duration of at most 1 year (8760h), got ${show(got)}`,
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
  thinkMeanZero: 'expected a think time whose typical draw is at least 1us (the clock ticks in microseconds; draws of 0us would never let time advance)',

  // ---- empirical CSV files ----------------------------------------------------------------------
  dataFileNotFound: (file: string) => `file not found: ${file}`,
  dataFileUnavailable: (file: string) =>
    `${file}: data files cannot be read here; give the samples inline (samples: [...]) instead of file:`,
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
  unsafeScenarioName: (got: unknown) =>
    `expected a name usable as a folder name (no / or \\, not starting with ".", no control or text-direction characters, at most 80 characters), got ${show(got)}`,
  tooMany: (max: number, what: string, got: unknown, how?: string) =>
    `expected at most ${max} ${what} (${how === undefined ? '' : `${how}; `}a simulator limit), got ${show(got)}`,
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
    `unknown strategy ${show(got)}${suggestion(got, known)} (expected one of: ${known.join(', ')})`,
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
  setUnsafeKey: (segment: string) => `unknown field ${show(segment)} (no scenario field has this name)`,
  setCausedBy: (message: string, assignment: string) => `${message} (from ${assignment})`,
  setEmptySegment: 'empty path segment (expected a dotted path such as cluster.replicas.0.lag)',
  varyUnbalanced: (text: string) => `unbalanced brackets or quotes in ${show(text)}`,

  // ---- real PostgreSQL clusters (lagsim probe, lagsim real) -------------------------------------
  expectedPgUrl: (got: unknown) => `expected a URL such as postgres://user@host:5432/dbname, got ${show(got)}`,
  missingPrimary:
    'required: a URL such as postgres://user@host:5432/dbname, or the PG* environment variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE)',
  missingReplica: 'required: at least one --replica URL (a streaming hot standby of the primary)',
  duplicateUrl: (other: string) => `the same server as ${other} (give each server once)`,
  cannotConnect: (reason: string) => `cannot connect: ${reason}`,
  serverQueryFailed: (what: string, reason: string) => `${what} failed: ${reason}`,
  primaryIsStandby: 'is a standby (pg_is_in_recovery() is true): expected the primary',
  replicaNotStandby:
    'is not a standby (pg_is_in_recovery() is false): a primary given as a replica? expected a streaming hot standby of --primary',
  replicaOtherCluster: (theirs: string, ours: string) =>
    `is a standby of another cluster (system identifier ${theirs}; the primary's is ${ours})`,
  replicaNotCaughtUp: (seconds: number) => `did not replay the test tables' setup within ${seconds} s (is it streaming from --primary?)`,
  expectedTablePrefix: (got: unknown) =>
    `expected a table name prefix: a lower-case letter, then lower-case letters, digits or _ (at most 40), got ${show(got)}`,
  expectedPositive: (got: unknown) => `expected a number greater than 0, got ${show(got)}`,
  expectedCount: (got: unknown) => `expected a whole number >= 1, got ${show(got)}`,
  realOneShard: (got: number) => `a real run drives one primary: expected 1 shard, got ${got}`,
  realClosedLoop: 'a real run supports closed-loop client groups (sessions), not open-loop ones (rate)',
  realNoFaults: 'a real run cannot inject faults (crash or pause servers yourself): expected no fault events',
  lagFileColumns: (file: string, wanted: readonly string[], got: readonly string[]) =>
    `${file} has columns ${got.join(', ')}; expected one per replica: ${wanted.join(', ')}`,
  probeNoSamples: (node: string) => `no lag samples for ${node} (did any probe row become visible? try a longer --probe-duration)`,

  // ---- faults, stalls and load schedules ----------------------------------------------------------
  faultNeedsWhen: 'expected one of at (a time) or every (a distribution of times between occurrences)',
  faultBothWhen: 'give only one of at or every, not both',
  faultNeedsKind: 'expected one of crash (a node), pause (a replica) or partition (two regions)',
  faultManyKinds: 'give only one of crash, pause or partition per event',
  unknownNode: (name: string, known: readonly string[]) => `unknown node ${show(name)} (expected one of: ${known.join(', ')})`,
  notAReplica: (name: string) => `${show(name)} is a leader: pause applies to replicas (crash a leader instead)`,
  unknownRegion: (name: string, known: readonly string[]) => `unknown region ${show(name)} (expected one of: ${known.join(', ')})`,
  partitionSameRegion: 'expected two different regions',
  scheduleNeedsRate: 'a rate schedule applies to open-loop groups only (give rate, not sessions)',
  scheduleNotSorted: 'expected the schedule\'s times in increasing order',
  arrivalsNeedRate: 'an arrival process applies to open-loop groups only (give rate, not sessions)',
  onOffNeedsPeriods: 'expected on and off periods with arrivals: onoff, e.g. {process: onoff, on: 10s, off: 50s}',
  periodsOnlyOnOff: 'on and off apply to arrivals: onoff only',
  onOffMeanZero: 'expected an on period with a positive mean (the source would never send)',
  syncQuorumWithoutSync: 'a sync quorum needs synchronous replicas (give a replica group sync: remote_write or remote_apply)',
  syncQuorumTooLarge: (copies: number, got: number) =>
    `expected at most ${copies} (the synchronous replica copies per shard), got ${got}`,
  readFromSyncWithoutSync: 'readFrom: sync needs synchronous replicas (give a replica group sync: remote_write or remote_apply)',
  reactionActionNotOfKind: (kind: 'read' | 'write', count: number, got: number) =>
    `expected the index of a ${kind} action of this group (0 to ${count - 1}), got ${got}`,
  unknownTarget: (got: string, known: readonly string[]) => `unknown target ${show(got)} (expected leader or a replica group: ${known.join(', ')})`,
  targetOnlyReads: 'applies to read actions only (writes go to the leader)',
  tVisibilityNotSorted: 'expected t-visibility times above 0 in increasing order, e.g. [50ms, 100ms, 1s]',

  // ---- compare, sweep, merge ----------------------------------------------------------------------
  seedsSyntax: (got: string) => `expected seeds such as 1..20, 1,2,5 or 1..5,9, got ${show(got)}`,
  seedsBackwardRange: (range: string) => `range ${range} runs backwards (expected FROM..TO with FROM <= TO)`,
  seedsDuplicate: (seed: number) => `seed ${seed} is listed twice (a repeated seed repeats the same run)`,
  seedsTooMany: (max: number) => `expected at most ${max} seeds`,
  shardSyntax: (got: string) => `expected I/N such as 2/8 (slice I of N), got ${show(got)}`,
  shardRange: (got: string) => `expected I/N with 1 <= I <= N, got ${show(got)}`,
  varyNoValues: 'expected PATH=V1,V2,... with at least one value (an empty grid has nothing to run)',
  varyDuplicateValue: (value: string, earlier: string) => `value ${value} repeats ${earlier} (grid points must differ)`,
  varyDuplicatePath: 'varied twice (give all its values in one --vary)',
  varySeed: 'vary seeds with --seeds (such as --seeds 1..20), not --vary',
  varyOverlap: (other: string) => `overlaps --vary ${other} (one path lies inside the other)`,
  varyStrategyOption: (option: string) =>
    `strategy.name is varied too, and each strategy takes its options from strategyOptions: vary strategyOptions.<name>.${option} instead`,
  sweepTooManyRuns: (runs: number, max: number) => `expected at most ${max} runs (points × seeds), got ${runs}: vary fewer values or run fewer seeds`,
  varyTooLarge: (size: number, max: number) => `the grid has ${size} points (expected at most ${max})`,
  strategiesEmpty: 'expected a comma-separated list of strategies such as none,pin,token',
  strategyListedTwice: (name: string) => `strategy ${show(name)} is listed twice`,
  checkThreadNotStarted: (reason: string) => `the check thread did not start (${reason}): runs check in their own thread, with the same results, more slowly`,
  expectedJobs: (got: unknown) => `expected a whole number of worker threads >= 1, got ${show(got)}`,
  outNotFolder: 'exists and is not a folder',
  mergeNoShards: 'no shard files (shard-I-of-N.json) here',
  mergeNotShard: (reason: string) => `not a lagsim shard file: ${reason}`,
  mergeOtherSweep: (first: string) =>
    `is a shard of another sweep than ${first} (scenario, --set, --vary, --seeds or lagsim version differ)`,
  mergeOtherSplit: (count: number, first: string, firstCount: number) =>
    `is one of ${count} shards, but ${first} is one of ${firstCount}`,
  mergeDuplicateShard: (index: number, other: string) => `shard ${index} is given twice (also ${other})`,
  mergeMissingShards: (missing: readonly number[], count: number) =>
    `missing shard${missing.length === 1 ? '' : 's'} ${missing.join(', ')} of ${count} (merge needs every slice)`,
  jsonSyntax: (expected: string, got: string | null) =>
    `not valid JSON: expected ${expected}, got ${got === null ? 'the end of the file' : show(got)}`,
  shardRequired: (what: string) => `required field is missing; expected ${what}`,
  shardExpected: (what: string, got: unknown) => `expected ${what}, got ${show(got)}`,
  shardIndexRange: (count: number, got: number) => `expected a whole number from 1 to ${count} (the shard count), got ${got}`,
  shardTaskCount: (planned: number, got: number) => `expected ${planned} (the runs the sweep in spec plans), got ${got}`,
  shardTaskOutside: (task: number, total: number) => `task ${task} is outside the sweep (expected a task from 0 to ${total - 1})`,
  shardTaskOtherShard: (task: number, owner: number, index: number) =>
    `task ${task} belongs to shard ${owner}, not to shard ${index} (this file's)`,
  shardTaskTwice: (task: number, other: string) => `task ${task} is given twice (also ${other})`,
  shardTaskMismatch: (task: number, expected: string, got: string) =>
    `expected the run the sweep plans as task ${task} (${expected}), got ${got}`,

  // ---- output paths (--out, --history, --timeseries, --chart) and the flags of run ----------------
  outputEmpty: (what: 'file' | 'folder') => `expected a ${what} name, got ""`,
  outputIsFolder: 'is a folder (expected a file)',
  outputNotRegularFile: 'exists and is not a regular file (expected a file lagsim may replace)',
  outputParentNotFolder: (parent: string) => `${parent} exists and is not a folder`,
  outputNotWritable: (folder: string, reason: string) => `cannot write into ${folder}: ${reason}`,
  outputTwice: (other: string) => `is also written by ${other} (give each output its own name)`,
  expectedSeed: (got: unknown) => `expected a whole number from 0 to 9007199254740991 in decimal digits, got ${show(got)}`,
  timeSeriesTooManyRows: (interval: string, span: string, rows: string, max: string) =>
    `${interval} over ${span} of simulated time makes ${rows} rows (expected at most ${max}): choose a longer interval`,

  // ---- history check (lagsim check, semantics.md section 4) --------------------------------------
  historyIsFolder: 'is a folder, expected a history file',
  historyNotJson: 'expected one JSON object per line',
  historyExpectedRecord: (got: unknown) =>
    `expected a history record: a JSON object such as {"type": "read", ...}, got ${show(got)}`,
  historyUnknownType: (got: unknown) => `unknown record type ${show(got)}`,
  historyRequired: (what: HistoryValue) => `required field is missing; expected ${HISTORY_VALUES[what]}`,
  historyExpected: (what: HistoryValue, got: unknown) => `expected ${HISTORY_VALUES[what]}, got ${show(got)}`,
  historyT1BeforeT0: (t0: number, got: number) => `expected a time >= t0 (${t0}), got ${got}`,
  historyLineTooLong: (cap: number) => `expected a line of at most ${cap} bytes (one JSON object per line)`,
  historyChanged: 'the file changed while it was being checked',
  historyUnorderedTooLarge: (size: number, cap: number) =>
    `the file has ${size} bytes and lists some session's operations out of the order they started ` +
    `(expected a file in the export's order, by t1, or at most ${Math.round(cap / 1048576)} MiB to sort in memory)`,

  // ---- explain ------------------------------------------------------------------------------------
  expectedSessionNumber: (got: unknown) => `expected a session number (1, 2, ...), got ${show(got)}`,
  unknownSession: (id: number) => `no session ${id} in this scenario`,
  toBeforeFrom: (from: string, to: string) => `expected a time at or after --from ${show(from)}, got ${show(to)}`,

  // ---- plan ---------------------------------------------------------------------------------------
  sloEmpty: "expected at least one SLO such as 'ryw<0.001,readP99<50ms,leaderUtil<0.7'",
  sloSyntax: (got: string) => `expected METRIC<LIMIT or METRIC<=LIMIT, got ${show(got)}`,
  sloUnknownMetric: (got: string, known: readonly string[]) => `unknown SLO metric ${show(got)} (expected one of: ${known.join(', ')})`,
  planMetOnlyAsSeen:
    '✗*: the rate seen meets the target, but the upper end of its 95% interval does not; a longer run (--duration) or more seeds (--seeds) narrows the interval',
  sloExpectedRate: (got: string) => `expected a number >= 0 (a rate such as 0.001 or 0.1%, a utilisation such as 0.7 or 70%), got ${show(got)}`,
  sloEmptyItem: (got: string) => `empty item in ${show(got)} (expected SLOs separated by single commas, such as 'ryw<0.001,readP99<50ms')`,
  sloDuplicate: (metric: string) => `SLO metric ${show(metric)} is given twice (give one limit per metric)`,
  planNeedsVary: 'expected at least one --vary PATH=V1,V2,... (the space to search)',
  expectedTop: (got: unknown) => `expected a whole number >= 1, got ${show(got)}`,
};
