import { ANOMALIES, type Anomaly } from '../checks/anomalies.js';
import type { Interval } from '../metrics/wilson.js';
import { noIntervalLine, percent, percentWithInterval, table } from '../report/format.js';
import type { RunSummary } from '../report/summary.js';
import { ANOMALY_TITLES } from '../report/summaryTable.js';
import type { Scenario } from '../scenario/schema.js';

/** One real replica as the simulation models it. */
export interface SimulatedReplica {
  /** The real node name (`<group>-0-<copy>`). */
  node: string;
  weight: number;
  /** Measured lags, µs (the probe's samples). */
  samplesUs: readonly number[];
}

const LOCAL = 'local';

/**
 * The scenario as a simulation of the real cluster: the same clients, keyspace, balancer, strategy,
 * seed and times, with one replica group per real replica whose lag is the empirical distribution
 * of that replica's probed lags, drawn afresh for every log entry (lagHold 0: a probe sample is the
 * lag of one entry). Everything sits in one region with no network latency and no service times:
 * the probe measured lag from the commit's acknowledgement to visibility, round trips included, and
 * the real cluster's service times are what they are (a local cluster answers in well under a
 * millisecond).
 */
export function simulationScenario(scenario: Scenario, replicas: readonly SimulatedReplica[]): Scenario {
  const groupNames = replicas.map((r) => (r.node.endsWith('-0-1') ? r.node.slice(0, -'-0-1'.length) : r.node));
  const unique = new Set(groupNames).size === groupNames.length;
  return {
    ...scenario,
    network: { latency: {} },
    cluster: {
      shards: 1,
      leader: { region: LOCAL },
      replicas: replicas.map((replica, i) => ({
        name: unique ? groupNames[i]! : replica.node,
        region: LOCAL,
        count: 1,
        weight: replica.weight,
        lag: { dist: 'empirical', samples: [...replica.samplesUs] },
        lagHold: 0,
      })),
    },
    clients: scenario.clients.map((group) => ({ ...group, region: LOCAL })),
  };
}

export interface RateSide {
  rate: number | null;
  interval: Interval | null;
  /** Why a rate has no interval (the run withheld it: docs/statistics.md), or null. */
  withheld: string | null;
  violations: number;
  eligible: number;
}

export interface RateComparison {
  anomaly: Anomaly;
  real: RateSide;
  simulated: RateSide;
  /** Whether the two 95% intervals overlap; null when either side has no eligible key-read. */
  overlap: boolean | null;
}

export interface Comparison {
  rows: RateComparison[];
  leaderShare: { real: number | null; simulated: number | null };
  /** No anomaly's intervals are apart: every one with an interval on both sides overlaps. */
  agree: boolean;
  /** Anomalies with data on both sides that could not be compared: one side withheld its interval. */
  uncompared: Anomaly[];
}

function side(summary: RunSummary, anomaly: Anomaly): RateSide {
  const a = summary.anomalies[anomaly];
  return { rate: a.rateEligible, interval: a.rateEligibleInterval, withheld: a.rateEligibleIntervalWithheld, violations: a.violations, eligible: a.eligible };
}

/** Measured vs predicted, per anomaly: rates among eligible key-reads with the intervals each run reports. */
export function compareSummaries(real: RunSummary, simulated: RunSummary): Comparison {
  const rows = ANOMALIES.map((anomaly): RateComparison => {
    const r = side(real, anomaly);
    const s = side(simulated, anomaly);
    const overlap = r.interval === null || s.interval === null ? null : r.interval.low <= s.interval.high && s.interval.low <= r.interval.high;
    return { anomaly, real: r, simulated: s, overlap };
  });
  return {
    rows,
    leaderShare: { real: real.costs.leaderShare, simulated: simulated.costs.leaderShare },
    agree: rows.every((row) => row.overlap !== false),
    uncompared: rows.filter((row) => row.overlap === null && row.real.rate !== null && row.simulated.rate !== null).map((row) => row.anomaly),
  };
}

/** The verdict under the table: an anomaly whose interval one side withheld is not called agreeing. */
function verdict(comparison: Comparison): string {
  if (!comparison.agree) return 'the simulation DISAGREES with the real cluster on at least one anomaly';
  const uncompared = comparison.uncompared.length;
  if (uncompared === 0) return 'the simulation agrees with the real cluster';
  const compared = comparison.rows.filter((row) => row.overlap !== null).length;
  if (compared === 0) return 'no anomaly could be compared: every rate with data lacks an interval on one side (a longer --duration gives one)';
  return `the simulation agrees with the real cluster on the ${compared} anomal${compared === 1 ? 'y' : 'ies'} with intervals on both sides; ${uncompared} could not be compared (no interval on one side)`;
}

export function comparisonTable(comparison: Comparison): string {
  const rows = [['', 'real (PostgreSQL)', 'simulated (probed lags)', 'intervals overlap']];
  for (const row of comparison.rows) {
    rows.push([
      ANOMALY_TITLES[row.anomaly],
      percentWithInterval(row.real.rate, row.real.interval, 2),
      percentWithInterval(row.simulated.rate, row.simulated.interval, 2),
      row.overlap === null ? '—' : row.overlap ? 'yes' : 'NO',
    ]);
  }
  rows.push(['leader share of key-reads', percent(comparison.leaderShare.real, 2), percent(comparison.leaderShare.simulated, 2), '']);
  const withheld: string[] = [];
  for (const row of comparison.rows) {
    if (row.real.withheld !== null) withheld.push(noIntervalLine(`${ANOMALY_TITLES[row.anomaly]} (real)`, row.real.withheld));
    if (row.simulated.withheld !== null) withheld.push(noIntervalLine(`${ANOMALY_TITLES[row.anomaly]} (simulated)`, row.simulated.withheld));
  }
  return [
    'real vs simulated (rates among eligible key-reads; 95% intervals as each run reports them, by batch means: docs/statistics.md)',
    table(rows),
    ...withheld,
    verdict(comparison),
  ].join('\n');
}
