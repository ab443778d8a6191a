/** The scenario's types: what the simulator codes against (durations in µs) and what a file may contain. */
import type { Anomaly } from '../checks/anomalies.js';
import type { DistObjectInput, DistSpec } from '../model/distributions/index.js';
import type { KeySelector } from '../model/spec.js';

// ---------------------------------------------------------------------------------------------------
// Output types (what the simulator codes against). All durations are microseconds.

/** A distribution after validation (durations in µs): the distributions registry's own spec type. */
export type Dist = DistSpec;

export interface MixtureComponent {
  weight: number;
  dist: Dist;
}

/** How an action picks its keys (scenario.md "Key selectors"): the model's own type. */
export type { KeySelector };

export interface Action {
  weight: number;
  do: 'read' | 'write';
  key: KeySelector;
  count: number;
  /** Think time after this action, instead of the group's (absent: the group's). */
  think?: Dist;
  /** Long-running work: how long its operations hold their node (absent: the node's service time). */
  hold?: Dist;
  /** Reads go to `leader` or to this replica group whatever the strategy (absent: the strategy decides). */
  target?: string;
  /** Probability that a read goes out without the session's strategy (absent: 0). */
  untracked?: number;
}

/** What users do after seeing an anomaly (client group `reactions`). */
export interface Reaction {
  on: Anomaly | 'notFound' | 'write';
  action?: number;
  p: number;
  after: Dist;
  do: 'resubmit' | 'refresh' | 'abandon';
  limit: number;
}

/** How an open-loop group's sessions arrive (absent: Poisson). */
export type ArrivalProcess = { process: 'fixed' } | { process: 'onoff'; on: Dist; off: Dist };

export type Popularity = { kind: 'uniform' } | { kind: 'zipf'; s: number };

/** A point of an open-loop rate schedule: `rate` sessions per second at time `at` (µs). */
export interface RatePoint {
  at: number;
  rate: number;
}

export interface ClientGroup {
  name: string;
  region: string;
  /** Closed loop: this many sessions for the whole run. Exactly one of sessions / rate. */
  sessions?: number;
  /** Open loop: new sessions per second. */
  rate?: number;
  /** Operations per open-loop session; set (default 1) exactly when `rate` is. */
  steps?: number;
  /** Open loop: the arrival rate over time (sessions/s at each point), replacing `rate` from its first point on. */
  schedule?: RatePoint[];
  /** How the rate goes between schedule points: linear (a ramp) or step (default linear). */
  interpolate?: 'linear' | 'step';
  /** Open loop: the arrival process; absent = Poisson. */
  arrivals?: ArrivalProcess;
  /** What users do after an anomaly; absent = nothing. */
  reactions?: Reaction[];
  think: Dist;
  ownKeys: number;
  popularity: Popularity;
  order: 'random' | 'cycle';
  actions: Action[];
}

// Input types (what a scenario file may contain), used for ScenarioInput.
export type DurationInput = number | string;
/** A distribution as a scenario writes it, from each registered distribution's fields (src/model/distributions/index.ts). */
export type { DistObjectInput };
export type DistInput = DurationInput | DistObjectInput;
export type MixtureItemInput = DistObjectInput & { weight?: number };
