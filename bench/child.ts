/**
 * One measurement in a fresh process (so that each has its own heap, JIT state and peak RSS), run
 * by bench/run.ts. Prints one JSON line on stdout.
 *
 *   node dist/bench/child.js sim FILE [--set PATH=VALUE]... [--history FILE] [--instrument] [--gc] [--checks-here]
 *   node dist/bench/child.js heap QUEUE_SIZE ITERATIONS
 *   node dist/bench/child.js check HISTORY
 *
 * `sim` times `simulate()` alone (loading and validating the scenario is not part of it, just as
 * the SimPy anchor times `env.run` alone). `--instrument` wraps the operation observer to sample
 * the event-queue size and count the (session, key) pairs the checker holds state for; it costs
 * time, so timed runs never use it. `--gc` (needs node --expose-gc) reports the memory in use after a
 * full collection with the run's result still referenced: the V8 heap and, apart, the ArrayBuffers
 * (typed arrays' elements live outside the heap). `check` times what `lagsim check` does (both
 * passes through the file) and reports the process's peak RSS.
 */
import { simulate, startSimulation, type SimulationResult } from '../src/run/pipeline.js';
import type { Operation } from '../src/model/operation.js';
import type { Session } from '../src/model/session.js';
import { Simulator, type OperationObserver } from '../src/model/simulator.js';
import { loadScenario } from '../src/run/load.js';
import { checkThreadFor } from '../src/run/checkThread.js';
import { checkHistoryFile } from '../src/run/checkHistoryFile.js';
import { measureHeap } from './heap.js';

interface Instrumentation {
  queueSamples: number;
  queueSum: number;
  queueMax: number;
  pairs: number;
  ownKeyReads: number;
  ownKeyReadsRepeated: number;
}

/** One bit per (session, key id): which pairs the checker has state for. */
class PairSet {
  private bits = new Uint8Array(0);
  private width = 1 << 14;
  count = 0;

  add(session: number, key: number): void {
    this.ensure(session, key);
    const bit = session * this.width + key;
    const byte = bit >>> 3;
    const mask = 1 << (bit & 7);
    if ((this.bits[byte]! & mask) === 0) {
      this.bits[byte]! |= mask;
      this.count++;
    }
  }

  has(session: number, key: number): boolean {
    if (key >= this.width) return false;
    const bit = session * this.width + key;
    return (this.bits[bit >>> 3]! & (1 << (bit & 7))) !== 0;
  }

  remove(session: number, key: number): void {
    if (!this.has(session, key)) return;
    const bit = session * this.width + key;
    this.bits[bit >>> 3]! &= ~(1 << (bit & 7));
    this.count--;
  }

  private ensure(session: number, key: number): void {
    let width = this.width;
    while (key >= width) width *= 2;
    const bytes = Math.ceil(((session + 1) * width) / 8);
    if (width === this.width && bytes <= this.bits.length) return;
    const next = new Uint8Array(Math.max(bytes, this.bits.length * 2));
    if (width === this.width) next.set(this.bits);
    else {
      // Re-lay out rows at the new width.
      const rows = Math.floor((this.bits.length * 8) / this.width);
      for (let s = 0; s < rows; s++) {
        for (let k = 0; k < this.width; k++) {
          const old = s * this.width + k;
          if ((this.bits[old >>> 3]! & (1 << (old & 7))) === 0) continue;
          const bit = s * width + k;
          next[bit >>> 3]! |= 1 << (bit & 7);
        }
      }
    }
    this.bits = next;
    this.width = width;
  }
}

/** Wraps Simulator.begin (run's first step) so that the observer it is given also feeds `stats`. */
function instrument(stats: Instrumentation): void {
  const pairs = new PairSet();
  const ownRead = new PairSet();
  const originalBegin = Simulator.prototype.begin;
  Simulator.prototype.begin = function (this: Simulator, routing, observer, hooks) {
    const simulator = this;
    let operations = 0;
    const sample = (): void => {
      if ((++operations & 1023) !== 0) return;
      const size = simulator.sim.queue.size;
      stats.queueSamples++;
      stats.queueSum += size;
      if (size > stats.queueMax) stats.queueMax = size;
    };
    const wrapped = Object.create(observer) as OperationObserver;
    wrapped.onWrite = (session: Session, op: Operation): void => {
      sample();
      if (!op.failed) pairs.add(session.index, op.keyIds[0]!);
      stats.pairs = pairs.count;
      observer.onWrite(session, op);
    };
    wrapped.onRead = (session: Session, op: Operation): void => {
      sample();
      if (!op.failed) {
        for (let i = 0; i < op.keyCount; i++) {
          const key = op.keyIds[i]!;
          pairs.add(session.index, key);
          if (!op.warmup && simulator.keys.get(key).name.startsWith('own-')) {
            stats.ownKeyReads++;
            if (ownRead.has(session.index, key)) stats.ownKeyReadsRepeated++;
            else ownRead.add(session.index, key);
          }
        }
      }
      stats.pairs = pairs.count;
      observer.onRead(session, op);
    };
    wrapped.onKeyForgotten = (session: Session, keyId: number): void => {
      pairs.remove(session.index, keyId);
      ownRead.remove(session.index, keyId);
      stats.pairs = pairs.count;
      observer.onKeyForgotten(session, keyId);
    };
    return originalBegin.call(this, routing, wrapped, hooks);
  };
}

function runSimulation(args: string[]): Record<string, unknown> {
  const file = args[0];
  if (file === undefined) throw new Error('child sim: missing scenario file');
  const overrides: string[] = [];
  let historyPath: string | undefined;
  let stats: Instrumentation | null = null;
  let gc = false;
  let checksHere = false;
  for (let i = 1; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--set') overrides.push(args[++i]!);
    else if (arg === '--history') historyPath = args[++i]!;
    else if (arg === '--instrument') stats = { queueSamples: 0, queueSum: 0, queueMax: 0, pairs: 0, ownKeyReads: 0, ownKeyReadsRepeated: 0 };
    else if (arg === '--gc') gc = true;
    else if (arg === '--checks-here') checksHere = true;
    else throw new Error(`child sim: unknown argument ${arg}`);
  }
  if (stats !== null) instrument(stats);
  const scenario = loadScenario(file, overrides);
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  // As `lagsim run` does: the checks on a second thread when the run is long and a core is free.
  const held = checksHere ? {} : checkThreadFor(scenario);
  let result: SimulationResult;
  let loopMs: number | null = null;
  if (historyPath !== undefined) result = simulate(scenario, { historyPath, ...held });
  else {
    // simulate()'s steps, timed apart: the comparators (SimPy's env.run, the twin's sim.run, the lean
    // floor's loop) time their event loop alone, after their set-up and before their report. The
    // loop's window here ends once every held check is applied (partial() drains them), so the
    // checks on the second thread are inside it.
    const run = startSimulation(scenario, held);
    const loopStarted = process.hrtime.bigint();
    while (run.advance(Infinity));
    run.partial();
    loopMs = Number(process.hrtime.bigint() - loopStarted) / 1e6;
    result = run.result();
  }
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const cpu = process.cpuUsage(cpuBefore);
  const { summary } = result;
  const costs = summary.costs;
  const ops = costs.reads + costs.writes + costs.failedReads + costs.failedWrites;
  let heapUsedAfterGcBytes: number | null = null;
  let arrayBuffersAfterGcBytes: number | null = null;
  const collect = (globalThis as { gc?: () => void }).gc;
  if (gc && collect !== undefined) {
    collect();
    collect();
    const memory = process.memoryUsage();
    heapUsedAfterGcBytes = memory.heapUsed;
    // Typed arrays above 64 bytes keep their elements outside the V8 heap (the checker's tables).
    arrayBuffersAfterGcBytes = memory.arrayBuffers;
  }
  const anomalies: Record<string, { violations: number; keyReads: number; eligible: number }> = {};
  for (const [name, a] of Object.entries(summary.anomalies)) {
    anomalies[name] = { violations: a.violations, keyReads: a.keyReads, eligible: a.eligible };
  }
  return {
    kind: 'sim',
    scenario: summary.scenario,
    seed: summary.seed,
    durationMs: summary.durationMs,
    wallMs,
    loopMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    ops,
    reads: costs.reads,
    writes: costs.writes,
    events: summary.events,
    maxRssKb: process.resourceUsage().maxRSS,
    heapUsedAfterGcBytes,
    arrayBuffersAfterGcBytes,
    // Keep the result referenced until the heap has been measured.
    checkerEntries: result.checker.stateEntries,
    anomalies,
    instrumentation:
      stats === null
        ? null
        : {
            queueMean: stats.queueSamples === 0 ? null : stats.queueSum / stats.queueSamples,
            queueMax: stats.queueMax,
            pairs: stats.pairs,
            ownKeyReads: stats.ownKeyReads,
            ownKeyReadsRepeated: stats.ownKeyReadsRepeated,
          },
  };
}

function runHeap(args: string[]): Record<string, unknown> {
  const queueSize = Number(args[0]);
  const iterations = Number(args[1]);
  if (!(queueSize >= 1 && iterations >= 1)) throw new Error('child heap: QUEUE_SIZE and ITERATIONS must be positive');
  return { kind: 'heap', ...measureHeap(Math.round(queueSize), Math.round(iterations)) };
}

function runCheck(args: string[]): Record<string, unknown> {
  const file = args[0];
  if (file === undefined) throw new Error('child check: missing history file');
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const result = checkHistoryFile(file);
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const cpu = process.cpuUsage(cpuBefore);
  const records = result.reads + result.writes + result.failed;
  return { kind: 'check', records, mismatches: result.mismatches.length, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, maxRssKb: process.resourceUsage().maxRSS };
}

const [mode, ...rest] = process.argv.slice(2);
const output = mode === 'sim' ? runSimulation(rest) : mode === 'heap' ? runHeap(rest) : mode === 'check' ? runCheck(rest) : null;
if (output === null) {
  process.stderr.write('usage: child.js sim FILE [--set PATH=VALUE]... [--history FILE] [--instrument] [--gc] [--checks-here] | child.js heap QUEUE_SIZE ITERATIONS | child.js check HISTORY\n');
  process.exitCode = 2;
} else {
  process.stdout.write(`${JSON.stringify(output)}\n`);
}
