/**
 * How fast could lagsim be at most? The SimPy-equivalent model (bench/simpy-equivalent.yaml) written
 * as lean as plain JavaScript allows — the shape of the hand-written Node.js twin that issue 19
 * compares against: session objects, closures on a binary heap of (time, sequence), a per-replica
 * apply FIFO with only its head in the heap, one event per operation — with lagsim's own semantics
 * added one piece at a time (`--with`), using lagsim's own components for them where they exist.
 *
 * It is a measurement, not a model of lagsim: it has none of lagsim's generality (shards, routing
 * strategies, balancers, service times, faults, reactions, the history), so its time is a floor
 * under lagsim's, not a target. docs/performance.md ("Round two, third stop: a floor under lagsim's time") reads it.
 *
 *   node dist/bench/leanBound.js [--duration 30] [--with streams,checks,metrics,boxMuller,hops] [--seed 1]
 *
 * Prints one JSON line: the pieces on, operations, events, simulate wall ms, anomaly counts.
 */
import { parseArgs } from 'node:util';
import seedrandom from 'seedrandom';
import { RandomStreams, StreamRows } from '../src/engine/random.js';
import { ConsistencyChecker } from '../src/checks/consistencyChecker.js';
import { LatencyHistogram } from '../src/metrics/latency.js';
import { SectionedHistogram } from '../src/metrics/sectionedQuantile.js';
import { TVisibility } from '../src/metrics/tVisibility.js';

/** What `--with` can add; each names what lagsim does and the twin does not. */
const PIECES = {
  streams: "each session draws from its own alea row (lagsim's StreamRows: common random numbers), not one shared generator",
  checks: "every key-read checked against all four anomaly definitions by lagsim's ConsistencyChecker (the twin: ryw and mr, two Maps per session)",
  metrics: "read and write latency, apply lag per replica, t-visibility and staleness recorded in lagsim's histograms",
  boxMuller: "each lag draw a fresh Box–Muller pair, the second value discarded (lagsim's draw; the twin keeps the spare)",
  hops: "an operation as lagsim's three events (start, arrival at the node, reply), the zero-latency ones through lagsim's front slot, not one",
} as const;

const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string', default: '30' },
    sessions: { type: 'string', default: '2000' },
    keys: { type: 'string', default: '10000' },
    replicas: { type: 'string', default: '4' },
    seed: { type: 'string', default: '1' },
    with: { type: 'string', default: '' },
  },
});
const pieces = new Set(flags.with!.split(',').filter((name) => name !== ''));
for (const name of pieces) {
  if (!(name in PIECES)) {
    console.error(`--with: unknown piece '${name}'; expected some of ${Object.keys(PIECES).join(', ')}`);
    process.exit(2);
  }
}
// Read once: a Set lookup per use would be a cost the twin does not pay.
const STREAMS = pieces.has('streams');
const CHECKS = pieces.has('checks');
const METRICS = pieces.has('metrics');
const BOX_MULLER = pieces.has('boxMuller');
const HOPS = pieces.has('hops');
const DURATION_S = Number(flags.duration);
const SESSIONS = Number(flags.sessions);
const KEYS = Number(flags.keys);
const REPLICAS = Number(flags.replicas);
const THINK_S = 0.1;
const P_WRITE = 0.2;
const P_OWN = 0.5;
const LAG_MU = Math.log(0.05);
const LAG_SIGMA = 1;
const US = 1e6;

// ---- Events: the twin's heap of {time, seq, fn} ----------------------------------------------------
interface Event {
  time: number;
  seq: number;
  fn: () => void;
}
const heap: Event[] = [];
let now = 0;
let sequence = 0;
let events = 0;
let operations = 0;
const before = (x: Event, y: Event): boolean => x.time < y.time || (x.time === y.time && x.seq < y.seq);
/**
 * lagsim's front slot (src/engine/eventQueue.ts): an event that precedes everything queued — a
 * zero-latency hop — waits outside the heap, so it costs no sift up and no sift down.
 */
let front: Event | null = null;
function schedule(delay: number, fn: () => void): void {
  const event = { time: now + delay, seq: sequence++, fn };
  if (front !== null) {
    if (!before(event, front)) return heapPush(event);
    heapPush(front);
  } else if (heap.length > 0 && !before(event, heap[0]!)) return heapPush(event);
  front = event;
}
function heapPush(event: Event): void {
  let i = heap.length;
  heap.push(event);
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!before(event, heap[parent]!)) break;
    heap[i] = heap[parent]!;
    i = parent;
  }
  heap[i] = event;
}
const nextTime = (): number => (front !== null ? front.time : heap.length > 0 ? heap[0]!.time : Infinity);
function pop(): Event {
  if (front !== null) {
    const next = front;
    front = null;
    return next;
  }
  const top = heap[0]!;
  const last = heap.pop()!;
  if (heap.length > 0) {
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= heap.length) break;
      if (child + 1 < heap.length && before(heap[child + 1]!, heap[child]!)) child++;
      if (!before(heap[child]!, last)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
  }
  return top;
}

// ---- Random draws ------------------------------------------------------------------------------
const shared = seedrandom.alea(`${flags.seed}`);
const rows = new StreamRows(SESSIONS);
const streams = new RandomStreams(Number(flags.seed));
for (let i = 0; i < SESSIONS; i++) streams.seedRow(rows, i, `session/${i + 1}`);
const sessionDraw = (index: number): (() => number) => (STREAMS ? rows.select(index) : shared);
let spare: number | null = null;
function normal(): number {
  if (BOX_MULLER) return Math.sqrt(-2 * Math.log1p(-shared())) * Math.cos(2 * Math.PI * shared());
  if (spare !== null) {
    const z = spare;
    spare = null;
    return z;
  }
  const radius = Math.sqrt(-2 * Math.log1p(-shared()));
  const angle = 2 * Math.PI * shared();
  spare = radius * Math.sin(angle);
  return radius * Math.cos(angle);
}

// ---- The cluster: a leader, replicas with an apply FIFO each --------------------------------------
let position = 0;
const leaderVersion = new Float64Array(KEYS);
const leaderCommitS = new Float64Array(KEYS);
const metrics = {
  readLatency: new SectionedHistogram(0, DURATION_S * US),
  writeLatency: new SectionedHistogram(0, DURATION_S * US),
  applyLag: Array.from({ length: REPLICAS }, () => new SectionedHistogram(0, DURATION_S * US)),
  versionsBehind: new LatencyHistogram(),
  tVisibility: new TVisibility(),
};

class Replica {
  readonly version = new Float64Array(KEYS);
  private lastApplyS = 0;
  /** Pending applies, flat [time, key, position, …] from `head`. */
  private readonly pending: number[] = [];
  private head = 0;

  constructor(private readonly index: number) {}

  enqueue(key: number, at: number): void {
    let applyS = now + Math.exp(LAG_MU + LAG_SIGMA * normal());
    if (applyS < this.lastApplyS) applyS = this.lastApplyS;
    this.lastApplyS = applyS;
    if (METRICS) metrics.applyLag[this.index]!.record(now * US, Math.round((applyS - now) * US));
    this.pending.push(applyS, key, at);
    if (this.pending.length - this.head === 3) schedule(applyS - now, () => this.drain());
  }

  private drain(): void {
    const pending = this.pending;
    while (this.head < pending.length && pending[this.head]! <= now) {
      this.version[pending[this.head + 1]!] = pending[this.head + 2]!;
      this.head += 3;
    }
    if (this.head === pending.length) {
      pending.length = 0;
      this.head = 0;
      return;
    }
    if (this.head >= 3 * 4096 && 2 * this.head >= pending.length) {
      pending.copyWithin(0, this.head);
      pending.length -= this.head;
      this.head = 0;
    }
    schedule(pending[this.head]! - now, () => this.drain());
  }
}
const replicas = Array.from({ length: REPLICAS }, (_, i) => new Replica(i));

// ---- Sessions and the checks -------------------------------------------------------------------
const checker = new ConsistencyChecker();
const readKeys = [0];
const readVersions = [0];
const readPasts = [null];
const readLeaderVersions = [0];
const twinCounts = { ryw: 0, rywEligible: 0, mr: 0, mrEligible: 0 };

class Session {
  private readonly wrote = new Map<number, number>();
  private readonly seen = new Map<number, number>();
  private lastKey = -1;
  private startS = 0;

  constructor(private readonly index: number) {}

  start(): void {
    const u = sessionDraw(this.index);
    schedule(-THINK_S * Math.log(1 - u()), () => this.act());
  }

  private act(): void {
    operations++;
    this.startS = now;
    const u = sessionDraw(this.index);
    if (u() < P_WRITE) {
      const key = Math.floor(u() * KEYS);
      this.lastKey = key;
      return this.hop(() => this.write(key));
    }
    const own = this.lastKey >= 0 && u() < P_OWN;
    const key = own ? this.lastKey : Math.floor(u() * KEYS);
    const replica = replicas[Math.floor(sessionDraw(this.index)() * REPLICAS)]!;
    this.hop(() => this.read(key, replica));
  }

  /** The request's arrival and the reply as events of their own (lagsim's hops), or in place. */
  private hop(serve: () => void): void {
    if (!HOPS) {
      serve();
      return this.start();
    }
    schedule(0, () => {
      serve();
      schedule(0, () => this.start());
    });
  }

  private write(key: number): void {
    const at = ++position;
    leaderVersion[key] = at;
    leaderCommitS[key] = now;
    for (const replica of replicas) replica.enqueue(key, at);
    if (CHECKS) checker.recordWrite(this.index, key, at, null);
    else this.wrote.set(key, at);
    if (METRICS) metrics.writeLatency.record(now * US, Math.round((now - this.startS) * US));
  }

  private read(key: number, replica: Replica): void {
    const returned = replica.version[key]!;
    if (CHECKS) {
      readKeys[0] = key;
      readVersions[0] = returned;
      readLeaderVersions[0] = leaderVersion[key]!;
      checker.checkRead(this.index, 1, readKeys, readVersions, readPasts, readLeaderVersions, true);
    } else this.twinChecks(key, returned);
    if (METRICS) {
      metrics.readLatency.record(now * US, Math.round((now - this.startS) * US));
      const leader = leaderVersion[key]!;
      if (leader > 0) metrics.tVisibility.record(Math.round((this.startS - leaderCommitS[key]!) * US), returned >= leader);
      if (returned < leader) metrics.versionsBehind.record(leader - returned);
    }
  }

  /** The twin's own checks: read-your-writes and monotonic reads, a Map each. */
  private twinChecks(key: number, returned: number): void {
    const written = this.wrote.get(key);
    if (written !== undefined) {
      twinCounts.rywEligible++;
      if (returned < written) twinCounts.ryw++;
    }
    const seen = this.seen.get(key);
    if (seen === undefined) this.seen.set(key, returned);
    else {
      twinCounts.mrEligible++;
      if (returned < seen) twinCounts.mr++;
      else if (returned > seen) this.seen.set(key, returned);
    }
  }
}

const sessions = Array.from({ length: SESSIONS }, (_, i) => new Session(i));
const started = process.hrtime.bigint();
for (const session of sessions) session.start();
while (nextTime() <= DURATION_S) {
  const event = pop();
  now = event.time;
  events++;
  event.fn();
}
const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
console.log(
  JSON.stringify({
    with: [...pieces],
    ops: operations,
    writes: position,
    events,
    wallMs: Math.round(wallMs),
    anomalies: CHECKS ? Object.fromEntries(Object.entries(checker.counts).map(([name, count]) => [name, count.violations])) : twinCounts,
  }),
);
