/**
 * The simulator's event kinds, phases and packed arguments: what every part of the model schedules
 * on the engine's queue (src/engine: a heap of (time, phase, sequence)).
 *
 * What happens at one instant happens in this order (semantics.md section 1, "Ties"): commits, then
 * applies (implicit: a replica serving at t has applied every entry with a_i ≤ t), then position and
 * lag polls, then reads; everything else after. Other ties break by insertion sequence.
 */
export const PHASE_COMMIT = 0;
/** Batch boundaries run with the commits of their instant (insertion order among them). */
export const PHASE_BOUNDARY = PHASE_COMMIT;
/**
 * Operations start before the instant's polls and reads, so that a write started at t with no
 * network delay commits at t before anything reads at t ("commits, then … reads").
 */
export const PHASE_START = 1;
export const PHASE_POLL = 2;
export const PHASE_READ = 3;
export const PHASE_OTHER = 4;
/**
 * Last at an instant: a read that started at this instant completes once everything else of it has
 * happened, so that its `leader` versions count every commit at its t0 (semantics.md section 3),
 * also one handled after the read's reply. Nothing in this phase schedules anything at the instant.
 */
export const PHASE_LATE = 5;

/** Event kinds: first a session's (`a`: the session's index), then the run's (from PollLag on). */
export const enum Ev {
  Start = 1,
  /** b: the reaction's code (REACTION_CODES). */
  ReactionStart,
  WriteArrive,
  WriteBegin,
  WriteCommit,
  WriteReply,
  WriteSyncCheck,
  /** b: a part handle (partHandle). */
  ReadArrive,
  /** b: a part number. */
  ReadBegin,
  /** b: a part number, + CANCELLED when replay cancelled the query. */
  ReadDone,
  /** b: a part handle. */
  ReadReply,
  /** b: a part handle. */
  WaitRecheck,
  /** A read that started at this instant completes (PHASE_LATE). */
  ReadComplete,
  PollLag,
  PollPositions,
  /** a: a client group. */
  Arrival,
  /** a: a fault's index. */
  FaultStart,
  FaultEnd,
  /** a: a shard; b: the count of its leader crashes at the one this failover is for. */
  Failover,
  Sample,
  /** a: the boundary's index. */
  Boundary,
  /** a: the migration's index. */
  Migration,
  MonitorSample,
}

/** The low byte of a read event's `b`: the part; a part number is below 255. */
const PART_MASK = 0xff;
/** An attempt's generation wraps in 22 bits (b stays a small integer). */
export const GENERATION_MASK = 0x3fffff;
/** ReadDone's flag: replay cancelled the query (a hot-standby conflict). */
export const CANCELLED = 0x100;

/** A read attempt's event argument: its part and generation (stale events of older attempts are dropped). */
export const partHandle = (part: number, generation: number): number => part | (generation << 8);
export const partOf = (b: number): number => b & PART_MASK;
export const generationOf = (b: number): number => b >>> 8;

/** A request waiting in a node's queue: its session and its part, or WRITE_PART for the session's write. */
export const WRITE_PART = 255;
const QUEUED_PARTS = 256;
export const queueHandle = (sessionIndex: number, part: number): number => sessionIndex * QUEUED_PARTS + part;
export const queuedSession = (handle: number): number => Math.floor(handle / QUEUED_PARTS);
export const queuedPart = (handle: number): number => handle - queuedSession(handle) * QUEUED_PARTS;

/** Draws are rounded half-up to whole µs. */
export const round = (x: number): number => Math.floor(x + 0.5);

/**
 * A delay from an operation's completion to the session's next start (a think time, a reaction's
 * `after`): rounded, and at least 1 µs. A session's operations never share a microsecond, so an
 * operation was acknowledged strictly before the next one started (semantics.md section 2), and a
 * read's t0 is never the commit time of a later write of its own session.
 */
export const afterCompletionUs = (x: number): number => Math.max(1, round(x));
