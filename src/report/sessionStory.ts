import { flagNames } from '../checks/anomalies.js';
import { SessionReasons, type Reason } from '../checks/reasons.js';
import { OpKind, type Operation } from '../model/operation.js';
import { REACTION_NAMES } from '../model/reactions.js';
import type { Session } from '../model/session.js';
import type { Simulator } from '../model/simulator.js';
import type { ExplainedOperation } from './explain.js';

type Apply = Extract<ExplainedOperation, { kind: 'write' }>['applies'][number];

/** An explained write's apply on one replica, told when it is applied (or at the end, when it never was). */
interface AwaitedApply {
  node: number;
  apply: Apply;
}

/**
 * One session's operations as `explain` tells them, each read with the reasons its flags have;
 * fed every completed operation of a run (SimulateOptions.onOperation). Used by lagsim explain and
 * the playground's timeline.
 *
 * A write's applies are those scheduled at its commit until the replicas tell (onApplied, fed by
 * SimulateOptions.onApplied) when they actually applied it — a pause, crash or leader crash after
 * the commit moves them — and `finish`, at the end of the run, gives those still pending their
 * current time and marks those dropped in a failover lost. Without onApplied and finish, the
 * applies stay as scheduled at commit.
 */
export class SessionStory {
  groupName = '';
  /** Reads whose reasons disagree with the checker's flags (a bug if ever > 0). */
  disagreements = 0;
  private readonly reasons = new SessionReasons();
  /** The session, once seen (its first completion, or found among the running sessions by onApplied). */
  private session: Session | null = null;
  private sessionSearched = false;
  /** Per shard, by log position: the explained writes' applies not told yet. */
  private readonly awaited: Map<number, AwaitedApply[]>[] = [];
  /** Applies of the session's write in flight, told before its completion: [node, position, applyUs]. */
  private early: number[] = [];

  constructor(readonly sessionId: number | null) {}

  /** A replica applied log entry `position` of its shard at applyUs (SimulateOptions.onApplied). */
  onApplied(node: number, position: number, applyUs: number, simulator: Simulator): void {
    if (this.sessionId === null) return;
    const shard = simulator.cluster.nodeShard[node]!;
    const awaited = this.awaited[shard]?.get(position);
    if (awaited !== undefined) {
      const at = awaited.findIndex((entry) => entry.node === node);
      if (at < 0) return;
      awaited[at]!.apply.atUs = applyUs;
      awaited.splice(at, 1);
      if (awaited.length === 0) this.awaited[shard]!.delete(position);
      return;
    }
    // Applied before its write completed (a replica without lag, a write waiting for its quorum).
    const session = this.runningSession(simulator);
    const op = session?.op;
    if (op !== undefined && op.kind === OpKind.Write && op.applyCount > 0 && op.version === position && op.keyShards[0] === shard) {
      this.early.push(node, position, applyUs);
    }
  }

  /** At the end of the run: the applies not told get their time as it stands, or are lost (dropped in a failover). */
  finish(simulator: Simulator): void {
    const pending = new Map<number, Map<number, number>>();
    const pendingOn = (node: number): Map<number, number> => {
      let entries = pending.get(node);
      if (entries === undefined) {
        entries = new Map((simulator.cluster.nodeReplica[node]?.pendingEntries() ?? []).map(({ position, applyUs }) => [position, applyUs]));
        pending.set(node, entries);
      }
      return entries;
    };
    for (const byPosition of this.awaited) {
      if (byPosition === undefined) continue;
      for (const [position, awaited] of byPosition) {
        for (const { node, apply } of awaited) {
          const applyUs = pendingOn(node).get(position);
          if (applyUs !== undefined) {
            apply.atUs = applyUs;
          } else {
            apply.atUs = Infinity;
            apply.lost = true;
          }
        }
      }
      byPosition.clear();
    }
  }

  /** The session while it runs, found once it has started; null before. */
  private runningSession(simulator: Simulator): Session | null {
    if (this.session !== null || this.sessionSearched || simulator.workload.sessionsStarted < this.sessionId!) return this.session;
    this.sessionSearched = true;
    this.session = simulator.sessions.find((session) => session.id === this.sessionId) ?? null;
    return this.session;
  }

  /**
   * The write's applies as scheduled at commit; a write that did not fail has each awaiting the time
   * its replica tells, or told already (a failed one keeps them as scheduled).
   */
  private appliesOf(op: Operation, nodeName: (node: number) => string): Apply[] {
    const shard = op.keyShards[0]!;
    const position = op.version;
    const applies: Apply[] = [];
    const awaited: AwaitedApply[] = [];
    // applyNodes/applyUs are reused across the session's writes: only the first applyCount are this one's.
    for (let i = 0; i < op.applyCount; i++) {
      const node = op.applyNodes[i]!;
      const apply: Apply = { node: nodeName(node), atUs: op.applyUs[i]! };
      applies.push(apply);
      if (op.failed) continue;
      let told = false;
      for (let e = 0; e < this.early.length; e += 3) {
        if (this.early[e] === node && this.early[e + 1] === position) {
          apply.atUs = this.early[e + 2]!;
          told = true;
        }
      }
      if (!told) awaited.push({ node, apply });
    }
    if (awaited.length > 0) {
      while (this.awaited.length <= shard) this.awaited.push(new Map());
      this.awaited[shard]!.set(position, awaited);
    }
    return applies;
  }

  /** The operation explained, or null when it is another session's. */
  onOperation(session: Session, op: Operation, flags: number, simulator: Simulator): ExplainedOperation | null {
    if (session.id !== this.sessionId) return null;
    this.session = session;
    this.groupName = session.group.name;
    const keyName = (id: number): string => simulator.keys.records[id]?.name ?? `#${id}`;
    const nodeName = (node: number): string => simulator.cluster.nodeNames[node] ?? '?';
    let explained: ExplainedOperation;
    if (op.kind === OpKind.Write) {
      const key = keyName(op.keyIds[0]!);
      if (!op.failed) this.reasons.write(key, op.version, op.endUs, op.writtenPast, keyName);
      explained = {
        kind: 'write',
        startUs: op.startUs,
        endUs: op.endUs,
        warmup: op.warmup,
        failed: op.failed,
        ...(op.reaction === 0 ? {} : { reaction: REACTION_NAMES[op.reaction]! }),
        ...(op.cancelled ? { cancelled: true } : {}),
        key,
        version: op.version,
        commitUs: op.commitUs,
        node: nodeName(op.node),
        deps: pairs(op.deps).map(([k, v]) => [keyName(k), v]),
        applies: this.appliesOf(op, nodeName),
        flags: [],
        reasons: [],
      };
    } else {
      const reads = [];
      for (let i = 0; i < op.keyCount; i++) {
        reads.push({
          key: keyName(op.keyIds[i]!),
          version: op.returned[i]!,
          node: nodeName(op.servedBy[i]!),
          leader: op.leaderVersions[i]!,
          past: op.returnedPasts[i] ?? null,
        });
      }
      let found: { flags: number; reasons: Reason[] } = { flags: 0, reasons: [] };
      if (!op.failed) found = this.reasons.read(op.startUs, reads, keyName);
      if (found.flags !== flags) this.disagreements++;
      explained = {
        kind: 'read',
        startUs: op.startUs,
        endUs: op.endUs,
        warmup: op.warmup,
        failed: op.failed,
        ...(op.reaction === 0 ? {} : { reaction: REACTION_NAMES[op.reaction]! }),
        ...(op.cancelled ? { cancelled: true } : {}),
        reads: reads.map(({ key, version, node, leader }) => ({ key, version, node, leader })),
        attempts: op.attempts,
        redirects: op.redirects,
        retries: op.retries,
        waits: op.waits,
        waitUs: op.waitUs,
        rounds: op.rounds,
        flags: flagNames(flags),
        reasons: found.reasons,
      };
    }
    this.early = [];
    return explained;
  }
}

function pairs(flat: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
}
