import { nextAction } from './actions.js';
import { ArrivalSource } from './arrivals.js';
import { StreamRows, type RandomStreams, type Uniform } from '../engine/random.js';
import { afterCompletionUs, round } from './events.js';
import { fnv1a32 } from './hash.js';
import type { KeyTable } from './keys.js';
import { TARGET_BALANCER, TARGET_STRATEGY } from './operation.js';
import { uniformPicker, zipfPicker, type IndexPicker } from './popularity.js';
import { Session } from './session.js';
import type { ActionSpec, ModelSpec } from './spec.js';

/** Draws per wanted key before distinct popular keys are taken in rank order instead. */
const MAX_KEY_DRAWS = 64;


/**
 * The scenario's users (semantics.md section 2, scenario.md `clients`): sessions, their random
 * streams, what each does next and on which keys, and open-loop arrivals. One implementation for
 * simulated and real runs (src/real/workload.ts maps its key ids to rows), so both draw the same
 * actions, keys and think times on one seed (common random numbers).
 */
export class Workload {
  readonly sessions: Session[] = [];
  /** Key ids chosen for the operation being planned: one scratch array for every session (never shrunk). */
  readonly chosen: number[] = [];
  chosenCount = 0;
  /** The planned operation's hold time (0: none) and read target (Operation.target). */
  plannedHoldUs = 0;
  plannedTarget = TARGET_STRATEGY;
  /** Every session's random stream, row = session index: one 32-byte row per session instead of an alea object graph. */
  private readonly sessionStreams = new StreamRows();
  private readonly pickers: IndexPicker[] = [];
  private readonly topicPickers: IndexPicker[] = [];
  private readonly actionTotals: number[] = [];
  private readonly arrivalSources: (ArrivalSource | null)[] = [];
  /** Per client group with reactions, the stream of its reaction draws (p and delay). */
  readonly reactionStreams: (Uniform | null)[] = [];
  /** Session slots free for open-loop arrivals, reused last-freed first. */
  private readonly freeSlots: number[] = [];
  private lastSessionId = 0;

  constructor(
    private readonly spec: ModelSpec,
    private readonly keys: KeyTable,
    private readonly streams: RandomStreams,
  ) {
    const endUs = spec.warmupUs + spec.durationUs;
    spec.clientGroups.forEach((group, groupIndex) => {
      const keyspace = spec.keyspace.keyspaceCount;
      const topics = keys.topicCount;
      this.pickers.push(group.popularity.kind === 'zipf' ? zipfPicker(keyspace, group.popularity.s) : uniformPicker(keyspace));
      this.topicPickers.push(group.popularity.kind === 'zipf' ? zipfPicker(topics, group.popularity.s) : uniformPicker(topics));
      this.actionTotals.push(group.actions.reduce((sum, action) => sum + action.weight, 0));
      this.reactionStreams.push(group.reactions !== undefined && group.reactions.length > 0 ? streams.stream(`reactions/${group.name}`) : null);
      const maxRate = Math.max(group.rate ?? 0, ...(group.schedule ?? []).map((point) => point.rate));
      this.arrivalSources.push(
        group.rate === null
          ? null
          : new ArrivalSource(
              group.arrivals ?? { process: 'poisson' },
              streams.stream(`arrivals/${group.name}`),
              maxRate,
              (atUs) => this.arrivalRate(groupIndex, atUs),
              (atUs) => group.schedule?.find((point) => point.atUs > atUs)?.atUs ?? Infinity,
              endUs,
              group.arrivals?.process === 'onoff' ? streams.stream(`arrivals/${group.name}/periods`) : null,
            ),
      );
      for (let i = 0; i < group.sessions; i++) this.sessions.push(this.newSession(this.sessions.length, groupIndex));
    });
  }

  /** How many sessions have started so far: the highest session id given. */
  get sessionsStarted(): number {
    return this.lastSessionId;
  }

  /** A session in slot `index`, with a fresh id, stream and own keys. */
  newSession(index: number, groupIndex: number): Session {
    const group = this.spec.clientGroups[groupIndex]!;
    const id = ++this.lastSessionId;
    const session = new Session(index, id, group, groupIndex);
    this.streams.seedRow(this.sessionStreams, index, `session/${id}`);
    session.ownKeys = Array.from({ length: group.ownKeys }, (_, j) => this.keys.namedKey(`own-${group.name}-${id}-${j}`, true));
    return session;
  }

  /** The session's random stream; valid until another session's is taken (see StreamRows.select). */
  stream(session: Session): Uniform {
    return this.sessionStreams.select(session.index);
  }

  /** The think time before the session's next operation: its last action's own, else its group's. */
  thinkUs(session: Session): number {
    return afterCompletionUs((session.thinkAfter ?? session.group.think)(this.stream(session)));
  }

  // ---- Open loop ---------------------------------------------------------------------------------

  /** Whether group `groupIndex` is open loop (sessions arrive at a rate). */
  arrives(groupIndex: number): boolean {
    return this.arrivalSources[groupIndex] !== null;
  }

  /** The group's next arrival after fromUs (Infinity: none before the end). */
  nextArrivalUs(groupIndex: number, fromUs: number): number {
    return this.arrivalSources[groupIndex]!.next(fromUs);
  }

  /** An open-loop group's arrival rate (sessions/s) at atUs: `rate`, then the schedule from its first point. */
  arrivalRate(groupIndex: number, atUs: number): number {
    const group = this.spec.clientGroups[groupIndex]!;
    const points = group.schedule;
    if (points === null || atUs < points[0]!.atUs) return group.rate ?? 0;
    let i = 0;
    while (i + 1 < points.length && points[i + 1]!.atUs <= atUs) i++;
    const point = points[i]!;
    const next = points[i + 1];
    if (next === undefined || group.interpolate === 'step') return point.rate;
    return point.rate + ((next.rate - point.rate) * (atUs - point.atUs)) / (next.atUs - point.atUs);
  }

  /** A new session of an open-loop group arrives, in a freed slot if any. */
  arrive(groupIndex: number): Session {
    const index = this.freeSlots.length > 0 ? this.freeSlots.pop()! : this.sessions.length;
    const session = this.newSession(index, groupIndex);
    this.sessions[index] = session;
    return session;
  }

  /** An open-loop session that ran its steps leaves: its slot and the keys only it could read are freed. */
  leave(session: Session): void {
    for (const key of session.ownKeys) this.keys.release(key);
    if (session.lastWrittenIsNew) this.keys.release(session.lastWritten);
    this.freeSlots.push(session.index);
  }

  // ---- What a session does next ------------------------------------------------------------------

  /**
   * Draws the session's next ordinary operation from its stream, in this order: the action, its keys
   * (into `chosen`), its hold time, whether a read goes untracked. Returns the action.
   */
  plan(session: Session): ActionSpec {
    const u = this.stream(session);
    const action = nextAction(session.group, session.cycle, u, this.actionTotals[session.groupIndex]!);
    if (session.group.order === 'cycle') session.cycle++;
    session.thinkAfter = action.think ?? null;
    session.currentAction = action;
    this.chooseKeys(session, action, u);
    if (session.group.reactions !== undefined) {
      session.actionIndex = session.group.actions.indexOf(action);
      session.reactionsInRow = 0;
      if (action.write) session.lastWriteAction = action;
    }
    this.plannedHoldUs = action.hold !== undefined && action.hold !== null ? Math.max(1, round(action.hold(this.stream(session)))) : 0;
    if (action.target !== undefined) this.plannedTarget = action.target;
    else if (action.untracked !== undefined && !action.write && this.stream(session)() < action.untracked) this.plannedTarget = TARGET_BALANCER;
    else this.plannedTarget = TARGET_STRATEGY;
    return action;
  }

  /** A resubmit (reaction) writes again what the session last wrote: a new key again for a `new` action, else the key it wrote. */
  planResubmit(session: Session): void {
    const action = session.lastWriteAction!;
    this.chosenCount = 0;
    if (action.key.kind === 'new' || session.lastWritten < 0) this.chooseKeys(session, action, this.stream(session));
    else this.choose(session.lastWritten);
  }

  /** A refresh (reaction) re-reads the keys of the read that showed the anomaly. */
  planRefresh(session: Session): void {
    this.chosenCount = 0;
    for (const key of session.refreshKeys) this.choose(key);
  }

  private choose(key: number): void {
    this.chosen[this.chosenCount++] = key;
  }

  /** Fills `chosen` with the action's keys (scenario.md "Key selectors"). */
  private chooseKeys(session: Session, action: ActionSpec, u: Uniform): void {
    this.chosenCount = 0;
    const keys = this.keys;
    const selector = action.key;
    switch (selector.kind) {
      case 'new':
        if (session.newKeyPrefix === '') {
          session.newKeyPrefix = `new-${session.group.name}-${session.id}-`;
          session.newKeyPrefixHash = fnv1a32(session.newKeyPrefix);
        }
        this.choose(keys.newKey(session.newKeyPrefix, session.newKeyPrefixHash, session.inserts++));
        return;
      case 'own':
        this.choose(this.ownKey(session, u));
        return;
      case 'lastWritten':
        this.choose(session.lastWritten >= 0 ? session.lastWritten : this.ownKey(session, u));
        return;
      case 'popular':
        return this.choosePopular(session, action.count, u);
      case 'topic': {
        const [first, end] = keys.topicRange(this.topicPickers[session.groupIndex]!(u));
        for (let i = first; i < end; i++) this.choose(keys.keyspaceKey(i));
        return;
      }
      case 'topicHead':
        this.choose(keys.keyspaceKey(keys.topicRange(this.topicPickers[session.groupIndex]!(u))[0]));
        return;
      case 'reply': {
        if (session.lastReadTopic >= 0) {
          const [first, end] = keys.topicRange(session.lastReadTopic);
          if (end - first > 1) {
            this.choose(keys.keyspaceKey(first + 1 + Math.min(end - first - 2, Math.floor(u() * (end - first - 1)))));
            return;
          }
        }
        return this.choosePopular(session, 1, u);
      }
      case 'shared':
        this.choose(keys.namedKey(selector.name, true));
        return;
    }
  }

  private ownKey(session: Session, u: Uniform): number {
    const own = session.ownKeys;
    return own.length === 1 ? own[0]! : own[Math.min(own.length - 1, Math.floor(u() * own.length))]!;
  }

  private choosePopular(session: Session, count: number, u: Uniform): void {
    const picker = this.pickers[session.groupIndex]!;
    const want = Math.min(count, this.spec.keyspace.keyspaceCount);
    // Distinct keys by rejection, a bounded number of draws: a popularity so skewed that the draws
    // keep finding the same few keys (Zipf 50 over 3 keys) would otherwise never end. Then the most
    // popular keys not chosen yet, in rank order.
    for (let draws = 0; this.chosenCount < want && draws < MAX_KEY_DRAWS * want; draws++) this.chooseDistinct(this.keys.keyspaceKey(picker(u)));
    for (let rank = 0; this.chosenCount < want; rank++) this.chooseDistinct(this.keys.keyspaceKey(rank));
  }

  private chooseDistinct(key: number): void {
    for (let i = 0; i < this.chosenCount; i++) if (this.chosen[i] === key) return;
    this.choose(key);
  }
}
