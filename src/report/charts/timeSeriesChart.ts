import type { TimeSeriesRow } from '../../metrics/timeSeries.js';
import { ANOMALY_LABELS, VEGA_LITE_SCHEMA, type ChartSpec } from './common.js';

interface Point {
  tS: number;
  series: string;
  value: number;
}

/** One panel of the time series: lines over simulated time, with the faults as labelled rules. */
function panel(title: string, yTitle: string, values: Point[], faults: { tS: number; fault: string }[], percent: boolean): object {
  return {
    title,
    width: 640,
    height: 160,
    layer: [
      {
        data: { values },
        mark: { type: 'line', interpolate: 'step-after' },
        encoding: {
          x: { field: 'tS', type: 'quantitative', title: 'simulated time (s)' },
          y: { field: 'value', type: 'quantitative', title: yTitle, ...(percent ? { axis: { format: '.0%' } } : {}) },
          color: { field: 'series', type: 'nominal', title: null, legend: { labelLimit: 240 } },
        },
      },
      ...(faults.length === 0
        ? []
        : [
            {
              data: { values: faults },
              mark: { type: 'rule', color: '#d55e00', strokeDash: [4, 3] },
              encoding: { x: { field: 'tS', type: 'quantitative' }, tooltip: [{ field: 'fault', type: 'nominal' }] },
            },
            {
              data: { values: faults },
              mark: { type: 'text', color: '#d55e00', align: 'left', dx: 3, dy: -4, fontSize: 9, baseline: 'top', y: 0 },
              encoding: { x: { field: 'tS', type: 'quantitative' }, text: { field: 'fault', type: 'nominal' } },
            },
          ]),
    ],
  };
}

/**
 * Replica lag, leader load and anomaly rates over simulated time, faults marked — how a surge or a
 * crash builds up and drains.
 */
export function timeSeriesChart(rows: readonly TimeSeriesRow[], faultLog: readonly { tS: number; fault: string }[], scenario: string): ChartSpec {
  const lag: Point[] = [];
  const leader: Point[] = [];
  const anomalies: Point[] = [];
  const faults = [...faultLog];
  for (const row of rows) {
    for (const node of row.nodes) {
      if (node.lagMs !== null) lag.push({ tS: row.tS, series: node.name, value: node.lagMs });
      else leader.push({ tS: row.tS, series: `${node.name} utilisation`, value: node.utilisation });
    }
    if (row.leaderShare !== null) leader.push({ tS: row.tS, series: 'share of key-reads on a leader', value: row.leaderShare });
    for (const name of ['ryw', 'mr', 'cp'] as const) {
      const rate = row.rates[name];
      if (rate !== null) anomalies.push({ tS: row.tS, series: ANOMALY_LABELS[name], value: rate });
    }
  }
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: `${scenario} over time`, subtitle: 'each point covers the interval ending at its time; dashed lines mark faults' },
    vconcat: [
      panel('Replica lag (time since the oldest unapplied commit)', 'lag (ms)', lag, faults, false),
      panel('Leader load', 'share', leader, faults, true),
      panel('Anomalies among eligible key-reads', 'violation rate', anomalies, faults, true),
    ],
    resolve: { scale: { color: 'independent' } },
  } as ChartSpec;
}
