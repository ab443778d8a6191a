/**
 * The work a scenario asks for, estimated before it runs (issue: hostile input — a warm-up of
 * 11 days or a rate of 10^9 per second is a run of hours, not a mistake the simulator should spend
 * them on). The estimate is an upper bound on operations started: closed-loop sessions start at
 * most one operation per think time (response times only lower it), open-loop groups at most their
 * peak rate times their steps.
 */
import { distMean, distQuantile } from '../model/distributions/index.js';
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

export interface WorkEstimate {
  operations: number;
  /** The client group that starts the most. */
  largestGroup: number;
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
  return { operations, largestGroup };
}

/** Refuses, in one line on the busiest client group, a scenario estimated above `maxOperations`. */
export function checkWorkBudget(s: Scenario, sourceName: string, maxOperations: number = DEFAULT_MAX_OPERATIONS): void {
  const { operations, largestGroup } = estimateWork(s);
  if (!(operations <= maxOperations)) {
    throw new InputError(sourceName, ['clients', largestGroup], messages.tooMuchWork(maxOperations, operations));
  }
}
