import type { Uniform } from '../engine/random.js';
import { NumberRing } from './ring.js';

export type DrawUs = (u: Uniform) => number;

const round = (x: number): number => Math.floor(x + 0.5);

/** Replication stalls (vacuum, long transactions): applying pauses for `for` every `every`. */
export interface StallSpec {
  every: DrawUs;
  for: DrawUs;
}

/** A pending entry's fields: its row of ReplicaLog.pending. */
const POSITION = 0;
const COMMIT_US = 1;
const ARRIVAL_US = 2;
const WORK_US = 3;
const APPLY_US = 4;
/** r_i as drawn at commit: ARRIVAL_US differs from it only while the entry is held or after it was resent. */
const SENT_ARRIVAL_US = 5;
const ENTRY_FIELDS = 6;

/** Holding times ahead beyond which the lag level is drawn afresh rather than stepped to (lagAt). */
export const FAR_AHEAD_HOLDS = 10_000;
/** Stalls stepped past for one apply before the stall clock restarts at its start (startAfterStalls). */
export const FAR_AHEAD_STALLS = 10_000;

/**
 * One replica copy's replication state (semantics.md section 1). Entry i of its shard's log, committed
 * at c_i, arrives at r_i = c_i + L_i and is applied at a_i = max(a_{i-1}, r_i) + S_i. Because entries
 * apply strictly in order, the replica's whole state is its applied position: it holds, for every
 * key, the newest version at or below that position. Applies are not events: a_i is known at commit,
 * so the pending entries wait in a FIFO and are applied when someone looks (`advance`), which also
 * gives "applies before reads at one instant" for free (a_i ≤ t means applied at t).
 *
 * Faults only delay applies (section 1): a pause or crash until E moves every pending apply to at
 * least E, keeping the order — the caller `advance`s to the fault's start first, so that what was due
 * by then is not moved; stalls do the same on their own schedule.
 */
export class ReplicaLog {
  appliedPosition = 0;
  /** The entries not applied yet, oldest first: a row (position, c_i, r_i, S_i, a_i, r_i as first drawn) each. */
  private readonly pending = new NumberRing(16, ENTRY_FIELDS);
  private lastApplyUs = 0;
  /** Applies wait until at least this time (the end of the latest pause). */
  private applyFloorUs = 0;
  private lagLevelUs = 0;
  private nextLevelChangeUs = 0;
  private stallStartUs = Infinity;
  private stallEndUs = Infinity;
  /** With parallel apply: when each worker is free; null with one worker (a_i then chains on a_{i-1}). */
  private readonly workerFreeUs: Float64Array | null;
  /** With parallel apply: the latest arrival so far (the log arrives in order: entry i is received at max r_j, j ≤ i). */
  private receivedUs = 0;
  /**
   * Told of each entry as it is applied, with the time it was applied: its a_i when `advance` takes
   * it (moved by the faults since its commit), or the promotion for what a promoted replica applies
   * at once. Entries dropped in a failover are never told. Null (the default) costs one check per entry.
   */
  onApplied: ((position: number, applyUs: number) => void) | null = null;

  constructor(
    private readonly lag: DrawUs,
    private readonly lagHoldUs: number,
    private readonly apply: DrawUs | null,
    private readonly lagStream: Uniform,
    private readonly applyStream: Uniform,
    private readonly stalls: StallSpec | null = null,
    private readonly stallStream: Uniform | null = null,
    applyWorkers = 1,
  ) {
    this.workerFreeUs = applyWorkers > 1 ? new Float64Array(applyWorkers) : null;
    if (stalls !== null && stallStream !== null) {
      this.stallStartUs = round(stalls.every(stallStream));
      this.stallEndUs = this.stallStartUs + round(stalls.for(stallStream));
    }
  }

  /**
   * Schedules the apply of log entry `position` committed at `commitUs`; it cannot arrive before
   * `arrivalFloorUs` (a partition between the leader and this replica). Returns its apply time a_i.
   */
  enqueue(position: number, commitUs: number, arrivalFloorUs = 0, applyWorkUs: number | null = null): number {
    const arrivalUs = Math.max(commitUs + this.lagAt(commitUs), arrivalFloorUs);
    // A migration brings its own apply time; other entries draw the group's.
    const workUs = applyWorkUs !== null ? applyWorkUs : this.apply === null ? 0 : round(this.apply(this.applyStream));
    const applyUs = this.applyTime(this.lastApplyUs, arrivalUs, workUs);
    this.lastApplyUs = applyUs;
    const pending = this.pending;
    const i = pending.length;
    pending.append();
    pending.set(i, POSITION, position);
    pending.set(i, COMMIT_US, commitUs);
    pending.set(i, ARRIVAL_US, arrivalUs);
    pending.set(i, WORK_US, workUs);
    pending.set(i, APPLY_US, applyUs);
    pending.set(i, SENT_ARRIVAL_US, arrivalUs);
    return applyUs;
  }

  /** Applies every pending entry with a_i ≤ nowUs; returns the applied position. */
  advance(nowUs: number): number {
    const pending = this.pending;
    const onApplied = this.onApplied;
    while (pending.length > 0 && pending.get(0, APPLY_US) <= nowUs) {
      this.appliedPosition = pending.get(0, POSITION);
      if (onApplied !== null) onApplied(this.appliedPosition, pending.get(0, APPLY_US));
      pending.shift();
    }
    return this.appliedPosition;
  }

  /** The entries not applied yet, oldest first, with their apply times as they stand (Infinity: held or cut off); nothing is applied. */
  pendingEntries(): { position: number; applyUs: number }[] {
    const out: { position: number; applyUs: number }[] = [];
    for (let i = 0; i < this.pending.length; i++) out.push({ position: this.pending.get(i, POSITION), applyUs: this.pending.get(i, APPLY_US) });
    return out;
  }

  /** Replica lag at nowUs (semantics.md section 1): nowUs − c_j of the oldest unapplied entry, else 0. */
  lagUs(nowUs: number): number {
    this.advance(nowUs);
    return this.pending.length === 0 ? 0 : nowUs - this.pending.get(0, COMMIT_US);
  }

  /** When the oldest entry received but not applied yet arrived; nowUs when none waits. */
  oldestWaitingArrivalUs(nowUs: number): number {
    this.advance(nowUs);
    if (this.pending.length === 0 || this.pending.get(0, ARRIVAL_US) > nowUs) return nowUs;
    return this.pending.get(0, ARRIVAL_US);
  }

  /** Entries committed but not applied yet. */
  get backlog(): number {
    return this.pending.length;
  }

  /** When `position` is (or was) applied; Infinity if it has not been committed yet. */
  applyTimeUs(position: number, nowUs: number): number {
    if (position <= this.appliedPosition) return nowUs;
    for (let i = 0; i < this.pending.length; i++) {
      if (this.pending.get(i, POSITION) >= position) return this.pending.get(i, APPLY_US);
    }
    return Infinity;
  }

  /**
   * When `position` is (or was) received: the log arrives in order, so when it and every earlier
   * pending entry have arrived; nowUs when already applied, Infinity when not committed yet.
   */
  receiveTimeUs(position: number, nowUs: number): number {
    if (position <= this.advance(nowUs)) return nowUs;
    let receivedUs = 0;
    for (let i = 0; i < this.pending.length; i++) {
      receivedUs = Math.max(receivedUs, this.pending.get(i, ARRIVAL_US));
      if (this.pending.get(i, POSITION) >= position) return receivedUs;
    }
    return Infinity;
  }

  /** Highest position received by nowUs: the log arrives in order, so the contiguous prefix with r_i ≤ nowUs. */
  receivedPosition(nowUs: number): number {
    let received = this.advance(nowUs);
    for (let i = 0; i < this.pending.length; i++) {
      if (this.pending.get(i, ARRIVAL_US) > nowUs) break;
      received = this.pending.get(i, POSITION);
    }
    return received;
  }

  /**
   * The replica is down until `untilUs` (a crash; Infinity: for good): what was on its way and had
   * not arrived by `nowUs` arrives when it is back, as a primary streams again from where a replica
   * stopped, so that nothing counts as received (or confirms a remote_write) while it is down. What
   * waits for a leader's resend keeps waiting (its arrival stays unknown).
   */
  delayArrivals(nowUs: number, untilUs: number): void {
    const pending = this.pending;
    let first = -1;
    for (let i = 0; i < pending.length; i++) {
      const arrivalUs = pending.get(i, ARRIVAL_US);
      if (arrivalUs <= nowUs || arrivalUs >= untilUs) continue;
      pending.set(i, ARRIVAL_US, untilUs);
      if (first < 0) first = i;
    }
    if (first >= 0) this.reschedule(first);
  }

  /** Applying stops until `untilUs` (a pause, or a crash and its recovery): pending applies move past it. */
  pauseUntil(untilUs: number): void {
    if (untilUs <= this.applyFloorUs) return;
    this.applyFloorUs = untilUs;
    this.reschedule(0);
  }

  /**
   * The shard's leader crashed at nowUs: the entries this replica had not received by then (the log
   * arrives in order: every entry after the received prefix) never arrive from it. They wait, not
   * applied, until a leader sends them again (`resend`) — the same leader back from its crash, or
   * the replica promoted in its place — or are dropped (`truncateAfter`, what the new leader never had).
   */
  holdUnreceived(nowUs: number): void {
    const pending = this.pending;
    let first = 0;
    while (first < pending.length && pending.get(first, ARRIVAL_US) <= nowUs) first++;
    for (let i = first; i < pending.length; i++) {
      pending.set(i, ARRIVAL_US, Infinity);
      pending.set(i, APPLY_US, Infinity);
    }
  }

  /**
   * A leader sends the held entries again from fromUs (it came back, or was promoted): each arrives
   * at max(r_i, fromUs) — no earlier than it was first due, nor than the new sending — and they
   * apply in order after what the replica has.
   */
  resend(fromUs: number): void {
    const pending = this.pending;
    let first = 0;
    let receivedUs = 0;
    for (; first < pending.length && pending.get(first, ARRIVAL_US) !== Infinity; first++) receivedUs = Math.max(receivedUs, pending.get(first, ARRIVAL_US));
    if (first === pending.length) return;
    for (let i = first; i < pending.length; i++) pending.set(i, ARRIVAL_US, Math.max(pending.get(i, SENT_ARRIVAL_US), fromUs));
    if (this.workerFreeUs !== null && first > 0) {
      // Parallel apply: the held entries' first dealing is void. As after a truncation, the entries
      // before them take their workers until the last of them is visible, and the log is received
      // up to them; with none before them (first 0), reschedule starts the workers afresh.
      this.workerFreeUs.fill(pending.get(first - 1, APPLY_US));
      this.receivedUs = receivedUs;
    }
    this.reschedule(first);
  }

  /** Forgets entries after `position` (never received before a failover) and applies what was received. */
  truncateAfter(position: number): void {
    let keep = 0;
    while (keep < this.pending.length && this.pending.get(keep, POSITION) <= position) keep++;
    this.pending.truncate(keep);
    // The last kept entry with an apply time (held ones, waiting for a resend, have none).
    let last = keep - 1;
    while (last >= 0 && this.pending.get(last, APPLY_US) === Infinity) last--;
    if (last >= 0) this.lastApplyUs = this.pending.get(last, APPLY_US);
    // Parallel apply: the kept entries' workers are taken as busy until the last of them is visible.
    this.workerFreeUs?.fill(this.lastApplyUs);
  }

  /**
   * The promoted replica applies everything it received by `crashUs` (the leader's crash) at once,
   * at its promotion `promotedUs` (semantics.md section 6): onApplied hears of each entry at its own
   * apply time if that came first, else at the promotion.
   */
  applyReceived(crashUs: number, promotedUs = crashUs): number {
    const received = this.receivedPosition(crashUs);
    this.truncateAfter(received);
    const onApplied = this.onApplied;
    if (onApplied !== null) {
      for (let i = 0; i < this.pending.length; i++) onApplied(this.pending.get(i, POSITION), Math.min(this.pending.get(i, APPLY_US), promotedUs));
    }
    this.appliedPosition = received;
    this.pending.truncate(0);
    return received;
  }

  /** Recomputes pending apply times from entry `from` on, after a new floor. */
  private reschedule(from: number): void {
    const pending = this.pending;
    let previousUs = from === 0 ? 0 : pending.get(from - 1, APPLY_US);
    // Parallel apply: the entries applied already finished by now, before the new floor; the pending
    // ones are dealt to the workers again in order.
    if (this.workerFreeUs !== null && from === 0) {
      this.workerFreeUs.fill(0);
      this.receivedUs = 0;
    }
    if (from >= pending.length) return;
    for (let i = from; i < pending.length; i++) {
      const arrivalUs = pending.get(i, ARRIVAL_US);
      // Held entries (and every later one) wait for a resend: no apply time yet.
      if (arrivalUs === Infinity) {
        for (let j = i; j < pending.length; j++) pending.set(j, APPLY_US, Infinity);
        break;
      }
      previousUs = this.applyTime(previousUs, arrivalUs, pending.get(i, WORK_US));
      pending.set(i, APPLY_US, previousUs);
    }
    this.lastApplyUs = previousUs;
  }

  /**
   * a_i = max(a_{i-1}, r_i, pause floor), moved past stalls, + S_i. With n apply workers (MySQL's
   * parallel apply with commit order preserved): entry i starts when it has been received, the
   * floor allows and a worker is free, finishes S_i later, and is visible at max(a_{i-1}, finish):
   * the replica stays a prefix of the log, so its whole state is still one applied position.
   */
  private applyTime(previousUs: number, arrivalUs: number, workUs: number): number {
    // An entry that never arrives (cut off for good) is never applied; stalls are not stepped to infinity.
    if (arrivalUs === Infinity || previousUs === Infinity) return Infinity;
    const workers = this.workerFreeUs;
    if (workers === null) return this.startAfterStalls(Math.max(previousUs, arrivalUs, this.applyFloorUs)) + workUs;
    let worker = 0;
    for (let w = 1; w < workers.length; w++) if (workers[w]! < workers[worker]!) worker = w;
    this.receivedUs = Math.max(this.receivedUs, arrivalUs);
    const finishUs = this.startAfterStalls(Math.max(this.receivedUs, this.applyFloorUs, workers[worker]!)) + workUs;
    workers[worker] = finishUs;
    return Math.max(previousUs, finishUs);
  }

  /**
   * A start moved past the stall it falls in. A start more than FAR_AHEAD_STALLS stalls ahead of the
   * stall clock (an entry held back by a partition of months, stalls every millisecond) restarts the
   * clock there instead — a fresh gap from the start — as lagAt does for levels: stepping there
   * stall by stall took minutes, and ten thousand cycles on, where the stalls stand has long forgotten
   * where they started.
   */
  private startAfterStalls(startUs: number): number {
    if (this.stalls === null) return startUs;
    for (let stepped = 0; this.stallEndUs <= startUs; stepped++) {
      if (stepped === FAR_AHEAD_STALLS) {
        this.stallStartUs = startUs + Math.max(1, round(this.stalls.every(this.stallStream!)));
        this.stallEndUs = this.stallStartUs + round(this.stalls.for(this.stallStream!));
        return startUs;
      }
      this.nextStall();
    }
    return startUs >= this.stallStartUs ? this.stallEndUs : startUs;
  }

  private nextStall(): void {
    const stalls = this.stalls!;
    const stream = this.stallStream!;
    this.stallStartUs = this.stallEndUs + Math.max(1, round(stalls.every(stream)));
    this.stallEndUs = this.stallStartUs + round(stalls.for(stream));
  }

  /**
   * The lag level at commitUs: a level drawn at time 0 and redrawn after exponential holding times
   * of mean lagHold, independent of writes; with lagHold 0, a fresh draw per entry.
   */
  private lagAt(commitUs: number): number {
    if (this.lagHoldUs === 0) return round(this.lag(this.lagStream));
    // A commit many holding times ahead (a service time of months): stepping there hold by hold
    // would take hours. Level changes are a Poisson process and levels independent draws, so the
    // level at commitUs is a fresh draw (no change in 10^4 mean holds has probability e^-10^4), and
    // the next change one exponential holding time after it.
    if (commitUs - this.nextLevelChangeUs > FAR_AHEAD_HOLDS * this.lagHoldUs) {
      this.lagLevelUs = round(this.lag(this.lagStream));
      this.nextLevelChangeUs = commitUs + Math.max(1, round(-this.lagHoldUs * Math.log(1 - this.lagStream())));
      return this.lagLevelUs;
    }
    while (this.nextLevelChangeUs <= commitUs) {
      this.lagLevelUs = round(this.lag(this.lagStream));
      this.nextLevelChangeUs += Math.max(1, round(-this.lagHoldUs * Math.log(1 - this.lagStream())));
    }
    return this.lagLevelUs;
  }
}
