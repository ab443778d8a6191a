/** Client groups: sessions or an arrival rate, think times, actions and reactions. */
import { z } from 'zod';
import { ANOMALIES } from '../checks/anomalies.js';
import { messages } from '../text/messages.js';
import { Count, Duration, countUpTo, whenPresent } from '../model/fields.js';
import { type Action, type ArrivalProcess, type ClientGroup, type KeySelector, type Popularity, type Reaction } from './types.js';
import { LIMITS, Name, Region, Weight, fail } from './fields.js';
import { DistSchema, hasPositiveMean } from './distSchema.js';

// ---------------------------------------------------------------------------------------------------
// Clients

export const KEY_RE = /^(?:new|own|lastWritten|popular|topic|topicHead|reply|shared:\S+)$/;
export const KeySelectorSchema = z
  .string({ error: whenPresent(messages.unknownKeySelector) })
  .regex(KEY_RE, { error: (iss) => messages.unknownKeySelector(iss.input) })
  .transform((s): KeySelector => (s.startsWith('shared:') ? { kind: 'shared', name: s.slice('shared:'.length) } : ({ kind: s } as KeySelector)));

export function keyText(key: KeySelector): string {
  return key.kind === 'shared' ? `shared:${key.name}` : key.kind;
}

export const ActionSchema = z
  .strictObject({
    weight: Weight.default(1).describe('relative weight with order: random (>= 0, default 1; ignored with order: cycle)'),
    do: z.enum(['read', 'write']).describe('read or write'),
    key: KeySelectorSchema.describe(
      'which keys: new | own | lastWritten | popular | topic | topicHead | reply | shared:NAME',
    ),
    count: countUpTo(LIMITS.keysPerRead, 'keys per read').default(1).describe('with key: popular, how many keys one read touches (default 1)'),
    think: DistSchema.optional().describe(
      "think time after this action completes, instead of the group's (positive mean; default: the group's think)",
    ),
    hold: DistSchema.optional().describe(
      "long-running work (analytics, a long transaction): how long each operation holds the node's service slot, instead of the node's service time; on a replica with replayConflicts it also blocks replay (default: the node's service time)",
    ),
    target: Name.optional().describe('reads go to `leader` or to the named replica group, whatever the strategy and balancer (default: the strategy decides)'),
    untracked: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe("probability that a read goes out without the session's strategy state (a second browser tab, another service, a cache): the balancer alone routes it (default 0)"),
  })
  .transform((a, ctx): Action => {
    if (a.count !== 1 && a.key.kind !== 'popular') fail(ctx, ['count'], messages.countOnlyPopular(keyText(a.key)), a);
    else if (a.do === 'write' && a.count !== 1) fail(ctx, ['count'], messages.writeOneKeyCount, a);
    if (a.do === 'write' && a.key.kind === 'topic') fail(ctx, ['key'], messages.writeOneKeyTopic, a);
    if (a.think !== undefined && !hasPositiveMean(a.think)) fail(ctx, ['think'], messages.thinkMeanZero, a);
    if (a.target !== undefined && a.do === 'write') fail(ctx, ['target'], messages.targetOnlyReads, a);
    if (a.untracked !== undefined && a.do === 'write') fail(ctx, ['untracked'], messages.targetOnlyReads, a);
    const out: Action = { weight: a.weight, do: a.do, key: a.key, count: a.count };
    if (a.think !== undefined) out.think = a.think;
    if (a.hold !== undefined) out.hold = a.hold;
    if (a.target !== undefined) out.target = a.target;
    if (a.untracked !== undefined) out.untracked = a.untracked;
    return out;
  });

export const ReactionSchema = z.strictObject({
  on: z
    .enum([...ANOMALIES, 'notFound', 'write'])
    .describe(
      `what the user sees: ${ANOMALIES.join(' | ')} (a violating read), notFound (a key read returned absent), or write (their own write was confirmed: double submits and back-and-resubmit, whatever the replicas do)`,
    ),
  action: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe('index of the action (in actions) that triggers it: a read action, or a write action with on: write (default: any read, or any write with on: write)'),
  p: z.number().min(0).max(1).describe('probability that the user reacts to such a read (0 to 1)'),
  after: DistSchema.prefault(0).describe('delay before the reaction, instead of the think time (default 0)'),
  do: z
    .enum(['resubmit', 'refresh', 'abandon'])
    .describe('resubmit: write again what the session last wrote (a duplicate); refresh: re-read the same keys; abandon: an open-loop session leaves'),
  limit: Count.default(3).describe('at most this many reactions in a row per session (default 3)'),
});

export const ArrivalsSchema = z
  .union(
    [
      z.enum(['poisson', 'fixed', 'onoff']).transform((process) => ({ process, on: undefined, off: undefined })),
      z.strictObject({
        process: z
          .enum(['poisson', 'fixed', 'onoff'])
          .describe('poisson: exponential gaps; fixed: exactly 1/rate apart; onoff: Poisson at `rate` during on periods, none during off periods'),
        on: DistSchema.optional().describe('onoff: length of an on (sending) period; periods alternate, starting on at time 0'),
        off: DistSchema.optional().describe('onoff: length of an off (silent) period'),
      }),
    ],
    { error: whenPresent(messages.invalidValue) },
  )
  .transform((a, ctx): ArrivalProcess | null => {
    if (a.process === 'onoff') {
      if (a.on === undefined || a.off === undefined) {
        fail(ctx, [], messages.onOffNeedsPeriods, a);
        return null;
      }
      if (!hasPositiveMean(a.on)) fail(ctx, ['on'], messages.onOffMeanZero, a);
      return { process: 'onoff', on: a.on, off: a.off };
    }
    if (a.on !== undefined || a.off !== undefined) fail(ctx, [a.on !== undefined ? 'on' : 'off'], messages.periodsOnlyOnOff, a);
    return a.process === 'fixed' ? { process: 'fixed' } : null;
  });

export const PopularitySchema = z.union(
  [
    z.literal('uniform').transform((): Popularity => ({ kind: 'uniform' })),
    z
      .strictObject({ zipf: z.number().positive().describe('Zipf exponent s (> 0)') })
      .transform((v): Popularity => ({ kind: 'zipf', s: v.zipf })),
  ],
  { error: whenPresent(messages.expectedPopularity) },
);

export const ClientGroupSchema = z
  .strictObject({
    name: Name.describe('name of the group, used in key and session names (unique)'),
    region: Region.describe('region the clients run in'),
    sessions: countUpTo(LIMITS.sessions, 'sessions').optional().describe('closed loop: number of sessions, each one operation at a time then a think time'),
    rate: z.number().positive().optional().describe('open loop: new sessions per second, each running `steps` operations then leaving'),
    steps: Count.optional().describe('operations per open-loop session (default 1; only with rate)'),
    schedule: z
      .array(z.strictObject({ at: Duration.describe('time since the start of the run'), rate: z.number().min(0).describe('sessions per second from then on') }))
      .min(1)
      .optional()
      .describe('open loop: the arrival rate over time, e.g. a Black Friday surge: [{at: 0, rate: 20}, {at: 5m, rate: 200}, {at: 8m, rate: 20}]'),
    interpolate: z.enum(['linear', 'step']).default('linear').describe('between schedule points: linear (a ramp) or step (default linear)'),
    arrivals: ArrivalsSchema.optional().describe(
      'open loop: how sessions arrive: poisson | fixed | {process: onoff, on: DIST, off: DIST} (default poisson)',
    ),
    think: DistSchema.describe('think time between one operation\'s completion and the next one\'s start (positive mean)'),
    ownKeys: countUpTo(LIMITS.ownKeysPerSession, 'own keys per session').default(1).describe('distinct own keys per session (default 1)'),
    popularity: PopularitySchema.prefault('uniform').describe('how popular, topic and topicHead pick from the keyspace: uniform | {zipf: S} (default uniform)'),
    order: z
      .enum(['random', 'cycle'])
      .default('random')
      .describe('random: each step picks an action by weight; cycle: the actions in listed order, again and again (default random)'),
    actions: z.array(ActionSchema).min(1, { error: messages.noActions }).describe('what a session does'),
    reactions: z
      .array(ReactionSchema)
      .optional()
      .describe('what users do after an anomaly: [{on: notFound, p: 0.3, after: 2s, do: resubmit}] (default: nothing)'),
  })
  .transform((g, ctx): ClientGroup => {
    if (g.sessions === undefined && g.rate === undefined) fail(ctx, [], messages.sessionsOrRateNeither, g);
    else if (g.sessions !== undefined && g.rate !== undefined) fail(ctx, [], messages.sessionsOrRateBoth, g);
    else if (g.steps !== undefined && g.rate === undefined) fail(ctx, ['steps'], messages.stepsNeedRate, g);
    if (g.schedule !== undefined && g.rate === undefined) fail(ctx, ['schedule'], messages.scheduleNeedsRate, g);
    if (g.arrivals !== undefined && g.rate === undefined) fail(ctx, ['arrivals'], messages.arrivalsNeedRate, g);
    if (g.schedule !== undefined && g.schedule.some((p, i) => i > 0 && p.at <= g.schedule![i - 1]!.at)) {
      fail(ctx, ['schedule'], messages.scheduleNotSorted, g);
    }
    if (!hasPositiveMean(g.think)) fail(ctx, ['think'], messages.thinkMeanZero, g);
    g.reactions?.forEach((r, i) => {
      const kind = r.on === 'write' ? 'write' : 'read';
      if (r.action !== undefined && g.actions[r.action]?.do !== kind) {
        fail(ctx, ['reactions', i, 'action'], messages.reactionActionNotOfKind(kind, g.actions.length, r.action), g);
      }
    });
    if (g.order === 'random' && !(g.actions.reduce((sum, a) => sum + a.weight, 0) > 0)) fail(ctx, ['actions'], messages.weightsSumZero, g);
    const out: ClientGroup = {
      name: g.name,
      region: g.region,
      think: g.think,
      ownKeys: g.ownKeys,
      popularity: g.popularity,
      order: g.order,
      actions: g.actions,
    };
    if (g.sessions !== undefined) out.sessions = g.sessions;
    if (g.rate !== undefined) {
      out.rate = g.rate;
      out.steps = g.steps ?? 1;
      if (g.schedule !== undefined) {
        out.schedule = g.schedule;
        out.interpolate = g.interpolate;
      }
      if (g.arrivals !== undefined && g.arrivals !== null) out.arrivals = g.arrivals;
    }
    if (g.reactions !== undefined && g.reactions.length > 0) {
      out.reactions = g.reactions.map(({ action, ...rule }): Reaction => (action === undefined ? rule : { ...rule, action }));
    }
    return out;
  });
