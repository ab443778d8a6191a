import type { Uniform } from '../engine/random.js';
import { NumberRing } from './ring.js';

export type DrawUs = (u: Uniform) => number;

const round = (x: number): number => Math.floor(x + 0.5);

/**
 * One replica copy's replication state (semantics.md section 1). Entry i of its shard's log, committed
 * at c_i, arrives at r_i = c_i + L_i and is applied at a_i = max(a_{i-1}, r_i) + S_i. Because entries
 * apply strictly in order, the replica's whole state is its applied position: it holds, for every
 * key, the newest version at or below that position. Applies are not events: a_i is known at commit,
 * so the pending entries wait in a FIFO and are applied when someone looks (`advance`), which also
 * gives "applies before reads at one instant" for free (a_i ≤ t means applied at t).
 */
export class ReplicaLog {
  appliedPosition = 0;
  /** Highest position that has arrived (r_i ≤ now); used by failover. */
  private readonly pendingApplyUs = new NumberRing();
  private readonly pendingCommitUs = new NumberRing();
  private readonly pendingArrivalUs = new NumberRing();
  private lastApplyUs = 0;
  private lagLevelUs = 0;
  private nextLevelChangeUs = 0;

  constructor(
    private readonly lag: DrawUs,
    private readonly lagHoldUs: number,
    private readonly apply: DrawUs | null,
    private readonly lagStream: Uniform,
    private readonly applyStream: Uniform,
  ) {}

  /** Schedules the apply of the next log entry committed at `commitUs`; returns its apply time a_i. */
  enqueue(commitUs: number): number {
    const lagUs = this.lagAt(commitUs);
    const arrivalUs = commitUs + lagUs;
    let applyUs = Math.max(this.lastApplyUs, arrivalUs);
    if (this.apply !== null) applyUs += round(this.apply(this.applyStream));
    this.lastApplyUs = applyUs;
    this.pendingApplyUs.push(applyUs);
    this.pendingCommitUs.push(commitUs);
    this.pendingArrivalUs.push(arrivalUs);
    return applyUs;
  }

  /** Applies every pending entry with a_i ≤ nowUs; returns the applied position. */
  advance(nowUs: number): number {
    const pending = this.pendingApplyUs;
    while (pending.length > 0 && pending.at(0) <= nowUs) {
      pending.shift();
      this.pendingCommitUs.shift();
      this.pendingArrivalUs.shift();
      this.appliedPosition++;
    }
    return this.appliedPosition;
  }

  /** Replica lag at nowUs (semantics.md section 1): nowUs − c_j of the oldest unapplied entry, else 0. */
  lagUs(nowUs: number): number {
    this.advance(nowUs);
    return this.pendingCommitUs.length === 0 ? 0 : nowUs - this.pendingCommitUs.at(0);
  }

  /** When `position` is (or was) applied; Infinity if it has not been committed yet. */
  applyTimeUs(position: number, nowUs: number): number {
    if (position <= this.appliedPosition) return nowUs;
    const index = position - this.appliedPosition - 1;
    return index < this.pendingApplyUs.length ? this.pendingApplyUs.at(index) : Infinity;
  }

  /** Highest position received by `nowUs` (r_i ≤ nowUs), for failover (semantics.md section 6). */
  receivedPosition(nowUs: number): number {
    let received = this.advance(nowUs);
    for (let i = 0; i < this.pendingArrivalUs.length; i++) {
      if (this.pendingArrivalUs.at(i) > nowUs) break;
      received++;
    }
    return received;
  }

  /**
   * The lag level at commitUs: a level drawn at time 0 and redrawn after exponential holding times
   * of mean lagHold, independent of writes; with lagHold 0, a fresh draw per entry.
   */
  private lagAt(commitUs: number): number {
    if (this.lagHoldUs === 0) return round(this.lag(this.lagStream));
    while (this.nextLevelChangeUs <= commitUs) {
      this.lagLevelUs = round(this.lag(this.lagStream));
      this.nextLevelChangeUs += Math.max(1, round(-this.lagHoldUs * Math.log(1 - this.lagStream())));
    }
    return this.lagLevelUs;
  }
}
