import { ADMIT, NO_NODE, type ClusterView, type ReadRouting } from '../model/routing.js';
import { PartStatus, type Operation } from '../model/operation.js';

/** What `lagsim strategies` prints about one option. */
export interface OptionHelp {
  name: string;
  help: string;
  default: string;
}

/** A strategy's registry entry (Maelstrom style: name → constructor, with its help). */
export interface StrategyEntry<Options> {
  name: string;
  summary: string;
  guarantee: string;
  cost: string;
  options: OptionHelp[];
  create(options: Options, cluster: ClusterView): ReadRouting;
}

/**
 * Every read goes where the balancer sends it; a rejected attempt goes to the leader. Strategies
 * override only the hooks they change.
 */
export class BalancedRouting implements ReadRouting {
  readonly name: string = 'none';
  readonly needsWriteTokens: boolean = false;
  readonly positionPollUs: number | null = null;

  constructor(protected readonly cluster: ClusterView) {}

  writerToken(_session: number): Float64Array | null {
    return null;
  }

  onSessionStart(_session: number, _sessionId: number): void {}

  onOperationStart(_session: number, _op: Operation): void {}

  route(_session: number, op: Operation, part: number): number {
    return this.cluster.balancerFor().pick(op.partShard(part), 0, null);
  }

  admit(_session: number, _op: Operation, _part: number, _node: number, _nowUs: number): number {
    return ADMIT;
  }

  onReply(_session: number, op: Operation, part: number): number {
    if (op.partStatus(part) === PartStatus.Rejected) return this.cluster.leaderOf(op.partShard(part));
    return NO_NODE;
  }

  onReadComplete(_session: number, _op: Operation): boolean {
    return false;
  }

  onWriteAcked(_session: number, _op: Operation): void {}
}

/** Per-session numbers in a typed array that grows (doubling) as open-loop sessions arrive. */
export class SessionSlots {
  values: Float64Array;

  constructor(
    private readonly width: number,
    sessions: number,
    private readonly initial: number,
  ) {
    this.values = new Float64Array(Math.max(1, sessions) * width).fill(initial);
  }

  /** Makes room for slot `session` and resets it to the initial value. */
  reset(session: number): void {
    const end = (session + 1) * this.width;
    if (end > this.values.length) {
      const next = new Float64Array(Math.max(end, this.values.length * 2)).fill(this.initial);
      next.set(this.values);
      this.values = next;
    }
    this.values.fill(this.initial, session * this.width, end);
  }
}
