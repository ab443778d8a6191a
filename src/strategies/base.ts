import type { z } from 'zod';
import type { RealClock, RealNodesView, RealRouting } from './real.js';
import { ADMIT, NO_NODE, type ClusterView, type ReadRouting } from '../model/routing.js';
import { PartStatus, type Operation } from '../model/operation.js';

/**
 * A strategy's one definition (Maelstrom style: name → constructor): its help, its options as a zod
 * object (help, default and validation of each: the scenario schema, `lagsim schema` and
 * `lagsim strategies` all take them from here), and how it routes. `src/strategies/index.ts` lists them.
 */
export interface StrategyEntry<Name extends string = string, Options extends z.ZodObject = z.ZodObject> {
  name: Name;
  /** What it does, in one line (the schema's description of it too). */
  summary: string;
  guarantee: string;
  cost: string;
  options: Options;
  create(options: z.output<Options>, cluster: ClusterView): ReadRouting;
  /** The same decisions taken with real queries against PostgreSQL (`lagsim real`). */
  createReal(options: z.output<Options>, nodes: RealNodesView, clock: RealClock): RealRouting;
}

/** What `lagsim strategies` prints about one option: its help and default, read off its schema. */
export interface OptionHelp {
  name: string;
  help: string;
  default: string;
}

/** Each option's help and default, from its description ("… (default 2s)"). */
export function optionHelp(entry: StrategyEntry): OptionHelp[] {
  return Object.entries(entry.options.shape).map(([name, schema]) => {
    const description = (schema as z.ZodType).description ?? '';
    const match = /^(.*?)\s*\(default:? ([^()]*)\)$/.exec(description);
    if (match) return { name, help: match[1]!, default: match[2]! };
    // No default in the words (an enum's): the schema's own, as parsed from nothing.
    const parsed = (schema as z.ZodType).safeParse(undefined);
    return { name, help: description, default: parsed.success ? String(parsed.data) : 'required' };
  });
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
