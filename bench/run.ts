/**
 * `npm run bench`: lagsim against SimPy on the same model, against the bare event-queue limit, its
 * speed with the history export on and of `lagsim check` reading it back, its memory at 1× and 10× simulated duration, the speed-up of a sweep on 2 jobs, and how the cost grows
 * with sessions and replicas. Every case runs --runs times (default 3) in fresh processes, one at a
 * time; the table shows median, min and max, and bench/results.json keeps every figure.
 *
 *   npm run bench [-- --runs N] [-- --quick] [-- --only simpy,heap,history,memory,state,sweep,scale]
 *
 * This is a measurement, not a test: nothing here fails on a figure.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { LAGSIM_VERSION, PROJECT_ROOT } from '../src/text/version.js';
import { writeFileAtomic } from '../src/report/atomicWrite.js';
import { mean, overlaps, pooled, spread, tInterval, welch, type MeanInterval, type PooledRate, type Spread } from './stats.js';

const CHILD = join(PROJECT_ROOT, 'dist', 'bench', 'child.js');
const LAGSIM = join(PROJECT_ROOT, 'bin', 'lagsim.js');
const DEFAULT_SIMPY_MODEL = resolve(PROJECT_ROOT, '..', 'shared', 'anchors', 'simpy_replication.py');
/** Debian's python3-simpy3 lives in Debian's own python3, not in a pyenv or venv earlier on PATH. */
const SYSTEM_PYTHON = '/usr/bin/python3';
/** The obvious hand-written Node.js twin of the SimPy model (same flags and RESULT line). */
/** The hand-written Node.js twin of the SimPy model, looked for beside it (bench/README.md, "The reference models"). */
const twinBeside = (simpyModel: string): string => join(dirname(simpyModel), 'naive_js_replication.mjs');
const EQUIVALENT = join(PROJECT_ROOT, 'bench', 'simpy-equivalent.yaml');
/** The lean floor: the twin's shape with lagsim's semantics added piece by piece (leanBound.ts). */
const LEAN_BOUND = join(PROJECT_ROOT, 'dist', 'bench', 'leanBound.js');
const LEAN_PIECES = 'streams,checks,metrics,boxMuller,hops';
const GHOST_POST = join(PROJECT_ROOT, 'scenarios', 'ghost-post.yaml');
const GROUPS = ['simpy', 'heap', 'history', 'memory', 'state', 'sweep', 'scale'] as const;
type Group = (typeof GROUPS)[number];

interface Settings {
  runs: number;
  quick: boolean;
  only: Set<Group>;
  out: string;
  simpyModel: string;
  /** Simulated seconds of the SimPy-equivalent model (both implementations). */
  modelSeconds: number;
  heapIterations: number;
  memoryBase: string;
  memoryTimesTen: string;
  stateSeconds: number[];
  sweepDuration: string;
  scaleOpsBudget: number;
}

function parseSettings(argv: readonly string[]): Settings {
  let runs = 3;
  let quick = false;
  let only = new Set<Group>(GROUPS);
  let out = join(PROJECT_ROOT, 'bench', 'results.json');
  let simpyModel = DEFAULT_SIMPY_MODEL;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--runs') runs = Number(argv[++i]);
    else if (arg === '--quick') quick = true;
    else if (arg === '--out') out = resolve(argv[++i] ?? '');
    else if (arg === '--simpy') simpyModel = resolve(argv[++i] ?? '');
    else if (arg === '--only') {
      const names = (argv[++i] ?? '').split(',').filter((name) => name !== '');
      for (const name of names) if (!(GROUPS as readonly string[]).includes(name)) usage(`unknown group ${name}`);
      only = new Set(names as Group[]);
    } else usage(`unknown argument ${arg}`);
  }
  if (!Number.isInteger(runs) || runs < 1) usage('--runs must be a positive integer');
  return {
    runs,
    quick,
    only,
    out,
    simpyModel,
    modelSeconds: quick ? 10 : 60,
    heapIterations: quick ? 5_000_000 : 20_000_000,
    memoryBase: quick ? '1m' : '10m',
    memoryTimesTen: quick ? '10m' : '100m',
    stateSeconds: quick ? [5, 10, 20] : [15, 30, 60],
    sweepDuration: quick ? '2s' : '20s',
    scaleOpsBudget: quick ? 100_000 : 600_000,
  };
}

function usage(problem: string): never {
  process.stderr.write(`bench: ${problem}\nusage: npm run bench -- [--runs N] [--quick] [--only ${GROUPS.join(',')}] [--out FILE] [--simpy MODEL.py]\n`);
  process.exit(2);
}

const progress = (text: string): void => {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${text}`);
};

// ---- children -------------------------------------------------------------------------------------

interface SimResult {
  seed: number;
  /** simulate() whole: set-up, the event loop, the summary. */
  wallMs: number;
  /** The event loop alone, until every check is applied (null for a run with a history file; bench/child.ts). */
  loopMs: number | null;
  cpuMs: number;
  ops: number;
  reads: number;
  writes: number;
  events: number;
  maxRssKb: number;
  heapUsedAfterGcBytes: number | null;
  arrayBuffersAfterGcBytes: number | null;
  checkerEntries: number;
  anomalies: Record<string, { violations: number; keyReads: number; eligible: number }>;
  instrumentation: {
    queueMean: number | null;
    queueMax: number;
    pairs: number;
    ownKeyReads: number;
    ownKeyReadsRepeated: number;
  } | null;
}

interface HeapResult {
  queueSize: number;
  iterations: number;
  wallMs: number;
  cpuMs: number;
  popPushPerSecond: number;
}

function runChild<T>(args: string[], nodeFlags: string[] = []): T {
  const child = spawnSync(process.execPath, [...nodeFlags, CHILD, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (child.status !== 0) throw new Error(`bench child failed (${args.join(' ')}): ${child.stderr.trim()}`);
  const lines = child.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as T;
}

function simulateChild(file: string, sets: string[], extra: string[] = [], nodeFlags: string[] = []): SimResult {
  return runChild<SimResult>(['sim', file, ...sets.flatMap((s) => ['--set', s]), ...extra], nodeFlags);
}

/** Two simulation children started together (two processes, as two sweep jobs are two threads); their results. */
function simulatePair(file: string, sets: string[]): [SimResult, SimResult] {
  const quote = (a: string): string => `'${a.replace(/'/g, `'\\''`)}'`;
  const one = [process.execPath, CHILD, 'sim', file, ...sets.flatMap((s) => ['--set', s])].map(quote).join(' ');
  const child = spawnSync('bash', ['-c', `${one} & ${one}; wait`], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const lines = child.stdout.trim().split('\n').filter((line) => line.startsWith('{'));
  if (child.status !== 0 || lines.length !== 2) throw new Error(`bench pair failed: ${child.stderr.trim()}`);
  return [JSON.parse(lines[0]!) as SimResult, JSON.parse(lines[1]!) as SimResult];
}

interface SimpyResult {
  simpy: string;
  seed: number;
  ops: number;
  events: number;
  wall_s: number;
  reads: number;
  writes: number;
  ryw: number;
  ryw_eligible: number;
  mr: number;
  mr_eligible: number;
  own_reads: number;
  own_ryw: number;
  /** CPU seconds of the whole python process (from /usr/bin/time), when available. */
  cpuSeconds: number | null;
}

function simpyAvailable(model: string): { available: boolean; note: string } {
  if (!existsSync(model)) return { available: false, note: `skipped: SimPy model not found at ${model}` };
  const probe = spawnSync(SYSTEM_PYTHON, ['-c', 'import simpy; print(simpy.__version__)'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    return { available: false, note: `skipped: ${SYSTEM_PYTHON} cannot import simpy (apt-get install python3-simpy3)` };
  }
  return { available: true, note: `SimPy ${probe.stdout.trim()} under ${SYSTEM_PYTHON}` };
}

/** A program run under /usr/bin/time (when there is one): its stdout, and its user + system CPU seconds. */
function runTimed(label: string, program: string, args: readonly string[]): { stdout: string; cpuSeconds: number | null } {
  const child = existsSync('/usr/bin/time')
    ? spawnSync('/usr/bin/time', ['-f', 'BENCH_CPU %U %S', program, ...args], { encoding: 'utf8', maxBuffer: 1 << 24 })
    : spawnSync(program, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (child.status !== 0) throw new Error(`${label} failed: ${child.stderr.trim()}`);
  const cpu = /BENCH_CPU ([\d.]+) ([\d.]+)/.exec(child.stderr);
  return { stdout: child.stdout, cpuSeconds: cpu === null ? null : Number(cpu[1]) + Number(cpu[2]) };
}

/** The RESULT line of the SimPy model or of the Node.js twin (same format), with the run's CPU time. */
function runAnchor(label: string, program: string, args: readonly string[]): SimpyResult {
  const { stdout, cpuSeconds } = runTimed(label, program, args);
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (line === undefined) throw new Error(`${label} printed no RESULT line`);
  const result = JSON.parse(line.slice('RESULT '.length)) as SimpyResult;
  result.cpuSeconds = cpuSeconds;
  return result;
}

function runSimpy(model: string, seconds: number, seed: number): SimpyResult {
  return runAnchor('SimPy', SYSTEM_PYTHON, [model, '--duration', String(seconds), '--seed', String(seed)]);
}

/** Runs the Node.js twin like SimPy; `extra` selects the variant. */
function runNaiveTwin(twin: string, seconds: number, seed: number, extra: readonly string[]): SimpyResult {
  return runAnchor('Node.js twin', process.execPath, [twin, '--duration', String(seconds), '--seed', String(seed), ...extra]);
}

/** Operations per wall second and per CPU second (null when a run has no CPU time) of timed runs. */
function timedRates<T extends { ops: number; cpuSeconds: number | null }>(runs: readonly T[], wallSeconds: (run: T) => number): RateSpread {
  return {
    wall: spread(runs.map((r) => r.ops / wallSeconds(r))),
    cpu: runs.every((r) => r.cpuSeconds !== null) ? spread(runs.map((r) => r.ops / r.cpuSeconds!)) : null,
  };
}

const TWIN_VARIANTS = [
  ['heap', []],
  ['replicaFifo', ['--apply-queue', 'replica']],
] as const;

/** The Node.js twin's results, variant by variant, from its runs (one per seed, in the rounds of simpyGroup). */
function naiveTwinGroup(twin: string, seconds: number, runs: number, out: Record<string, SimpyResult[]> | null): Record<string, unknown> {
  if (out === null) return { available: false, note: `skipped: Node.js twin not found at ${twin}` };
  const variants: Record<string, unknown> = { available: true };
  for (const [name, extra] of TWIN_VARIANTS) {
    variants[name] = {
      command: `node ${twin} --duration ${seconds} --seed <1..${runs}>${extra.length > 0 ? ' ' + extra.join(' ') : ''}`,
      runs: out[name]!,
      opsPerSecond: timedRates(out[name]!, (r) => r.wall_s),
    };
  }
  return variants;
}

interface LeanResult {
  ops: number;
  wallMs: number;
  cpuSeconds: number | null;
}

/** One run of the lean floor (leanBound.ts) with `pieces` of lagsim's semantics. */
function runLeanBound(seconds: number, seed: number, pieces: string): LeanResult {
  const args = [LEAN_BOUND, '--duration', String(seconds), '--seed', String(seed), '--with', pieces];
  const { stdout, cpuSeconds } = runTimed('lean floor', process.execPath, args);
  const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as { ops: number; wallMs: number };
  return { ops: result.ops, wallMs: result.wallMs, cpuSeconds };
}

/**
 * The floor under lagsim's time: the same model in the twin's lean shape, bare and with every piece
 * of lagsim's semantics (bench/leanBound.ts). Self-contained: it needs nothing beside the project.
 */
const FLOOR_VARIANTS = [
  ['bare', ''],
  ['everyPiece', LEAN_PIECES],
] as const;

function leanFloorGroup(seconds: number, runs: number, out: Record<string, LeanResult[]>): Record<string, unknown> {
  const variants: Record<string, unknown> = {};
  for (const [name, pieces] of FLOOR_VARIANTS) {
    variants[name] = {
      command: `node dist/bench/leanBound.js --duration ${seconds} --seed <1..${runs}> --with '${pieces}'`,
      runs: out[name]!,
      opsPerSecond: timedRates(out[name]!, (r) => r.wallMs / 1000),
    };
  }
  return variants;
}

// ---- the benchmark groups ------------------------------------------------------------------------

const perSecond = (count: number, ms: number): number => count / (ms / 1000);

interface RateSpread {
  wall: Spread;
  cpu: Spread | null;
  /** lagsim only: operations per second of the event loop's wall time, the window the comparators time. */
  loop?: Spread | null;
}

function lagsimRates(results: readonly SimResult[]): RateSpread {
  return {
    wall: spread(results.map((r) => perSecond(r.ops, r.wallMs))),
    cpu: spread(results.map((r) => perSecond(r.ops, r.cpuMs))),
    loop: results.every((r) => r.loopMs !== null) ? spread(results.map((r) => perSecond(r.ops, r.loopMs!))) : null,
  };
}

/**
 * lagsim's rate in the comparators' window: SimPy's env.run, the twin's sim.run and the lean
 * floor's loop are timed after their set-up and before their report, so lagsim's event loop is
 * timed alike (until its checks are all applied); its whole simulate() is reported beside it.
 */
const loopRate = (r: SimResult): number => perSecond(r.ops, r.loopMs ?? r.wallMs);

interface RateComparison {
  lagsim: { pooled: PooledRate; perSeed: MeanInterval | null; values: number[] };
  simpy: { pooled: PooledRate; perSeed: MeanInterval | null; values: number[] } | null;
  /** Wilson intervals of the pooled counts overlap (independent key-reads assumed). */
  wilsonOverlap: boolean | null;
  /** Welch interval of mean(lagsim) − mean(SimPy) over seeds; agreement when it contains 0. */
  difference: MeanInterval | null;
  agree: boolean | null;
}

function compareRates(
  lagsim: readonly { v: number; n: number }[],
  simpy: readonly { v: number; n: number }[] | null,
): RateComparison {
  const side = (runs: readonly { v: number; n: number }[]) => {
    const values = runs.map((r) => r.v / r.n);
    return {
      pooled: pooled(
        runs.reduce((s, r) => s + r.v, 0),
        runs.reduce((s, r) => s + r.n, 0),
      ),
      perSeed: tInterval(values),
      values,
    };
  };
  const l = side(lagsim);
  const s = simpy === null ? null : side(simpy);
  const difference = s === null ? null : welch(l.values, s.values);
  return {
    lagsim: l,
    simpy: s,
    wilsonOverlap: s === null ? null : overlaps(l.pooled.interval, s.pooled.interval),
    difference,
    agree: difference === null ? null : difference.low <= 0 && difference.high >= 0,
  };
}

function simpyGroup(settings: Settings, results: Record<string, unknown>): void {
  const seconds = settings.modelSeconds;
  const seeds = Array.from({ length: settings.runs }, (_, i) => i + 1);
  const lagsimRuns: SimResult[] = [];
  const oneThreadRuns: SimResult[] = [];
  const probes: SimResult[] = [];
  const availability = simpyAvailable(settings.simpyModel);
  const simpyRuns: SimpyResult[] | null = availability.available ? [] : null;
  const twin = twinBeside(settings.simpyModel);
  const twinRuns: Record<string, SimpyResult[]> | null = existsSync(twin) ? { heap: [], replicaFifo: [] } : null;
  const floorRuns: Record<string, LeanResult[]> = { bare: [], everyPiece: [] };
  // In rounds, one run of each implementation per seed: the machine's drift during the benchmark
  // (another VM on the host, a warming core) falls on every implementation alike, and each round's
  // ratios compare runs made minutes apart at most (pairedRatios).
  for (const seed of seeds) {
    progress(`lagsim simpy-equivalent ${seconds}s seed ${seed}`);
    const sets = [`duration=${seconds}s`, `seed=${seed}`];
    lagsimRuns.push(simulateChild(EQUIVALENT, sets));
    // The same run with its checks in the simulating thread (as on a machine with one core).
    oneThreadRuns.push(simulateChild(EQUIVALENT, sets, ['--checks-here']));
    // Same seed, instrumented (not timed): queue size and the reads of own keys before a first write.
    probes.push(simulateChild(EQUIVALENT, sets, ['--instrument']));
    if (simpyRuns !== null) {
      progress(`SimPy ${seconds}s seed ${seed}`);
      simpyRuns.push(runSimpy(settings.simpyModel, seconds, seed));
    }
    if (twinRuns !== null) {
      for (const [name, extra] of TWIN_VARIANTS) {
        progress(`Node.js twin (${name}) ${seconds}s seed ${seed}`);
        twinRuns[name]!.push(runNaiveTwin(twin, seconds, seed, extra));
      }
    }
    for (const [name, pieces] of FLOOR_VARIANTS) {
      progress(`lean floor (${name}) ${seconds}s seed ${seed}`);
      floorRuns[name]!.push(runLeanBound(seconds, seed, pieces));
    }
  }
  const deterministic = lagsimRuns.every(
    (r, i) => JSON.stringify(r.anomalies) === JSON.stringify(probes[i]!.anomalies) && JSON.stringify(r.anomalies) === JSON.stringify(oneThreadRuns[i]!.anomalies),
  );
  const lagsim = {
    command: `node dist/bench/child.js sim bench/simpy-equivalent.yaml --set duration=${seconds}s --set seed=<1..${settings.runs}>`,
    runs: lagsimRuns,
    opsPerSecond: lagsimRates(lagsimRuns),
    eventsPerOp: mean(lagsimRuns.map((r) => r.events / r.ops)),
    queueMean: mean(probes.map((p) => p.instrumentation!.queueMean ?? 0)),
    queueMax: Math.max(...probes.map((p) => p.instrumentation!.queueMax)),
    instrumentedSameCounts: deterministic,
  };
  results['lagsim'] = lagsim;
  results['lagsimChecksHere'] = {
    command: `${lagsim.command} --checks-here`,
    runs: oneThreadRuns,
    opsPerSecond: lagsimRates(oneThreadRuns),
  };

  const simpy =
    simpyRuns === null
      ? { available: false, note: availability.note }
      : {
          available: true,
          note: availability.note,
          command: `${SYSTEM_PYTHON} ${settings.simpyModel} --duration ${seconds} --seed <1..${settings.runs}>`,
          runs: simpyRuns,
          opsPerSecond: timedRates(simpyRuns, (r) => r.wall_s),
        };
  results['simpy'] = simpy;
  results['naiveTwin'] = naiveTwinGroup(twin, seconds, settings.runs, twinRuns);
  results['leanFloor'] = leanFloorGroup(seconds, settings.runs, floorRuns);
  // lagsim's rate over each comparator's in the same round (wall time): their median and range.
  const lagsimRate = (i: number): number => loopRate(lagsimRuns[i]!);
  const anchorRate = (r: SimpyResult): number => r.ops / r.wall_s;
  results['pairedRatios'] = {
    note: 'lagsim ops/s over the comparator\u2019s in the same round (one run of each per seed, in turn)',
    simpy: simpyRuns === null ? null : spread(simpyRuns.map((r, i) => lagsimRate(i) / anchorRate(r))),
    twinReplicaFifo: twinRuns === null ? null : spread(twinRuns['replicaFifo']!.map((r, i) => lagsimRate(i) / anchorRate(r))),
    leanFloorEveryPiece: spread(floorRuns['everyPiece']!.map((r, i) => lagsimRate(i) / perSecond(r.ops, r.wallMs))),
  };

  // Anomaly rates side by side. lagsim's lastWritten falls back to the session's own key before its
  // first write, where SimPy reads a uniform key: those own-key reads never violate (the key is
  // never written), but the repeated ones are mr-eligible in lagsim and (almost never) in SimPy, so
  // "mr among eligible" is also given with them taken out of the eligible count.
  const counts = (r: SimResult, a: string, eligible: boolean) => ({
    v: r.anomalies[a]!.violations,
    n: eligible ? r.anomalies[a]!.eligible : r.anomalies[a]!.keyReads,
  });
  const simpyCounts = (pick: (r: SimpyResult) => { v: number; n: number }) => (simpyRuns === null ? null : simpyRuns.map(pick));
  results['anomalies'] = {
    note:
      'lagsim runs use seeds 1..N (the same as SimPy; the generators differ, so runs pair only by index). ' +
      'Wilson intervals treat key-reads as independent; they are not (every read shares the replicas\u2019 lag ' +
      'process, dominated by rare long lags), so agreement is judged on the spread across seeds (Welch).',
    ownKeyReads: probes.map((p) => p.instrumentation!.ownKeyReads),
    ownKeyReadsMrEligible: probes.map((p) => p.instrumentation!.ownKeyReadsRepeated),
    rywRate: compareRates(
      probes.map((r) => counts(r, 'ryw', false)),
      simpyCounts((r) => ({ v: r.ryw, n: r.reads })),
    ),
    rywRateEligible: compareRates(
      probes.map((r) => counts(r, 'ryw', true)),
      simpyCounts((r) => ({ v: r.ryw, n: r.ryw_eligible })),
    ),
    mrRate: compareRates(
      probes.map((r) => counts(r, 'mr', false)),
      simpyCounts((r) => ({ v: r.mr, n: r.reads })),
    ),
    mrRateEligible: compareRates(
      probes.map((r) => counts(r, 'mr', true)),
      simpyCounts((r) => ({ v: r.mr, n: r.mr_eligible })),
    ),
    mrRateEligibleWithoutOwnKeyReads: compareRates(
      probes.map((r) => ({ v: r.anomalies['mr']!.violations, n: r.anomalies['mr']!.eligible - r.instrumentation!.ownKeyReadsRepeated })),
      simpyCounts((r) => ({ v: r.mr, n: r.mr_eligible })),
    ),
  };
}

function heapGroup(settings: Settings, results: Record<string, unknown>): void {
  const lagsim = results['lagsim'] as { queueMean: number } | undefined;
  // With zero network delay each closed-loop session has exactly one pending event.
  const queueSize = Math.round(lagsim?.queueMean ?? 2000);
  const runs: HeapResult[] = [];
  for (let i = 0; i < settings.runs; i++) {
    progress(`bare heap at ${queueSize} run ${i + 1}`);
    runs.push(runChild<HeapResult>(['heap', String(queueSize), String(settings.heapIterations)]));
  }
  results['heap'] = {
    command: `node dist/bench/child.js heap ${queueSize} ${settings.heapIterations}`,
    queueSize,
    queueSizeSource: lagsim === undefined ? 'assumed (simpy group not run)' : 'mean event-queue size of the lagsim runs',
    runs,
    popPushPerSecond: {
      wall: spread(runs.map((r) => r.popPushPerSecond)),
      cpu: spread(runs.map((r) => perSecond(r.iterations, r.cpuMs))),
    },
  };
}

interface CheckResult {
  operations: number;
  mismatches: number;
  wallMs: number;
  cpuMs: number;
  maxRssKb: number;
}

/**
 * The history's two hot paths, on the SimPy-equivalent model: a run writing its history export, and
 * `lagsim check` reading it back (both passes), per operation of the run.
 */
function historyGroup(settings: Settings, results: Record<string, unknown>): void {
  const seconds = settings.modelSeconds;
  const scratch = mkdtempSync(join(tmpdir(), 'lagsim-bench-'));
  try {
    const runs: { seed: number; run: SimResult; historyBytes: number; check: CheckResult }[] = [];
    for (let seed = 1; seed <= settings.runs; seed++) {
      const file = join(scratch, `history-${seed}.jsonl`);
      progress(`lagsim simpy-equivalent ${seconds}s seed ${seed} --history`);
      const run = simulateChild(EQUIVALENT, [`duration=${seconds}s`, `seed=${seed}`], ['--history', file]);
      progress(`lagsim check, seed ${seed}`);
      const check = runChild<CheckResult>(['check', file]);
      runs.push({ seed, run, historyBytes: statSync(file).size, check });
      rmSync(file, { force: true });
    }
    results['history'] = {
      commands: [
        `node dist/bench/child.js sim bench/simpy-equivalent.yaml --set duration=${seconds}s --set seed=<1..${settings.runs}> --history FILE`,
        'node dist/bench/child.js check FILE',
      ],
      runs,
      writeOpsPerSecond: lagsimRates(runs.map((r) => r.run)),
      bytesPerOperation: spread(runs.map((r) => r.historyBytes / r.run.ops)),
      checkOpsPerSecond: {
        wall: spread(runs.map((r) => perSecond(r.run.ops, r.check.wallMs))),
        cpu: spread(runs.map((r) => perSecond(r.run.ops, r.check.cpuMs))),
      },
      checkMaxRssMb: spread(runs.map((r) => r.check.maxRssKb / 1024)),
      checkAgrees: runs.every((r) => r.check.mismatches === 0),
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

interface MemoryCase {
  label: string;
  sets: string[];
  duration: string;
  history: boolean;
  historyBytes: number | null;
  ops: number;
  checkerEntries: number;
  maxRssMb: Spread;
  /** V8 heap plus ArrayBuffers in use after a full GC at the end: live memory, without GC slack. */
  liveAfterGcMb: Spread;
}

const liveMb = (r: SimResult): number => ((r.heapUsedAfterGcBytes ?? 0) + (r.arrayBuffersAfterGcBytes ?? 0)) / 2 ** 20;

function memoryGroup(settings: Settings, results: Record<string, unknown>): void {
  const scratch = mkdtempSync(join(tmpdir(), 'lagsim-bench-'));
  // ghost-post's sessions read their feed from 1000 keys: the (session, key) pairs the checker must
  // keep saturate within 1×, so whatever still grows at 10× grows with operations. A second variant
  // with 10000 feed keys shows the memory that legitimately grows with the keys touched.
  const variants = [
    { label: 'ghost-post', sets: [] as string[] },
    { label: 'ghost-post, 10000 keys', sets: ['keyspace.count=10000'] },
  ];
  try {
    const cases: MemoryCase[] = [];
    for (const variant of variants) {
      for (const history of [false, true]) {
        for (const duration of [settings.memoryBase, settings.memoryTimesTen]) {
          const runs: SimResult[] = [];
          let historyBytes: number | null = null;
          for (let i = 0; i < settings.runs; i++) {
            progress(`memory ${variant.label} ${duration}${history ? ' with history' : ''} run ${i + 1}`);
            const historyPath = join(scratch, 'history.jsonl');
            const extra = ['--gc', ...(history ? ['--history', historyPath] : [])];
            runs.push(simulateChild(GHOST_POST, [...variant.sets, `duration=${duration}`], extra, ['--expose-gc']));
            if (history) {
              historyBytes = statSync(historyPath).size;
              rmSync(historyPath, { force: true });
            }
          }
          cases.push({
            label: variant.label,
            sets: variant.sets,
            duration,
            history,
            historyBytes,
            ops: runs[0]!.ops,
            checkerEntries: runs[0]!.checkerEntries,
            maxRssMb: spread(runs.map((r) => r.maxRssKb / 1024)),
            liveAfterGcMb: spread(runs.map(liveMb)),
          });
        }
      }
    }
    const ratios = variants.map((variant) => {
      const ratio = (history: boolean, measure: (c: MemoryCase) => number) => {
        const [base, ten] = cases.filter((c) => c.label === variant.label && c.history === history);
        return measure(ten!) / measure(base!);
      };
      return {
        label: variant.label,
        rssHistoryOff: ratio(false, (c) => c.maxRssMb.median),
        rssHistoryOn: ratio(true, (c) => c.maxRssMb.median),
        liveHistoryOff: ratio(false, (c) => c.liveAfterGcMb.median),
        liveHistoryOn: ratio(true, (c) => c.liveAfterGcMb.median),
        checkerEntries: ratio(false, (c) => c.checkerEntries),
      };
    });
    results['memory'] = {
      command: `node --expose-gc dist/bench/child.js sim scenarios/ghost-post.yaml [--set keyspace.count=10000] --set duration=<${settings.memoryBase}|${settings.memoryTimesTen}> --gc [--history FILE]`,
      cases,
      tenfold: ratios,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Least-squares slope of y on x. */
function slope(points: readonly { x: number; y: number }[]): number {
  const mx = mean(points.map((p) => p.x));
  const my = mean(points.map((p) => p.y));
  const sxy = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return sxy / sxx;
}

function stateGroup(settings: Settings, results: Record<string, unknown>): void {
  // Everything else in this model is bounded (10000 keys, a few lag-long apply queues, histograms):
  // the heap that grows between durations is the checker's per-(session, key) state.
  const points = settings.stateSeconds.map((seconds) => {
    progress(`checker state ${seconds}s`);
    const r = simulateChild(EQUIVALENT, [`duration=${seconds}s`], ['--instrument', '--gc'], ['--expose-gc']);
    return {
      seconds,
      pairs: r.instrumentation!.pairs,
      entries: r.checkerEntries,
      heapUsedAfterGcBytes: r.heapUsedAfterGcBytes!,
      arrayBuffersAfterGcBytes: r.arrayBuffersAfterGcBytes!,
      liveBytes: r.heapUsedAfterGcBytes! + r.arrayBuffersAfterGcBytes!,
    };
  });
  results['checkerState'] = {
    command: `node --expose-gc dist/bench/child.js sim bench/simpy-equivalent.yaml --set duration=<${settings.stateSeconds.join('|')}>s --instrument --gc`,
    method:
      'memory in use (V8 heap + ArrayBuffers) after a full GC at the end of runs of different simulated durations, regressed on the number of ' +
      '(session, key) pairs the sessions touched (counted by a bitset of fixed size in the child): the slope is bytes per pair',
    points,
    bytesPerPair: slope(points.map((p) => ({ x: p.pairs, y: p.liveBytes }))),
    bytesPerEntry: slope(points.map((p) => ({ x: p.entries, y: p.liveBytes }))),
  };
}

function sweepGroup(settings: Settings, results: Record<string, unknown>): void {
  const help = spawnSync(process.execPath, [LAGSIM, 'sweep', '--help'], { encoding: 'utf8' });
  const available = help.status === 0 && /--jobs/.test(help.stdout) && /--seeds/.test(help.stdout);
  if (!available) {
    results['sweep'] = { available: false, note: 'skipped: this build has no `lagsim sweep --seeds --jobs` yet' };
    return;
  }
  const scratch = mkdtempSync(join(tmpdir(), 'lagsim-bench-sweep-'));
  try {
    const args = (jobs: number) => [
      LAGSIM,
      'sweep',
      EQUIVALENT,
      '--seeds',
      '1..16',
      '--duration',
      settings.sweepDuration,
      // The sweep's replica-lag chart fails on a scenario without warm-up ("Infinite extent for field
      // timeS"); half a second of warm-up sidesteps it without changing the work measurably.
      '--set',
      'warmup=500ms',
      '--jobs',
      String(jobs),
      '--out',
      join(scratch, `jobs-${jobs}`),
      '--json',
    ];
    const processSeconds: Record<number, number[]> = { 1: [], 2: [] };
    const simulationSeconds: Record<number, number[]> = { 1: [], 2: [] };
    const cpuSeconds: Record<number, number[]> = { 1: [], 2: [] };
    for (let i = 0; i < settings.runs; i++) {
      for (const jobs of [1, 2]) {
        progress(`sweep of 16 runs, --jobs ${jobs}, run ${i + 1}`);
        // A fresh folder: sweep resumes from what it finds in --out.
        rmSync(join(scratch, `jobs-${jobs}`), { recursive: true, force: true });
        const started = process.hrtime.bigint();
        const child = existsSync('/usr/bin/time')
          ? spawnSync('/usr/bin/time', ['-f', 'BENCH_CPU %U %S', process.execPath, ...args(jobs)], { encoding: 'utf8', maxBuffer: 1 << 28 })
          : spawnSync(process.execPath, args(jobs), { encoding: 'utf8', maxBuffer: 1 << 28 });
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        if (child.status !== 0) throw new Error(`lagsim sweep failed: ${child.stderr.trim()}`);
        processSeconds[jobs]!.push(seconds);
        const cpu = /BENCH_CPU ([\d.]+) ([\d.]+)/.exec(child.stderr);
        if (cpu !== null) cpuSeconds[jobs]!.push(Number(cpu[1]) + Number(cpu[2]));
        // "ran 16 simulations in X s of wall time …": the sweep's own clock, without start-up and report.
        const ran = / in ([\d.]+) s of wall time/.exec(child.stderr);
        if (ran !== null) simulationSeconds[jobs]!.push(Number(ran[1]));
      }
    }
    // The machine's own ceiling for 2 jobs: one sweep-sized simulation alone, then two at once. A
    // memory-bound loop on two cores that share caches and memory bandwidth loses speed when the
    // other core works, whatever the sweep does.
    const aloneMs: number[] = [];
    const pairSpeedups: number[] = [];
    for (let i = 0; i < settings.runs; i++) {
      progress(`two simulations side by side, run ${i + 1}`);
      const sets = [`duration=${settings.sweepDuration}`];
      const alone = simulateChild(EQUIVALENT, sets).wallMs;
      const [a, b] = simulatePair(EQUIVALENT, sets);
      aloneMs.push(alone);
      pairSpeedups.push((2 * alone) / Math.max(a.wallMs, b.wallMs));
    }
    const one = spread(processSeconds[1]!);
    const two = spread(processSeconds[2]!);
    const haveInner = simulationSeconds[1]!.length === settings.runs && simulationSeconds[2]!.length === settings.runs;
    const innerOne = haveInner ? spread(simulationSeconds[1]!) : null;
    const innerTwo = haveInner ? spread(simulationSeconds[2]!) : null;
    results['sweep'] = {
      available: true,
      command: `node bin/lagsim.js sweep bench/simpy-equivalent.yaml --seeds 1..16 --duration ${settings.sweepDuration} --set warmup=500ms --jobs <1|2> --out DIR --json`,
      jobs1Seconds: one,
      jobs2Seconds: two,
      speedup: one.median / two.median,
      simulationJobs1Seconds: innerOne,
      simulationJobs2Seconds: innerTwo,
      simulationSpeedup: innerOne && innerTwo ? innerOne.median / innerTwo.median : null,
      // CPU seconds (user + system) of the whole command: how much work 2 jobs add (worker start-up,
      // messages), whatever else the machine is running.
      cpuJobs1Seconds: cpuSeconds[1]!.length > 0 ? spread(cpuSeconds[1]!) : null,
      cpuJobs2Seconds: cpuSeconds[2]!.length > 0 ? spread(cpuSeconds[2]!) : null,
      ceiling: {
        command: `node dist/bench/child.js sim bench/simpy-equivalent.yaml --set duration=${settings.sweepDuration}, alone and two at once`,
        aloneMs: spread(aloneMs),
        // 2 × (time alone) ÷ (time of the slower of the pair): what 2 workers could give at best.
        pairSpeedup: spread(pairSpeedups),
      },
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

interface ScaleRow {
  sessions: number;
  replicas: number;
  seconds: number;
  ops: number;
  maxRssMb: Spread;
  /** Ops per second of the whole run (building the model included). */
  opsPerSecond: RateSpread;
  /** Ops per second once the model is built: the whole run minus a run of 1 ms simulated time. */
  steadyOpsPerSecond: RateSpread;
  /** Wall time of building the model and starting its sessions (the 1 ms run). */
  setupMs: Spread;
  /**
   * Memory per session: (peak RSS − peak RSS of a 1-session, 1 ms run) ÷ sessions, once the model is
   * built (the 1 ms run) and at the end of the full run (checker tables grow as sessions touch keys).
   */
  bytesPerSessionSetup: Spread;
  bytesPerSessionEnd: Spread;
}

/** The scale group's shortest simulated time, s. */
const MIN_SCALE_SECONDS = 0.1;

/** Sessions × replicas of the scale group: 1e6 sessions with the benchmark's 4 replicas only (its setup alone takes seconds). */
const SCALE_CASES: readonly (readonly [number, number])[] = [
  ...[1e3, 1e4, 1e5].flatMap((sessions) => [1, 4, 16].map((replicas) => [sessions, replicas] as const)),
  [1e6, 4],
];

function scaleGroup(settings: Settings, results: Record<string, unknown>): void {
  const rows: ScaleRow[] = [];
  // What a run costs with (almost) no sessions: Node, the modules, the model's fixed parts.
  const baselineRssKb = spread(
    Array.from({ length: settings.runs }, () => simulateChild(EQUIVALENT, ['clients.0.sessions=1', 'duration=1ms']).maxRssKb),
  ).median;
  for (const [sessions, replicas] of SCALE_CASES) {
    // About the same number of operations in every case (sessions × 10 ops/s of simulated time), but
    // never under 0.1 s: at 1e6 sessions a shorter run is swamped by its 10 s set-up's own noise.
    const seconds = Math.max(settings.scaleOpsBudget / (sessions * 10), MIN_SCALE_SECONDS);
    const sets = (duration: string) => [`clients.0.sessions=${sessions}`, `cluster.replicas.0.count=${replicas}`, `duration=${duration}`];
    const setupRuns: SimResult[] = [];
    const runs: SimResult[] = [];
    for (let i = 0; i < settings.runs; i++) {
      progress(`scale ${sessions} sessions × ${replicas} replicas run ${i + 1}`);
      setupRuns.push(simulateChild(EQUIVALENT, sets('1ms')));
      runs.push(simulateChild(EQUIVALENT, sets(`${seconds}s`)));
    }
    const steady = (time: (r: SimResult) => number) =>
      spread(runs.map((r, i) => perSecond(r.ops - setupRuns[i]!.ops, time(r) - time(setupRuns[i]!))));
    rows.push({
      sessions,
      replicas,
      seconds,
      ops: runs[0]!.ops,
      maxRssMb: spread(runs.map((r) => r.maxRssKb / 1024)),
      opsPerSecond: lagsimRates(runs),
      steadyOpsPerSecond: { wall: steady((r) => r.wallMs), cpu: steady((r) => r.cpuMs) },
      setupMs: spread(setupRuns.map((r) => r.wallMs)),
      bytesPerSessionSetup: spread(setupRuns.map((r) => ((r.maxRssKb - baselineRssKb) * 1024) / sessions)),
      bytesPerSessionEnd: spread(runs.map((r) => ((r.maxRssKb - baselineRssKb) * 1024) / sessions)),
    });
  }
  results['scale'] = {
    command:
      'node dist/bench/child.js sim bench/simpy-equivalent.yaml --set clients.0.sessions=S --set cluster.replicas.0.count=R --set duration=<max(budget/(10 S), 0.1) s | 1ms>; memory per session over --set clients.0.sessions=1 --set duration=1ms',
    baselineRssMb: baselineRssKb / 1024,
    rows,
  };
}

// ---- report --------------------------------------------------------------------------------------

const fmt = (x: number, digits = 0): string => x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const pct = (x: number | null | undefined, digits = 2): string => (x === null || x === undefined ? '—' : `${(100 * x).toFixed(digits)}%`);

function tableRow(label: string, s: Spread | null, unit: string, digits = 0, scale = 1): string {
  if (s === null) return `| ${label} | — | — | — | ${unit} |`;
  return `| ${label} | ${fmt(s.median * scale, digits)} | ${fmt(s.min * scale, digits)} | ${fmt(s.max * scale, digits)} | ${unit} |`;
}

interface Target {
  name: string;
  target: string;
  value: string;
  met: boolean | null;
}

/**
 * The figure a ratio target is judged on: the median of the rounds' own ratios when the group ran in
 * rounds (each round's implementations ran minutes apart, so the machine's drift cancels), else the
 * ratio of medians. The text gives both: on a shared VM the two have differed by a third (a slow
 * round of one comparator moves its median, not the rounds' ratios).
 */
function pairedJudgement(ratioOfMedians: number, rounds: Spread | null | undefined, digits: number): { value: number; text: string } {
  if (!rounds) return { value: ratioOfMedians, text: `${ratioOfMedians.toFixed(digits)}×` };
  return {
    value: rounds.median,
    text: `${rounds.median.toFixed(digits)}× round by round (${rounds.min.toFixed(digits)}×–${rounds.max.toFixed(digits)}×; ratio of medians ${ratioOfMedians.toFixed(digits)}×)`,
  };
}

function report(results: Record<string, unknown>, settings: Settings): { text: string; targets: Target[] } {
  const lines: string[] = [];
  const targets: Target[] = [];
  lines.push(`| benchmark (runs: ${settings.runs}) | median | min | max | unit |`, '|---|---:|---:|---:|---|');
  const lagsim = results['lagsim'] as { opsPerSecond: RateSpread; eventsPerOp: number; queueMean: number } | undefined;
  const simpy = results['simpy'] as { available: boolean; note: string; opsPerSecond?: RateSpread } | undefined;
  const heap = results['heap'] as { queueSize: number; popPushPerSecond: RateSpread } | undefined;
  const paired = results['pairedRatios'] as { simpy: Spread | null; twinReplicaFifo: Spread | null; leanFloorEveryPiece: Spread } | undefined;
  const pairedRow = (label: string, ratios: Spread | null | undefined, digits: number): void => {
    if (ratios) lines.push(`| ${label}, round by round (median, min, max of the rounds' ratios) | ${ratios.median.toFixed(digits)}× | ${ratios.min.toFixed(digits)}× | ${ratios.max.toFixed(digits)}× | each round runs every implementation once, in turn |`);
  };
  // The comparisons use lagsim's event loop, the window every comparator times (loopRate).
  const lagsimLoop = lagsim ? (lagsim.opsPerSecond.loop ?? lagsim.opsPerSecond.wall) : null;
  if (lagsim) {
    lines.push(tableRow(`lagsim, SimPy-equivalent model, ${settings.modelSeconds} s (wall, event loop until every check is applied)`, lagsimLoop!, 'ops/s'));
    lines.push(tableRow('  the same, whole simulate() (set-up and summary included; wall)', lagsim.opsPerSecond.wall, 'ops/s'));
    lines.push(tableRow('  the same, per CPU second of the whole simulate()', lagsim.opsPerSecond.cpu, 'ops/s'));
  }
  const checksHere = results['lagsimChecksHere'] as { opsPerSecond: RateSpread } | undefined;
  if (checksHere) {
    lines.push(tableRow(`  lagsim with its checks in the simulating thread (--checks-here; wall)`, checksHere.opsPerSecond.wall, 'ops/s'));
    lines.push(tableRow('  the same, per CPU second', checksHere.opsPerSecond.cpu, 'ops/s'));
  }
  if (simpy?.opsPerSecond) {
    lines.push(tableRow(`SimPy, same model, ${settings.modelSeconds} s (wall)`, simpy.opsPerSecond.wall, 'ops/s'));
    lines.push(tableRow('  the same, per CPU second (whole process)', simpy.opsPerSecond.cpu, 'ops/s'));
  } else if (simpy) lines.push(`| SimPy | — | — | — | ${simpy.note} |`);
  if (lagsim && simpy?.opsPerSecond) {
    const ratio = lagsimLoop!.median / simpy.opsPerSecond.wall.median;
    const ratioCpu = lagsim.opsPerSecond.cpu && simpy.opsPerSecond.cpu ? lagsim.opsPerSecond.cpu.median / simpy.opsPerSecond.cpu.median : null;
    lines.push(
      `| lagsim ÷ SimPy (medians; range min/max…max/min) | ${ratio.toFixed(1)}× | ${(lagsimLoop!.min / simpy.opsPerSecond.wall.max).toFixed(1)}× | ${(lagsimLoop!.max / simpy.opsPerSecond.wall.min).toFixed(1)}× | per CPU s: ${ratioCpu === null ? '—' : `${ratioCpu.toFixed(1)}×`} |`,
    );
    pairedRow('lagsim ÷ SimPy', paired?.simpy, 1);
    const judged = pairedJudgement(ratio, paired?.simpy, 1);
    targets.push({ name: 'lagsim ≥ 10× SimPy ops/s (aim 20×)', target: '≥ 10×', value: `${judged.text} (per CPU s ${ratioCpu?.toFixed(1) ?? '—'}×)`, met: judged.value >= 10 });
  }
  const twin = results['naiveTwin'] as { available: boolean; note?: string; heap?: { opsPerSecond: RateSpread }; replicaFifo?: { opsPerSecond: RateSpread } } | undefined;
  if (twin && !twin.available) lines.push(`| Node.js twin | — | — | — | ${twin.note ?? 'skipped'} |`);
  else if (twin?.heap && twin.replicaFifo) {
    lines.push(tableRow(`Node.js twin, same model, ${settings.modelSeconds} s (wall)`, twin.heap.opsPerSecond.wall, 'ops/s'));
    lines.push(tableRow('  the same, per CPU second (whole process)', twin.heap.opsPerSecond.cpu, 'ops/s'));
    lines.push(tableRow(`Node.js twin --apply-queue replica (wall)`, twin.replicaFifo.opsPerSecond.wall, 'ops/s'));
    lines.push(tableRow('  the same, per CPU second (whole process)', twin.replicaFifo.opsPerSecond.cpu, 'ops/s'));
    if (lagsim) {
      const ratio = lagsimLoop!.median / twin.replicaFifo.opsPerSecond.wall.median;
      const ratioCpu = lagsim.opsPerSecond.cpu && twin.replicaFifo.opsPerSecond.cpu ? lagsim.opsPerSecond.cpu.median / twin.replicaFifo.opsPerSecond.cpu.median : null;
      lines.push(`| lagsim ÷ twin with replica FIFO (medians) | ${ratio.toFixed(2)}× | | | per CPU s: ${ratioCpu === null ? '—' : `${ratioCpu.toFixed(2)}×`} |`);
      pairedRow('lagsim ÷ twin with replica FIFO', paired?.twinReplicaFifo, 2);
      const judged = pairedJudgement(ratio, paired?.twinReplicaFifo, 2);
      targets.push({ name: 'lagsim ≥ replica-FIFO twin ops/s', target: '≥ 1×', value: `${judged.text} (per CPU s ${ratioCpu?.toFixed(2) ?? '—'}×)`, met: judged.value >= 1 });
    }
  }
  const floor = results['leanFloor'] as { bare: { opsPerSecond: RateSpread }; everyPiece: { opsPerSecond: RateSpread } } | undefined;
  if (floor) {
    lines.push(tableRow(`lean floor (bench/leanBound.ts), the twin's shape (wall)`, floor.bare.opsPerSecond.wall, 'ops/s'));
    lines.push(tableRow(`lean floor with every piece of lagsim's semantics (wall)`, floor.everyPiece.opsPerSecond.wall, 'ops/s'));
    lines.push(tableRow('  the same, per CPU second (whole process)', floor.everyPiece.opsPerSecond.cpu, 'ops/s'));
    if (lagsim) {
      const ratio = lagsimLoop!.median / floor.everyPiece.opsPerSecond.wall.median;
      lines.push(`| lagsim ÷ lean floor with every piece (medians) | ${ratio.toFixed(2)}× | | | a rewrite keeping its semantics could gain ${(1 / ratio).toFixed(2)}× or a little more (the floor's hops cost more than lagsim's) |`);
      pairedRow('lagsim ÷ lean floor with every piece', paired?.leanFloorEveryPiece, 2);
    }
  }
  if (heap) {
    lines.push(tableRow(`bare heap pop+push at ${fmt(heap.queueSize)} events (wall)`, heap.popPushPerSecond.wall, 'pop+push/s'));
    lines.push(tableRow('  the same, per CPU second', heap.popPushPerSecond.cpu, 'pop+push/s'));
    if (lagsim) {
      const share = lagsimLoop!.median / heap.popPushPerSecond.wall.median;
      const shareCpu = lagsim.opsPerSecond.cpu && heap.popPushPerSecond.cpu ? lagsim.opsPerSecond.cpu.median / heap.popPushPerSecond.cpu.median : null;
      lines.push(`| lagsim ops/s ÷ heap pop+push/s (medians) | ${pct(share)} | | | per CPU s: ${pct(shareCpu)}; lagsim handles ${lagsim.eventsPerOp.toFixed(2)} events/op |`);
      targets.push({ name: 'lagsim ops/s ≥ 10% of bare-heap pop+push/s (issue 19)', target: '≥ 10%', value: `${pct(share)} (per CPU s ${pct(shareCpu)})`, met: share >= 0.10 });
    }
  }
  const history = results['history'] as
    | { writeOpsPerSecond: RateSpread; bytesPerOperation: Spread; checkOpsPerSecond: RateSpread; checkMaxRssMb: Spread; checkAgrees: boolean }
    | undefined;
  if (history) {
    lines.push(tableRow(`lagsim, SimPy-equivalent model, ${settings.modelSeconds} s, --history to a file (wall)`, history.writeOpsPerSecond.wall, 'ops/s'));
    if (lagsim) lines.push(`| the history export's cost (medians) | ${pct(1 - history.writeOpsPerSecond.wall.median / lagsim.opsPerSecond.wall.median, 0)} | | | of the run's speed without it; ${fmt(history.bytesPerOperation.median)} bytes per operation |`);
    lines.push(tableRow('lagsim check on that history, both passes (wall)', history.checkOpsPerSecond.wall, `ops/s${history.checkAgrees ? '; every flag agrees' : '; FLAGS DISAGREE'}`));
    lines.push(tableRow('  its peak RSS', history.checkMaxRssMb, 'MB', 1));
  }
  const memory = results['memory'] as
    | {
        cases: MemoryCase[];
        tenfold: { label: string; rssHistoryOff: number; rssHistoryOn: number; liveHistoryOff: number; liveHistoryOn: number; checkerEntries: number }[];
      }
    | undefined;
  if (memory) {
    for (const c of memory.cases) {
      lines.push(
        tableRow(
          `peak RSS, ${c.label}, ${c.duration}, history ${c.history ? 'to a file' : 'off'} (${fmt(c.ops)} ops, ${fmt(c.checkerEntries)} checker entries)`,
          c.maxRssMb,
          `MB (live after GC ${fmt(c.liveAfterGcMb.median, 1)} MB)`,
          1,
        ),
      );
    }
    for (const r of memory.tenfold) {
      lines.push(
        `| RSS 10× ÷ 1×, ${r.label} (medians) | history off ${r.rssHistoryOff.toFixed(2)} | history on ${r.rssHistoryOn.toFixed(2)} | | live after GC: ${r.liveHistoryOff.toFixed(2)} / ${r.liveHistoryOn.toFixed(2)}; checker entries ×${r.checkerEntries.toFixed(2)} |`,
      );
    }
    const bounded = memory.tenfold[0]!;
    const wide = memory.tenfold[memory.tenfold.length - 1]!;
    targets.push({
      name: `RSS at 10× duration ≤ 1.2× RSS at 1× (history off), ${bounded.label}`,
      target: '≤ 1.20',
      value: `${bounded.rssHistoryOff.toFixed(2)} (live after GC ${bounded.liveHistoryOff.toFixed(2)}; with 10000 keys ${wide.rssHistoryOff.toFixed(2)}, checker entries ×${wide.checkerEntries.toFixed(1)})`,
      met: bounded.rssHistoryOff <= 1.2,
    });
    targets.push({
      name: `with --history, memory bounded (same ratio), ${bounded.label}`,
      target: '≤ 1.20',
      value: `${bounded.rssHistoryOn.toFixed(2)} (live after GC ${bounded.liveHistoryOn.toFixed(2)})`,
      met: bounded.rssHistoryOn <= 1.2,
    });
  }
  const state = results['checkerState'] as { bytesPerPair: number; bytesPerEntry: number; points: { pairs: number }[] } | undefined;
  if (state) {
    lines.push(`| checker state per (session, key) pair, SimPy-equivalent | ${fmt(state.bytesPerPair)} | | | bytes (${fmt(state.bytesPerEntry)} per map entry; up to ${fmt(state.points[state.points.length - 1]!.pairs)} pairs) |`);
  }
  const sweep = results['sweep'] as
    | {
        available: boolean;
        note?: string;
        jobs1Seconds?: Spread;
        jobs2Seconds?: Spread;
        speedup?: number;
        simulationJobs1Seconds?: Spread | null;
        simulationJobs2Seconds?: Spread | null;
        simulationSpeedup?: number | null;
        cpuJobs1Seconds?: Spread | null;
        cpuJobs2Seconds?: Spread | null;
        ceiling?: { aloneMs: Spread; pairSpeedup: Spread };
      }
    | undefined;
  if (sweep) {
    if (!sweep.available) {
      lines.push(`| sweep of 16 runs | — | — | — | ${sweep.note} |`);
      targets.push({ name: 'sweep speed-up with 2 jobs ≥ 1.8×', target: '≥ 1.8×', value: 'not measured (no sweep command)', met: null });
    } else {
      lines.push(tableRow(`sweep of 16 runs (${settings.sweepDuration} each), --jobs 1, whole command`, sweep.jobs1Seconds!, 's', 2));
      lines.push(tableRow('sweep of 16 runs, --jobs 2, whole command', sweep.jobs2Seconds!, 's', 2));
      if (sweep.simulationJobs1Seconds && sweep.simulationJobs2Seconds) {
        lines.push(tableRow('  --jobs 1, the simulations (the sweep’s own wall-time line)', sweep.simulationJobs1Seconds, 's', 2));
        lines.push(tableRow('  --jobs 2, the simulations', sweep.simulationJobs2Seconds, 's', 2));
      }
      if (sweep.cpuJobs1Seconds && sweep.cpuJobs2Seconds) {
        lines.push(tableRow('  --jobs 1, CPU time of the command (user + system)', sweep.cpuJobs1Seconds, 'CPU s', 2));
        lines.push(tableRow('  --jobs 2, CPU time of the command', sweep.cpuJobs2Seconds, 'CPU s', 2));
      }
      const inner = sweep.simulationSpeedup ?? null;
      lines.push(`| sweep speed-up, 2 jobs (medians) | ${sweep.speedup!.toFixed(2)}× | | | whole command; simulations alone: ${inner === null ? '—' : `${inner.toFixed(2)}×`} |`);
      const ceiling = sweep.ceiling;
      if (ceiling) {
        const c = ceiling.pairSpeedup;
        lines.push(`| the machine's ceiling: two such simulations at once, 2 × alone ÷ slower of the pair | ${c.median.toFixed(2)}× | ${c.min.toFixed(2)}× | ${c.max.toFixed(2)}× | alone ${fmt(ceiling.aloneMs.median)} ms |`);
      }
      targets.push({
        name: 'sweep speed-up with 2 jobs ≥ 1.8×',
        target: '≥ 1.8×',
        value:
          `${sweep.speedup!.toFixed(2)}× whole command (${inner === null ? '—' : `${inner.toFixed(2)}×`} simulations alone` +
          `${ceiling ? `; two independent simulations at once: ${ceiling.pairSpeedup.median.toFixed(2)}×` : ''})`,
        met: sweep.speedup! >= 1.8,
      });
    }
  }
  const scale = results['scale'] as { rows: ScaleRow[] } | undefined;
  if (scale) {
    for (const row of scale.rows) {
      const label = `scale: ${fmt(row.sessions)} sessions × ${row.replicas} replica${row.replicas > 1 ? 's' : ''}, ${row.seconds} s`;
      lines.push(tableRow(`${label}: whole run`, row.opsPerSecond.wall, `ops/s (peak RSS ${fmt(row.maxRssMb.median)} MB)`));
      lines.push(tableRow(`${label}: after setup (${fmt(row.setupMs.median)} ms)`, row.steadyOpsPerSecond.wall, `ops/s (per CPU s: ${fmt(row.steadyOpsPerSecond.cpu!.median)})`));
      lines.push(tableRow(`${label}: memory per session, built → end of run`, row.bytesPerSessionEnd, `bytes (built: ${fmt(row.bytesPerSessionSetup.median)})`));
    }
  }

  const anomalies = results['anomalies'] as Record<string, RateComparison | unknown> | undefined;
  if (anomalies) {
    lines.push('', '| anomaly rate (SimPy-equivalent) | lagsim pooled [Wilson 95%] | SimPy pooled [Wilson 95%] | lagsim mean over seeds [t 95%] | SimPy mean over seeds [t 95%] | lagsim − SimPy [Welch 95%] | agree |', '|---|---|---|---|---|---|---|');
    const interval = (i: { low: number; high: number } | null | undefined) => (i ? `[${pct(i.low)}, ${pct(i.high)}]` : '');
    for (const [name, label] of [
      ['rywRate', 'ryw, all reads'],
      ['rywRateEligible', 'ryw, eligible'],
      ['mrRate', 'mr, all reads'],
      ['mrRateEligible', 'mr, eligible'],
      ['mrRateEligibleWithoutOwnKeyReads', 'mr, eligible, own-key fallback reads removed'],
    ] as const) {
      const c = anomalies[name] as RateComparison;
      const side = (s: RateComparison['lagsim'] | null) => (s === null ? ['—', '—'] : [`${pct(s.pooled.rate)} ${interval(s.pooled.interval)}`, s.perSeed ? `${pct(s.perSeed.mean)} ${interval(s.perSeed)}` : pct(s.values[0])]);
      const [lp, lm] = side(c.lagsim);
      const [sp, sm] = side(c.simpy);
      const diff = c.difference ? `${pct(c.difference.mean)} ${interval(c.difference)}` : '—';
      const agree = c.agree === null ? '—' : c.agree ? 'yes' : 'no';
      lines.push(`| ${label} | ${lp} | ${sp} | ${lm} | ${sm} | ${diff} | ${agree} (Wilson overlap: ${c.wilsonOverlap === null ? '—' : c.wilsonOverlap ? 'yes' : 'no'}) |`);
    }
  }
  if (targets.length > 0) {
    lines.push('', '| target | wanted | measured | met |', '|---|---|---|---|');
    for (const t of targets) lines.push(`| ${t.name} | ${t.target} | ${t.value} | ${t.met === null ? '—' : t.met ? 'yes' : 'no'} |`);
  }
  return { text: `${lines.join('\n')}\n`, targets };
}

function main(): void {
  const settings = parseSettings(process.argv.slice(2));
  if (!existsSync(CHILD)) usage('dist/bench/child.js is missing: build first (npm run build)');
  const results: Record<string, unknown> = {};
  const loadStart = loadavg();
  const started = process.hrtime.bigint();
  // simpy first: heap uses the queue size lagsim reached.
  if (settings.only.has('simpy')) simpyGroup(settings, results);
  if (settings.only.has('heap')) heapGroup(settings, results);
  if (settings.only.has('history')) historyGroup(settings, results);
  if (settings.only.has('memory')) memoryGroup(settings, results);
  if (settings.only.has('state')) stateGroup(settings, results);
  if (settings.only.has('sweep')) sweepGroup(settings, results);
  if (settings.only.has('scale')) scaleGroup(settings, results);
  progress('');
  const { text, targets } = report(results, settings);
  const meta = {
    lagsim: LAGSIM_VERSION,
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    loadAverageAtStart: loadStart,
    loadAverageAtEnd: loadavg(),
    benchSeconds: Number(process.hrtime.bigint() - started) / 1e9,
    command: `npm run bench --${settings.quick ? ' --quick' : ''} --runs ${settings.runs}${settings.only.size < GROUPS.length ? ` --only ${[...settings.only].join(',')}` : ''}`,
    runs: settings.runs,
    quick: settings.quick,
  };
  writeFileAtomic(settings.out, `${JSON.stringify({ meta, ...results, targets, table: text }, null, 2)}\n`);
  process.stdout.write(text);
  process.stdout.write(`\n${meta.command}: ${meta.benchSeconds.toFixed(0)} s on ${meta.cpus} × ${meta.cpuModel}, load average ${loadStart.map((x) => x.toFixed(2)).join(' ')} → ${meta.loadAverageAtEnd.map((x) => x.toFixed(2)).join(' ')}; results in ${settings.out}\n`);
}

main();
