/**
 * The work a scenario asks for, estimated before it runs (issue: hostile input — a warm-up of
 * 11 days or a rate of 10^9 per second is a run of hours, not a mistake the simulator should spend
 * them on). The estimate is an upper bound on operations started — closed-loop sessions start at
 * most one operation per think time (response times only lower it), open-loop groups at most their
 * peak rate times their steps — plus the work that comes with simulated time rather than with
 * operations: recurring faults, lag polls and scrapes, position polls, on/off periods, lag level
 * changes and stalls stepped through (a fault every microsecond for an hour is 7·10^9 events).
 */
import { distMean, distQuantile } from '../model/distributions/index.js';
import { FAR_AHEAD_HOLDS, FAR_AHEAD_STALLS } from '../model/replica.js';
import { InputError } from '../text/errors.js';
import { messages } from '../text/messages.js';
import type { ClientGroup, Dist, Scenario } from './schema.js';

/** Operations one run may start unless the user raises it (--max-operations): minutes of work. */
export const DEFAULT_MAX_OPERATIONS = 100_000_000;

/** A think time's typical length (µs): its mean, or its median where the mean is infinite. */
function typicalUs(d: Dist): number {
  const mean = distMean(d);
  return Number.isFinite(mean) ? mean : distQuantile(d, 0.5);
}

/** Upper bound on the operations one client group starts in `seconds` of simulated time. */
export function groupOperations(group: ClientGroup, seconds: number): number {
  if (group.rate !== undefined) {
    const peak = Math.max(group.rate, ...(group.schedule ?? []).map((point) => point.rate));
    return peak * seconds * (group.steps ?? 1);
  }
  const thinks = [group.think, ...group.actions.flatMap((a) => (a.think === undefined ? [] : [a.think]))];
  const shortestUs = Math.max(1, Math.min(...thinks.map(typicalUs)));
  return ((group.sessions ?? 0) * seconds * 1e6) / shortestUs;
}


/** Work that comes with simulated time: `steps` events or loop steps, from the field at `path`. */
export interface PeriodicWork {
  path: (string | number)[];
  steps: number;
  /** How the steps were counted, for the refusal. */
  formula: string;
}

/** Every source of periodic work in the scenario (`operations`: its operations estimate, for the per-write bounds). */
export function periodicWork(s: Scenario, operations: number): PeriodicWork[] {
  const runUs = s.warmup + s.duration;
  const per = (periodUs: number): number => runUs / Math.max(1, periodUs);
  const items: PeriodicWork[] = [];
  const nodes = s.cluster.shards * (1 + s.cluster.replicas.reduce((sum, group) => sum + group.count, 0));
  s.faults.events.forEach((fault, i) => {
    if (fault.every === null) return;
    const cycleUs = typicalUs(fault.every) + (fault.for === null ? 0 : typicalUs(fault.for));
    items.push({ path: ['faults', 'events', i, 'every'], steps: 2 * per(cycleUs), formula: '2 × (warm-up + duration) / (every + for)' });
  });
  if (s.balancer.maxLag !== undefined) {
    items.push({ path: ['balancer', 'poll'], steps: nodes * per(s.balancer.poll), formula: 'nodes × (warm-up + duration) / poll' });
  }
  if (s.monitor !== undefined) {
    items.push({ path: ['monitor', 'every'], steps: nodes * per(s.monitor.every), formula: 'nodes × (warm-up + duration) / every' });
  }
  // Position polls: of the scenario's strategy, or of any in strategyOptions (compare and sweep run
  // those): one run uses one strategy, so the most frequent poll is the bound.
  const polls: [(string | number)[], unknown][] = [
    [['strategy', 'poll'], (s.strategy as { poll?: unknown }).poll],
    ...Object.entries(s.strategyOptions).map(([name, options]): [(string | number)[], unknown] => [['strategyOptions', name, 'poll'], (options as { poll?: unknown } | undefined)?.poll]),
  ];
  let fastestPoll: PeriodicWork | null = null;
  for (const [path, poll] of polls) {
    if (typeof poll !== 'number' || !(poll > 0)) continue;
    const steps = nodes * per(poll);
    if (fastestPoll === null || steps > fastestPoll.steps) fastestPoll = { path, steps, formula: 'nodes × (warm-up + duration) / poll' };
  }
  if (fastestPoll !== null) items.push(fastestPoll);
  s.cluster.replicas.forEach((group, g) => {
    const copies = s.cluster.shards * group.count;
    // Lag levels and stalls are walked through one period at a time, but at most FAR_AHEAD_* a
    // write (src/model/replica.ts), after which the walk restarts ahead.
    const walked = (periodUs: number, farAhead: number): number => copies * Math.min(per(periodUs), operations * farAhead);
    if (group.lagHold > 0) {
      items.push({ path: ['cluster', 'replicas', g, 'lagHold'], steps: walked(group.lagHold, FAR_AHEAD_HOLDS), formula: 'copies × (warm-up + duration) / lagHold' });
    }
    if (group.stalls !== undefined) {
      const cycleUs = typicalUs(group.stalls.every) + typicalUs(group.stalls.for);
      items.push({ path: ['cluster', 'replicas', g, 'stalls', 'every'], steps: walked(cycleUs, FAR_AHEAD_STALLS), formula: 'copies × (warm-up + duration) / (every + for)' });
    }
  });
  s.clients.forEach((group, g) => {
    const arrivals = group.arrivals;
    if (arrivals === undefined || arrivals.process !== 'onoff' || arrivals.on === undefined || arrivals.off === undefined) return;
    const cycleUs = typicalUs(arrivals.on) + typicalUs(arrivals.off);
    items.push({ path: ['clients', g, 'arrivals', 'on'], steps: per(cycleUs), formula: '(warm-up + duration) / (on + off)' });
  });
  return items;
}

export interface WorkEstimate {
  operations: number;
  /** The client group that starts the most. */
  largestGroup: number;
  /** Operations and periodic steps together: what the budget bounds. */
  total: number;
  /** The periodic work that is the largest part of `total`, when it is larger than the busiest group's operations. */
  largestPeriodic: PeriodicWork | null;
}

export function estimateWork(s: Scenario): WorkEstimate {
  const seconds = (s.warmup + s.duration) / 1e6;
  let operations = 0;
  let largestGroup = 0;
  let largest = -1;
  s.clients.forEach((group, i) => {
    const n = groupOperations(group, seconds);
    operations += n;
    if (n > largest) [largest, largestGroup] = [n, i];
  });
  let total = operations;
  let largestPeriodic: PeriodicWork | null = null;
  for (const item of periodicWork(s, operations)) {
    total += item.steps;
    if (item.steps > largest) [largest, largestPeriodic] = [item.steps, item];
  }
  return { operations, largestGroup, total, largestPeriodic };
}

/** Refuses, in one line on its largest part (the busiest client group, or a period), a scenario estimated above `maxOperations`. */
export function checkWorkBudget(s: Scenario, sourceName: string, maxOperations: number = DEFAULT_MAX_OPERATIONS): void {
  const { largestGroup, total, largestPeriodic } = estimateWork(s);
  if (total <= maxOperations) return;
  if (largestPeriodic === null) throw new InputError(sourceName, ['clients', largestGroup], messages.tooMuchWork(maxOperations, total));
  throw new InputError(sourceName, largestPeriodic.path, messages.tooMuchPeriodicWork(maxOperations, total, largestPeriodic.formula));
}
