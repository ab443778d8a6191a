import { FLAG_BITS } from '../checks/anomalies.js';
import { makeSampler } from '../model/distributions/index.js';
import type { DrawUs } from '../model/replica.js';
import { TARGET_LEADER } from '../model/operation.js';
import type { ModelSpec } from '../model/spec.js';
import type { StrategyChoice } from '../strategies/index.js';
import { strategyFor, type Dist, type Scenario, type StrategySource } from './schema.js';

function sampler(dist: Dist): DrawUs {
  return makeSampler(dist);
}

function optionalSampler(dist: Dist | undefined): DrawUs | null {
  return dist === undefined ? null : sampler(dist);
}

type Region = (name: string) => number;
type ClientGroupInput = Scenario['clients'][number];

/** The model's view of a validated scenario: regions numbered, distributions turned into samplers. */
export function buildModel(scenario: Scenario): ModelSpec {
  // Regions are numbered in order of first mention: leader, replicas, clients, latency pairs, partitions.
  const regions: string[] = [];
  const region: Region = (name) => {
    let index = regions.indexOf(name);
    if (index < 0) index = regions.push(name) - 1;
    return index;
  };
  const { cluster, keyspace, balancer } = scenario;
  const leaderRegion = region(cluster.leader.region);
  const replicaGroups = cluster.replicas.map((group) => ({
    name: group.name,
    region: region(group.region),
    count: group.count,
    weight: group.weight,
    lag: sampler(group.lag),
    lagHoldUs: group.lagHold,
    apply: optionalSampler(group.apply),
    ...(group.applyWorkers === undefined ? {} : { applyWorkers: group.applyWorkers }),
    service: optionalSampler(group.service),
    concurrency: group.concurrency ?? Infinity,
    stalls: group.stalls === undefined ? null : { every: sampler(group.stalls.every), for: sampler(group.stalls.for) },
    ...(group.sync === undefined ? {} : { sync: group.sync }),
    ...(group.replayConflicts === undefined ? {} : { replayConflictMaxDelayUs: group.replayConflicts.maxDelay }),
  }));
  const clientGroups = scenario.clients.map((group) => clientGroupOf(group, scenario, region));
  const latency = latencyMatrix(scenario, regions, region);
  return {
    seed: scenario.seed,
    warmupUs: scenario.warmup,
    durationUs: scenario.duration,
    shards: cluster.shards,
    keyspace: {
      shards: cluster.shards,
      keyspaceCount: keyspace.count,
      topicSize: keyspace.topicSize,
      preload: keyspace.preload,
      placement: keyspace.placement,
    },
    regions,
    latency,
    leader: {
      region: leaderRegion,
      service: optionalSampler(cluster.leader.readService ?? cluster.leader.service),
      ...(cluster.leader.writeService === undefined && cluster.leader.readService === undefined
        ? {}
        : { writeService: optionalSampler(cluster.leader.writeService ?? cluster.leader.service) }),
      concurrency: cluster.leader.concurrency ?? Infinity,
    },
    replicaGroups,
    clientGroups,
    balancer: { policy: balancer.policy, maxLagUs: balancer.maxLag ?? null, pollUs: balancer.poll, ...(balancer.readFrom === undefined ? {} : { readFrom: balancer.readFrom }) },
    ...(cluster.syncQuorum === undefined ? {} : { syncQuorum: cluster.syncQuorum }),
    ...(scenario.migrations === undefined ? {} : { migrations: scenario.migrations.map((m) => ({ atUs: m.at, apply: sampler(m.apply) })) }),
    faults: faultsOf(scenario, region),
  };
}

function clientGroupOf(group: ClientGroupInput, scenario: Scenario, region: Region): ModelSpec['clientGroups'][number] {
  return {
    name: group.name,
    region: region(group.region),
    sessions: group.sessions ?? 0,
    rate: group.rate ?? null,
    steps: group.steps ?? 1,
    schedule: group.schedule?.map((point) => ({ atUs: point.at, rate: point.rate })) ?? null,
    interpolate: group.interpolate ?? 'linear',
    ...(group.arrivals === undefined
      ? {}
      : {
          arrivals:
            group.arrivals.process === 'fixed'
              ? { process: 'fixed' as const }
              : { process: 'onoff' as const, on: sampler(group.arrivals.on), off: sampler(group.arrivals.off) },
        }),
    think: sampler(group.think),
    ownKeys: group.ownKeys,
    popularity: group.popularity,
    order: group.order,
    actions: group.actions.map((action) => ({
      weight: action.weight,
      write: action.do === 'write',
      key: action.key,
      count: action.count,
      ...(action.think === undefined ? {} : { think: sampler(action.think) }),
      ...(action.hold === undefined ? {} : { hold: sampler(action.hold) }),
      ...(action.untracked === undefined ? {} : { untracked: action.untracked }),
      ...(action.target === undefined
        ? {}
        : { target: action.target === 'leader' ? TARGET_LEADER : scenario.cluster.replicas.findIndex((r) => r.name === action.target) }),
    })),
    ...(group.reactions === undefined
      ? {}
      : {
          reactions: group.reactions.map((rule) => ({
            flagMask: rule.on === 'notFound' || rule.on === 'write' ? 0 : FLAG_BITS[rule.on],
            notFound: rule.on === 'notFound',
            ...(rule.on === 'write' ? { afterWrite: true } : {}),
            action: rule.action ?? null,
            p: rule.p,
            after: sampler(rule.after),
            kind: rule.do,
            limit: rule.limit,
          })),
        }),
  };
}

/** One-way latency between every pair of regions (symmetric); null where the scenario gives none. */
function latencyMatrix(scenario: Scenario, regions: readonly string[], region: Region): (DrawUs | null)[][] {
  for (const pair of Object.keys(scenario.network.latency)) for (const name of pair.split('/')) region(name);
  const latency: (DrawUs | null)[][] = regions.map(() => regions.map(() => null));
  for (const [pair, dist] of Object.entries(scenario.network.latency)) {
    const [from, to] = pair.split('/') as [string, string];
    const draw = sampler(dist);
    latency[region(from)]![region(to)] = draw;
    latency[region(to)]![region(from)] = draw;
  }
  return latency;
}

function faultsOf(scenario: Scenario, region: Region): ModelSpec['faults'] {
  return {
    failoverTimeUs: scenario.faults.failoverTime,
    duringFailover: scenario.faults.duringFailover,
    events: scenario.faults.events.map((event) => {
      const when = { atUs: event.at, every: optionalSampler(event.every ?? undefined), for: optionalSampler(event.for ?? undefined) };
      return event.kind === 'partition'
        ? { ...when, kind: 'partition' as const, regions: [region(event.regions[0]), region(event.regions[1])] as [number, number] }
        : { ...when, kind: event.kind, node: event.node };
    }),
  };
}

/** The scenario's strategy as the strategies registry takes it. */
export function strategyChoice(scenario: Scenario): StrategyChoice {
  return scenario.strategy;
}

/**
 * The scenario with strategy `name`, its options taken as scenario.md says for commands that vary
 * the strategy: from `strategyOptions.<name>`, else from `strategy` when the name matches, else the
 * defaults. `source` names where the name came from in the error for an unknown one: by default
 * the `--strategy` option of run, explain and real (`--strategy: unknown strategy "magic" (...)`).
 */
export function withStrategy(scenario: Scenario, name: string, source: StrategySource = { file: '--strategy' }): Scenario {
  return { ...scenario, strategy: strategyFor(scenario, name, source) };
}
