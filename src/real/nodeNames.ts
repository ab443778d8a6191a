import type { Scenario } from '../scenario/schema.js';

/** How a real run names, weighs and places its servers. */
export interface RealNodeLayout {
  /** `leader-0`, then one per replica URL. */
  names: string[];
  /** Balancer weight per replica. */
  weights: number[];
  /** Region per node (for the summary). */
  regions: string[];
}

/**
 * When the scenario has exactly as many replica copies as replica URLs were given, the URLs take
 * the copies' names, weights and regions in scenario order (`us-west-0-1`, ...), so one scenario
 * file describes both the simulated and the real cluster. Otherwise they are `replica-0-<i>`, weight 1.
 */
export function realNodeLayout(scenario: Scenario, replicaCount: number): RealNodeLayout {
  const copies: { name: string; weight: number; region: string }[] = [];
  for (const group of scenario.cluster.replicas) {
    for (let copy = 1; copy <= group.count; copy++) copies.push({ name: `${group.name}-0-${copy}`, weight: group.weight, region: group.region });
  }
  const matched = copies.length === replicaCount;
  const replicas = matched
    ? copies
    : Array.from({ length: replicaCount }, (_, i) => ({ name: `replica-0-${i + 1}`, weight: 1, region: scenario.cluster.leader.region }));
  return {
    names: ['leader-0', ...replicas.map((r) => r.name)],
    weights: replicas.map((r) => r.weight),
    regions: [scenario.cluster.leader.region, ...replicas.map((r) => r.region)],
  };
}

/** Replica names for a probe without a scenario. */
export function probeNames(replicaCount: number): string[] {
  return Array.from({ length: replicaCount }, (_, i) => `replica-0-${i + 1}`);
}
