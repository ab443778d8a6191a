import { withheldReason, type Precision } from './batchMeans.js';
import type { QueueStats } from '../model/queueing.js';
import { toMs, type MsSummary } from './collector.js';
import { LatencyHistogram } from './latency.js';
import { wilson, type Interval } from './wilson.js';

/** One node's queueing apart from service (scenario `report.queueing`). */
export interface NodeQueueingSummary {
  node: string;
  /** Requests whose service started in the measured window. */
  requests: number;
  /** Time waiting for a service slot (0 for a request that found one free). */
  waitMs: MsSummary;
  /** Service time alone. */
  serviceMs: MsSummary;
  /** Time-average number of requests waiting (not in service). */
  meanQueueLength: number;
  /** Share of requests that waited, with its 95% interval (batch means over the run: docs/statistics.md). */
  pWait: number | null;
  pWaitInterval: Interval | null;
  /** Why a node with requests has no interval of P(wait) (present only then; docs/statistics.md). */
  pWaitIntervalWithheld?: string;
}

/** Per-node histograms of queue wait and service time, fed by the simulator's onServiceStart hook. */
export class QueueingCollector {
  private readonly waitUs: LatencyHistogram[] = [];
  private readonly serviceUs: LatencyHistogram[] = [];

  onServiceStart(node: number, waitUs: number, serviceUs: number): void {
    while (this.waitUs.length <= node) {
      this.waitUs.push(new LatencyHistogram());
      this.serviceUs.push(new LatencyHistogram());
    }
    this.waitUs[node]!.record(waitUs);
    this.serviceUs[node]!.record(serviceUs);
  }

  /** `pWaitPrecision(node)`: the interval of the node's P(wait) (batch means); Wilson's without it. */
  summaries(names: readonly string[], stats: readonly QueueStats[], pWaitPrecision?: (node: number) => Precision): NodeQueueingSummary[] {
    const empty = new LatencyHistogram();
    return names.map((node, i) => {
      const s = stats[i]!;
      const precision = pWaitPrecision?.(i);
      return {
        node,
        requests: s.started,
        waitMs: toMs((this.waitUs[i] ?? empty).toJSON()),
        serviceMs: toMs((this.serviceUs[i] ?? empty).toJSON()),
        meanQueueLength: s.meanQueueLength,
        pWait: s.started === 0 ? null : s.waited / s.started,
        pWaitInterval: precision === undefined ? wilson(s.waited, s.started) : precision.interval,
        ...(precision !== undefined && precision.interval === null && s.started > 0 ? { pWaitIntervalWithheld: withheldReason(precision) } : {}),
      };
    });
  }
}
