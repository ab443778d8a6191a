/**
 * The playground's controls as `--set` assignments, the CLI line that prints the same numbers, and
 * the URL hash that reproduces a view. Pure functions (no DOM), shared by the page and its tests.
 */

/** The knobs a slider can move; each is absent until the user moves it (the scenario's value stands). */
export interface Knobs {
  lagMedianMs?: number;
  lagP99Ms?: number;
  lagHoldMs?: number;
  thinkMeanMs?: number;
  replicas?: number;
  writeShare?: number;
  pinWindowMs?: number;
  tokenMode?: string;
  tokenTrack?: string;
  stickyPinAfterWriteMs?: number;
}

/** What the knobs need to know of the scenario document: how many replica groups and client groups, each group's actions. */
export interface DocShape {
  replicaGroups: number;
  clientActions: ('read' | 'write')[][];
}

/** Everything that decides a run: the scenario (shipped name or edited text), knobs, strategy, seed, duration. */
export interface PlaygroundState {
  scenario: string;
  /** YAML text when the user edited it; null for the shipped file. */
  edited: string | null;
  strategy: string | null;
  seed: number | null;
  durationS: number | null;
  knobs: Knobs;
}

export const KNOB_NAMES = [
  'lagMedianMs',
  'lagP99Ms',
  'lagHoldMs',
  'thinkMeanMs',
  'replicas',
  'writeShare',
  'pinWindowMs',
  'tokenMode',
  'tokenTrack',
  'stickyPinAfterWriteMs',
] as const satisfies readonly (keyof Knobs)[];

/** The shape of a parsed (not yet validated) scenario document; unknown parts count as empty. */
export function docShape(doc: unknown): DocShape {
  const record = (value: unknown): Record<string, unknown> => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {});
  const replicas = record(doc)['cluster'] === undefined ? [] : record(record(doc)['cluster'])['replicas'];
  const clients = record(doc)['clients'];
  return {
    replicaGroups: Array.isArray(replicas) ? replicas.length : 0,
    clientActions: Array.isArray(clients)
      ? clients.map((group) => {
          const actions = record(group)['actions'];
          return Array.isArray(actions) ? actions.map((a) => (record(a)['do'] === 'write' ? 'write' : 'read')) : [];
        })
      : [],
  };
}

const ms = (value: number): string => `${+value.toFixed(3)}ms`;
const round4 = (value: number): number => Math.round(value * 10_000) / 10_000;

/**
 * `--set` assignments for the knobs that are set, in a fixed order. Lag median/p99 replace every
 * replica group's lag with a lognormal of that median and p99 (the one a scenario file states with
 * those two words); write share makes every client group pick actions at random, writes sharing
 * `writeShare` of the weight equally and reads the rest.
 */
export function knobOverrides(knobs: Knobs, shape: DocShape, strategy: string | null): string[] {
  const out: string[] = [];
  for (let i = 0; i < shape.replicaGroups; i++) {
    if (knobs.lagMedianMs !== undefined || knobs.lagP99Ms !== undefined) {
      const median = knobs.lagMedianMs ?? 300;
      const p99 = Math.max(knobs.lagP99Ms ?? median * 4, median * 1.01);
      out.push(`cluster.replicas.${i}.lag={dist: lognormal, median: ${ms(median)}, p99: ${ms(p99)}}`);
    }
    if (knobs.lagHoldMs !== undefined) out.push(`cluster.replicas.${i}.lagHold=${ms(knobs.lagHoldMs)}`);
  }
  if (knobs.replicas !== undefined && shape.replicaGroups > 0) out.push(`cluster.replicas.0.count=${knobs.replicas}`);
  shape.clientActions.forEach((actions, g) => {
    if (knobs.thinkMeanMs !== undefined) out.push(`clients.${g}.think={dist: exponential, mean: ${ms(knobs.thinkMeanMs)}}`);
    if (knobs.writeShare !== undefined) {
      const writes = actions.filter((a) => a === 'write').length;
      const reads = actions.length - writes;
      if (writes === 0 || reads === 0) return;
      out.push(`clients.${g}.order=random`);
      actions.forEach((kind, a) => {
        const weight = kind === 'write' ? knobs.writeShare! / writes : (1 - knobs.writeShare!) / reads;
        out.push(`clients.${g}.actions.${a}.weight=${round4(weight)}`);
      });
    }
  });
  if (strategy === 'pin' && knobs.pinWindowMs !== undefined) out.push(`strategyOptions.pin.window=${ms(knobs.pinWindowMs)}`);
  if (strategy === 'token') {
    if (knobs.tokenMode !== undefined) out.push(`strategyOptions.token.mode=${knobs.tokenMode}`);
    if (knobs.tokenTrack !== undefined) out.push(`strategyOptions.token.track=${knobs.tokenTrack}`);
  }
  if (strategy === 'sticky' && knobs.stickyPinAfterWriteMs !== undefined) {
    out.push(`strategyOptions.sticky.pinAfterWrite=${knobs.stickyPinAfterWriteMs === 0 ? 'off' : ms(knobs.stickyPinAfterWriteMs)}`);
  }
  return out;
}

/** The overrides exactly as `lagsim run` builds them from its flags: --set ones, then --seed, then --duration. */
export function runOverrides(state: PlaygroundState, shape: DocShape): string[] {
  const out = knobOverrides(state.knobs, shape, state.strategy);
  if (state.seed !== null) out.push(`seed=${state.seed}`);
  if (state.durationS !== null) out.push(`duration=${state.durationS}s`);
  return out;
}

/** Quotes a word for a POSIX shell when it needs it. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./=:,@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The scenario file a run reads: the shipped one, or the edited text saved as <name>-edited.yaml. */
export function scenarioFile(state: PlaygroundState): string {
  return state.edited === null ? `scenarios/${state.scenario}.yaml` : `${state.scenario}-edited.yaml`;
}

/** `lagsim run <file> [--strategy s] --set ... [--seed n] [--duration d] --json`: prints the page's numbers. */
export function cliCommand(state: PlaygroundState, shape: DocShape): string {
  const words = ['lagsim', 'run', scenarioFile(state)];
  if (state.strategy !== null) words.push('--strategy', state.strategy);
  for (const assignment of knobOverrides(state.knobs, shape, state.strategy)) words.push('--set', assignment);
  if (state.seed !== null) words.push('--seed', String(state.seed));
  if (state.durationS !== null) words.push('--duration', `${state.durationS}s`);
  words.push('--json');
  return words.map(shellQuote).join(' ');
}

/** The URL hash of a state: `#s=ghost-post&strategy=pin&seed=3&lagMedianMs=500&yaml=...`. */
export function encodeHash(state: PlaygroundState): string {
  const params = new URLSearchParams();
  params.set('s', state.scenario);
  if (state.strategy !== null) params.set('strategy', state.strategy);
  if (state.seed !== null) params.set('seed', String(state.seed));
  if (state.durationS !== null) params.set('duration', String(state.durationS));
  for (const name of KNOB_NAMES) {
    const value = state.knobs[name];
    if (value !== undefined) params.set(name, String(value));
  }
  if (state.edited !== null) params.set('yaml', state.edited);
  return `#${params.toString()}`;
}

const STRING_KNOBS: ReadonlySet<string> = new Set(['tokenMode', 'tokenTrack']);

/** The state a hash describes; values that are not numbers where numbers belong are ignored. */
export function decodeHash(hash: string, fallbackScenario: string): PlaygroundState {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const num = (text: string | null): number | null => (text !== null && text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : null);
  const knobs: Knobs = {};
  for (const name of KNOB_NAMES) {
    const text = params.get(name);
    if (text === null) continue;
    if (STRING_KNOBS.has(name)) (knobs as Record<string, unknown>)[name] = text;
    else {
      const value = num(text);
      if (value !== null) (knobs as Record<string, unknown>)[name] = value;
    }
  }
  const seed = num(params.get('seed'));
  return {
    scenario: params.get('s') ?? fallbackScenario,
    edited: params.get('yaml'),
    strategy: params.get('strategy'),
    seed: seed !== null && Number.isSafeInteger(seed) && seed >= 0 ? seed : null,
    durationS: num(params.get('duration')),
    knobs,
  };
}
