import { flagNames } from '../checks/anomalies.js';
import { SessionReasons, type Reason } from '../checks/reasons.js';
import { OpKind, type Operation } from '../model/operation.js';
import { REACTION_NAMES } from '../model/reactions.js';
import type { Session } from '../model/session.js';
import type { Simulator } from '../model/simulator.js';
import type { ExplainedOperation } from './explain.js';

/**
 * One session's operations as `explain` tells them, each read with the reasons its flags have;
 * fed every completed operation of a run (SimulateOptions.onOperation). Used by lagsim explain and
 * the playground's timeline.
 */
export class SessionStory {
  groupName = '';
  /** Reads whose reasons disagree with the checker's flags (a bug if ever > 0). */
  disagreements = 0;
  private readonly reasons = new SessionReasons();

  constructor(readonly sessionId: number | null) {}

  /** The operation explained, or null when it is another session's. */
  onOperation(session: Session, op: Operation, flags: number, simulator: Simulator): ExplainedOperation | null {
    if (session.id !== this.sessionId) return null;
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
        // applyNodes/applyUs are reused across the session's writes: only the first applyCount are this one's.
        applies: Array.from({ length: op.applyCount }, (_, i) => ({ node: nodeName(op.applyNodes[i]!), atUs: op.applyUs[i]! })),
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
    return explained;
  }
}

function pairs(flat: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
}
