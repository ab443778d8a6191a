// fast-check generators of small random scenarios (as plain objects, the way a parsed file looks),
// for property tests of the strategies' guarantees and of the checkers. Everything stays small so
// a run takes milliseconds: a few sessions, a few seconds of simulated time.
import fc from 'fast-check';

export type Raw = Record<string, unknown>;

export interface ScenarioShape {
  /** Lag distributions with a known maximum only (pin's guarantee needs one). */
  boundedLag?: boolean;
  /** Allow replica `apply` time (lag then grows without bound under load). */
  apply?: boolean;
  /** Which writes the clients may do. */
  writes?: 'any' | 'inserts';
  /**
   * Add story groups that make anomalies likely (default true unless writes are inserts only):
   * questions and answers on topics (deps, consistent prefix across shards) and a feed of shared
   * keys written by some sessions and read, several at a time, by others (monotonic reads).
   */
  stories?: boolean;
  /**
   * Add 0–2 faults: replica crashes and pauses, partitions, and (unless 'no-failover') leader
   * crashes with failover, which may lose acknowledged writes.
   */
  faults?: boolean | 'no-failover';
  /**
   * Add lagsim's extensions, each or not: synchronous replicas (replica group r0, with a quorum),
   * parallel apply, long reads (`hold`) and hot-standby replay conflicts, reactions, a migration.
   */
  extras?: boolean;
}

/** lagsim's extensions (ScenarioShape.extras), applied to a generated scenario by withExtras. */
const extrasArb = fc.record({
  sync: fc.option(fc.record({ mode: fc.constantFrom('remote_write', 'remote_apply'), quorum: fc.integer({ min: 1, max: 2 }) }), { nil: undefined }),
  applyWorkers: fc.option(fc.integer({ min: 2, max: 4 }), { nil: undefined }),
  holdMs: fc.option(fc.integer({ min: 5, max: 300 }), { nil: undefined }),
  maxDelayMs: fc.option(fc.integer({ min: 0, max: 200 }), { nil: undefined }),
  reactions: fc.array(
    fc.record({
      on: fc.constantFrom('ryw', 'mr', 'cp', 'stale', 'notFound', 'write'),
      p: fc.constantFrom(0, 0.3, 1),
      afterMs: fc.integer({ min: 0, max: 200 }),
      do: fc.constantFrom('resubmit', 'refresh', 'abandon'),
      limit: fc.integer({ min: 1, max: 3 }),
    }),
    { maxLength: 2 },
  ),
  migration: fc.option(fc.record({ atMs: fc.integer({ min: 0, max: 2500 }), applyMs: fc.integer({ min: 0, max: 500 }) }), { nil: undefined }),
});

function withExtras(raw: Raw, extras: typeof extrasArb extends fc.Arbitrary<infer T> ? T : never): void {
  const cluster = raw['cluster'] as { replicas: Raw[] } & Raw;
  const first = cluster.replicas[0]!;
  const last = cluster.replicas[cluster.replicas.length - 1]!;
  if (extras.sync !== undefined) {
    first['sync'] = extras.sync.mode;
    cluster['syncQuorum'] = Math.min(extras.sync.quorum, first['count'] as number);
  }
  if (extras.applyWorkers !== undefined) last['applyWorkers'] = extras.applyWorkers;
  if (extras.maxDelayMs !== undefined) first['replayConflicts'] = { maxDelay: ms(extras.maxDelayMs) };
  const clients = raw['clients'] as Raw[];
  const group = clients[0]!;
  if (extras.holdMs !== undefined) group['actions'] = [...(group['actions'] as Raw[]), { do: 'read', key: 'popular', weight: 1, hold: ms(extras.holdMs) }];
  const reactions = extras.reactions
    // A refresh re-reads what a read showed; after a write there is nothing to re-read.
    .filter((rule) => !(rule.on === 'write' && rule.do === 'refresh'))
    .map((rule) => ({ on: rule.on, p: rule.p, after: ms(rule.afterMs), do: rule.do, limit: rule.limit }));
  if (reactions.length > 0) group['reactions'] = reactions;
  if (extras.migration !== undefined) raw['migrations'] = [{ at: ms(extras.migration.atMs), apply: ms(extras.migration.applyMs) }];
}



const ms = (x: number): string => `${x}ms`;

/** Faults on the generated cluster (replica group 0, shard 0, copy 1 always exists). */
const faultsArb: fc.Arbitrary<Raw> = fc
  .record({
    failoverTime: fc.integer({ min: 50, max: 1000 }).map(ms),
    duringFailover: fc.constantFrom('fail', 'wait'),
    events: fc.array(
      fc.tuple(
        fc.integer({ min: 0, max: 3000 }),
        fc.option(fc.integer({ min: 1, max: 1500 }), { nil: undefined }),
        fc.constantFrom<Raw>({ crash: 'r0-0-1' }, { pause: 'r0-0-1' }, { partition: ['east', 'west'] }, { crash: 'leader-0' }),
      ),
      { maxLength: 2 },
    ),
  })
  .map(({ failoverTime, duringFailover, events }) => ({
    failoverTime,
    duringFailover,
    events: events.map(([at, forMs, what]) => ({ at: ms(at), ...what, ...(forMs === undefined ? {} : { for: ms(forMs) }) })),
  }));

/** A lag distribution, with its maximum in ms (Infinity when unbounded). */
function lagArb(bounded: boolean): fc.Arbitrary<{ dist: unknown; maxMs: number }> {
  const constant = fc.integer({ min: 0, max: 400 }).map((v) => ({ dist: ms(v), maxMs: v }));
  const uniform = fc
    .tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 300 }))
    .map(([a, b]) => ({ dist: { dist: 'uniform', min: ms(Math.min(a, b)), max: ms(Math.max(a, b)) }, maxMs: Math.max(a, b) }));
  const boundedMixture = fc
    .tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 200, max: 900 }), fc.double({ min: 0.01, max: 0.5, noNaN: true }))
    .map(([low, high, spike]) => ({
      dist: {
        dist: 'mixture',
        of: [
          { weight: 1 - spike, dist: 'constant', value: ms(low) },
          { weight: spike, dist: 'uniform', min: ms(high / 2), max: ms(high) },
        ],
      },
      maxMs: high,
    }));
  if (bounded) return fc.oneof(constant, uniform, boundedMixture);
  const exponential = fc.integer({ min: 1, max: 300 }).map((m) => ({ dist: { dist: 'exponential', mean: ms(m) }, maxMs: Infinity }));
  const lognormal = fc
    .tuple(fc.integer({ min: 1, max: 200 }), fc.double({ min: 0.1, max: 1.5, noNaN: true }))
    .map(([median, sigma]) => ({ dist: { dist: 'lognormal', median: ms(median), sigma }, maxMs: Infinity }));
  return fc.oneof(constant, uniform, boundedMixture, exponential, lognormal);
}

/** A small latency or service time (bounded), with its maximum in ms. */
const smallTimeArb: fc.Arbitrary<{ dist: unknown; maxMs: number }> = fc.oneof(
  fc.integer({ min: 0, max: 40 }).map((v) => ({ dist: ms(v), maxMs: v })),
  fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 40 })).map(([a, b]) => ({
    dist: { dist: 'uniform', min: ms(Math.min(a, b)), max: ms(Math.max(a, b)) },
    maxMs: Math.max(a, b),
  })),
);

const thinkArb = fc.oneof(
  fc.integer({ min: 5, max: 300 }).map((m) => ({ dist: 'exponential', mean: ms(m) })),
  fc.integer({ min: 1, max: 200 }).map((v) => ms(v)),
  fc.integer({ min: 1, max: 200 }).map((v) => ({ dist: 'uniform', min: '0ms', max: ms(v) })),
);

const READ_KEYS = ['own', 'lastWritten', 'popular', 'topic', 'topicHead', 'reply', 'shared:counter', 'new'] as const;
const WRITE_KEYS = ['new', 'own', 'lastWritten', 'popular', 'topicHead', 'reply', 'shared:counter'] as const;

function actionArb(writes: 'any' | 'inserts'): fc.Arbitrary<Raw> {
  const read = fc
    .tuple(fc.constantFrom(...READ_KEYS), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 5 }))
    .map(([key, count, weight]): Raw => (key === 'popular' ? { do: 'read', key, count, weight } : { do: 'read', key, weight }));
  const write = fc
    .tuple(writes === 'inserts' ? fc.constant('new') : fc.constantFrom(...WRITE_KEYS), fc.integer({ min: 0, max: 5 }))
    .map(([key, weight]): Raw => ({ do: 'write', key, weight }));
  return fc.oneof(read, write);
}

function clientArb(name: string, writes: 'any' | 'inserts'): fc.Arbitrary<Raw> {
  return fc
    .record({
      region: fc.constantFrom('east', 'west'),
      loop: fc.oneof(
        fc.integer({ min: 1, max: 12 }).map((sessions) => ({ sessions })),
        fc.tuple(fc.integer({ min: 2, max: 30 }), fc.integer({ min: 1, max: 8 })).map(([rate, steps]) => ({ rate, steps })),
      ),
      think: thinkArb,
      ownKeys: fc.integer({ min: 1, max: 3 }),
      popularity: fc.oneof(fc.constant('uniform'), fc.double({ min: 0.5, max: 1.5, noNaN: true }).map((s) => ({ zipf: s }))),
      order: fc.constantFrom('random', 'cycle'),
      // A write first (with order: cycle) makes sessions write at all; the rest is random.
      actions: fc.array(actionArb(writes), { minLength: 1, maxLength: 5 }).map((rest) => [{ do: 'write', key: writes === 'inserts' ? 'new' : 'own', weight: 1 }, ...rest]),
    })
    .map(({ loop, ...group }) => ({ name, ...loop, ...group }));
}

/** Askers post questions, answerers read a question and reply to it, readers read whole topics. */
const qaStoryArb: fc.Arbitrary<Raw[]> = fc
  .record({
    region: fc.constantFrom('east', 'west'),
    askers: fc.integer({ min: 1, max: 3 }),
    answerers: fc.integer({ min: 1, max: 5 }),
    readers: fc.integer({ min: 1, max: 6 }),
    thinkMs: fc.integer({ min: 5, max: 150 }),
  })
  .map(({ region, askers, answerers, readers, thinkMs }) => {
    const think = { dist: 'exponential', mean: ms(thinkMs) };
    return [
      { name: 'ask', region, sessions: askers, think, order: 'cycle', actions: [{ do: 'write', key: 'topicHead' }, { do: 'read', key: 'topic' }] },
      { name: 'answer', region, sessions: answerers, think, order: 'cycle', actions: [{ do: 'read', key: 'topicHead' }, { do: 'write', key: 'reply' }] },
      { name: 'read', region, sessions: readers, think, order: 'cycle', actions: [{ do: 'read', key: 'topic' }] },
    ];
  });

/** Some sessions write shared keys, others read several at a time. */
const feedStoryArb: fc.Arbitrary<Raw[]> = fc
  .record({
    region: fc.constantFrom('east', 'west'),
    writers: fc.integer({ min: 1, max: 3 }),
    readers: fc.integer({ min: 1, max: 6 }),
    count: fc.integer({ min: 1, max: 3 }),
    thinkMs: fc.integer({ min: 5, max: 150 }),
  })
  .map(({ region, writers, readers, count, thinkMs }) => {
    const think = { dist: 'exponential', mean: ms(thinkMs) };
    return [
      { name: 'post', region, sessions: writers, think, actions: [{ do: 'write', key: 'popular' }, { do: 'write', key: 'shared:counter' }] },
      { name: 'feed', region, sessions: readers, think, actions: [{ do: 'read', key: 'popular', count }, { do: 'read', key: 'shared:counter' }] },
    ];
  });

export interface GeneratedScenario {
  raw: Raw;
  /** Largest lag any replica can have, ms (Infinity when unbounded or when apply is modelled). */
  maxLagMs: number;
  /** Largest one-way network latency, ms. */
  maxLatencyMs: number;
}

/** A small random scenario; `strategy` is filled in by the caller. */
export function scenarioArb(shape: ScenarioShape = {}): fc.Arbitrary<GeneratedScenario> {
  const bounded = shape.boundedLag ?? false;
  const replicaArb = fc.record({
    region: fc.constantFrom('east', 'west'),
    count: fc.integer({ min: 1, max: 3 }),
    weight: fc.integer({ min: 0, max: 3 }),
    lag: lagArb(bounded),
    lagHold: fc.constantFrom(0, '50ms', '1s'),
    apply: shape.apply ? fc.option(fc.integer({ min: 0, max: 3 }).map(ms), { nil: undefined }) : fc.constant(undefined),
    service: fc.option(smallTimeArb, { nil: undefined }),
    concurrency: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
  });
  return fc
    .record({
      seed: fc.integer({ min: 0, max: 10_000 }),
      shards: fc.integer({ min: 1, max: 3 }),
      warmupMs: fc.constantFrom(0, 300),
      keyspace: fc.record({
        count: fc.integer({ min: 4, max: 40 }),
        topicSize: fc.integer({ min: 1, max: 4 }),
        preload: fc.boolean(),
        placement: fc.constantFrom('hash', 'position'),
      }),
      leader: fc.record({
        region: fc.constantFrom('east', 'west'),
        service: fc.option(smallTimeArb, { nil: undefined }),
        concurrency: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
      }),
      replicas: fc.array(replicaArb, { minLength: 1, maxLength: 2 }),
      latency: smallTimeArb,
      localLatency: fc.option(smallTimeArb, { nil: undefined }),
      balancer: fc.record({
        policy: fc.constantFrom('random', 'round-robin', 'least-outstanding', 'weighted'),
        maxLag: fc.option(fc.integer({ min: 0, max: 300 }).map(ms), { nil: undefined }),
        poll: fc.integer({ min: 10, max: 500 }).map(ms),
      }),
      clients: fc.array(fc.constant(null), { minLength: 1, maxLength: 2 }).chain((slots) =>
        fc.tuple(...slots.map((_, i) => clientArb(`g${i}`, shape.writes ?? 'any'))),
      ),
      faults: shape.faults ? faultsArb : fc.constant(undefined),
      extras: shape.extras ? extrasArb.map((extras) => extras as typeof extras | undefined) : fc.constant(undefined),
      stories:
        shape.stories ?? shape.writes !== 'inserts'
          ? fc.tuple(fc.option(qaStoryArb, { nil: undefined }), fc.option(feedStoryArb, { nil: undefined }))
          : fc.constant([undefined, undefined] as const),
    })
    .map((g): GeneratedScenario => {
      const latency: Raw = { 'east/west': g.latency.dist };
      if (g.localLatency !== undefined) latency['west/west'] = g.localLatency.dist;
      const replicas = g.replicas.map((r, i) => {
        const out: Raw = { name: `r${i}`, region: r.region, count: r.count, weight: r.weight, lag: r.lag.dist, lagHold: r.lagHold };
        if (r.apply !== undefined) out['apply'] = r.apply;
        if (r.service !== undefined) out['service'] = r.service.dist;
        if (r.concurrency !== undefined) out['concurrency'] = r.concurrency;
        return out;
      });
      const leader: Raw = { region: g.leader.region };
      if (g.leader.service !== undefined) leader['service'] = g.leader.service.dist;
      if (g.leader.concurrency !== undefined) leader['concurrency'] = g.leader.concurrency;
      const balancer: Raw = { policy: g.balancer.policy, poll: g.balancer.poll };
      if (g.balancer.maxLag !== undefined) balancer['maxLag'] = g.balancer.maxLag;
      const raw: Raw = {
        name: 'prop',
        seed: g.seed,
        duration: '3s',
        warmup: ms(g.warmupMs),
        keyspace: { ...g.keyspace, topicSize: Math.min(g.keyspace.topicSize, g.keyspace.count) },
        cluster: { shards: g.shards, leader, replicas },
        network: { latency },
        clients: [...g.clients, ...(g.stories[0] ?? []), ...(g.stories[1] ?? [])],
        balancer,
      };
      if (g.faults !== undefined) {
        // A partition names two regions the scenario uses (a region only in network.latency is unknown).
        const clients = raw['clients'] as { region: string }[];
        const used = new Set<string>([g.leader.region, ...g.replicas.map((r) => r.region), ...clients.map((c) => c.region)]);
        const events = (g.faults['events'] as Raw[])
          .filter((e) => !Array.isArray(e['partition']) || (e['partition'] as string[]).every((r) => used.has(r)))
          .filter((e) => shape.faults !== 'no-failover' || e['crash'] !== 'leader-0');
        raw['faults'] = { ...g.faults, events };
      }
      if (g.extras !== undefined) withExtras(raw, g.extras);
      const anyApply = g.replicas.some((r) => r.apply !== undefined) || raw['migrations'] !== undefined || g.extras?.maxDelayMs !== undefined;
      return {
        raw,
        maxLagMs: anyApply ? Infinity : Math.max(...g.replicas.map((r) => r.lag.maxMs)),
        maxLatencyMs: Math.max(g.latency.maxMs, g.localLatency?.maxMs ?? 0),
      };
    });
}

/** The scenario with `strategy` set (a copy). */
export function withStrategy(raw: Raw, strategy: Raw): Raw {
  return { ...raw, strategy };
}
