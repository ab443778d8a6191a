import { GUARANTEES } from '../../checks/anomalies.js';
import type { TimeSeriesRow } from '../../metrics/timeSeries.js';
import { ANOMALY_LABELS, VEGA_LITE_SCHEMA, type ChartSpec } from './common.js';

interface Point {
  tS: number;
  series: string;
  value: number;
}

export interface FaultLabel {
  tS: number;
  fault: string;
  /** The label row (0 at the top): labels that would overlap go to rows below. */
  row: number;
}

const PANEL_WIDTH_PX = 640;
const LABEL_CHAR_PX = 5.6;
const LABEL_ROW_PX = 12;
const MAX_LABEL_ROWS = 8;

/**
 * Rows for the fault labels so that none overlaps another: each label takes the first row whose
 * last label ends (with its estimated width at 9 px type) before it starts.
 */
export function faultLabelRows(faults: readonly { tS: number; fault: string }[], endS: number): FaultLabel[] {
  const rowEndsPx: number[] = [];
  return [...faults]
    .sort((a, b) => a.tS - b.tS)
    .map(({ tS, fault }) => {
      const startPx = (tS / endS) * PANEL_WIDTH_PX;
      let row = rowEndsPx.findIndex((endPx) => endPx < startPx);
      if (row < 0) row = rowEndsPx.length < MAX_LABEL_ROWS ? rowEndsPx.length : rowEndsPx.indexOf(Math.min(...rowEndsPx));
      rowEndsPx[row] = startPx + 4 + fault.length * LABEL_CHAR_PX;
      return { tS, fault, row };
    });
}

/** One panel: lines over simulated time on the chart's shared x-domain, faults as dashed rules. */
function panel(title: string, yTitle: string, values: Point[], faults: readonly FaultLabel[], x: object, percent: boolean): object {
  return {
    title: { text: title, anchor: 'start', fontSize: 13 },
    width: PANEL_WIDTH_PX,
    height: 140,
    layer: [
      {
        data: { values },
        mark: { type: 'line', interpolate: 'step-after', clip: true },
        encoding: {
          x,
          // `~` trims trailing zeros: 0.5%, 1%, 1.5% rather than 1%, 1%, 2%.
          y: { field: 'value', type: 'quantitative', title: yTitle, ...(percent ? { axis: { format: '.2~%' } } : { axis: { format: ',~f' } }) },
          color: { field: 'series', type: 'nominal', title: null, legend: { labelLimit: 0, orient: 'right' } },
        },
      },
      ...(faults.length === 0
        ? []
        : [
            {
              data: { values: faults },
              mark: { type: 'rule', color: '#d55e00', strokeDash: [4, 3] },
              encoding: { x, tooltip: [{ field: 'fault', type: 'nominal' }] },
            },
          ]),
    ],
  };
}

/** The row of fault labels above the panels, each label at its fault's time on the shared axis. */
function faultStrip(faults: readonly FaultLabel[], x: object): object {
  const rows = Math.max(...faults.map((f) => f.row)) + 1;
  return {
    title: { text: 'Faults and alerts (+ starts, − ends)', anchor: 'start', fontSize: 13 },
    width: PANEL_WIDTH_PX,
    height: rows * LABEL_ROW_PX + 4,
    data: { values: faults },
    layer: [
      { mark: { type: 'rule', color: '#d55e00', strokeDash: [4, 3] }, encoding: { x: { ...x, axis: null } } },
      {
        mark: { type: 'text', color: '#d55e00', align: 'left', dx: 3, fontSize: 9, baseline: 'top' },
        encoding: {
          x: { ...x, axis: null },
          y: { field: 'row', type: 'ordinal', axis: null, scale: { range: [2, rows * LABEL_ROW_PX + 2] } },
          text: { field: 'fault', type: 'nominal' },
        },
      },
    ],
  };
}

/**
 * Replica lag, throughput, queues, leader load and anomaly rates over simulated time on one shared
 * time axis (warm-up included), faults marked in every panel and labelled once above them — how a
 * surge or a crash builds up and drains.
 */
export function timeSeriesChart(rows: readonly TimeSeriesRow[], faultLog: readonly { tS: number; fault: string }[], scenario: string): ChartSpec {
  const lag: Point[] = [];
  const throughput: Point[] = [];
  const queues: Point[] = [];
  const leader: Point[] = [];
  const anomalies: Point[] = [];
  const anyFailed = rows.some((row) => row.failedPerS > 0);
  for (const row of rows) {
    throughput.push({ tS: row.tS, series: 'reads/s', value: row.readsPerS }, { tS: row.tS, series: 'writes/s', value: row.writesPerS });
    if (anyFailed) throughput.push({ tS: row.tS, series: 'failed/s', value: row.failedPerS });
    for (const node of row.nodes) {
      if (node.lagMs !== null) lag.push({ tS: row.tS, series: node.name, value: node.lagMs });
      else if (node.utilisation !== null) leader.push({ tS: row.tS, series: `${node.name} utilisation`, value: node.utilisation });
      queues.push({ tS: row.tS, series: node.name, value: node.queued });
    }
    if (row.leaderShare !== null) leader.push({ tS: row.tS, series: 'share of key-reads on a leader', value: row.leaderShare });
    for (const name of GUARANTEES) {
      const rate = row.rates[name];
      if (rate !== null) anomalies.push({ tS: row.tS, series: ANOMALY_LABELS[name], value: rate });
    }
  }
  const endS = Math.max(1e-9, ...rows.map((row) => row.tS));
  const x = { field: 'tS', type: 'quantitative', title: 'simulated time (s)', scale: { domain: [0, endS], nice: false } };
  const faults = faultLabelRows(faultLog, endS);
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: `${scenario} over time`, subtitle: 'each point covers the interval ending at its time; warm-up included; dashed lines mark faults' },
    vconcat: [
      ...(faults.length === 0 ? [] : [faultStrip(faults, x)]),
      // A panel with nothing to draw is left out (no replica, no eligible key-read): an empty y-domain cannot be drawn.
      ...(
        [
          ['Replica lag (time since the oldest unapplied commit)', 'lag (ms)', lag, false],
          ['Throughput (operations completed per second)', 'per second', throughput, false],
          ['Queue length (requests waiting for a slot)', 'requests waiting', queues, false],
          ['Leader load', 'share', leader, true],
          ['Anomalies among eligible key-reads (after warm-up)', 'violation rate', anomalies, true],
        ] as const
      )
        .filter(([, , values]) => values.length > 0)
        .map(([title, yTitle, values, percent]) => panel(title, yTitle, values, faults, x, percent)),
    ],
    resolve: { scale: { color: 'independent', x: 'shared' } },
  } as ChartSpec;
}
