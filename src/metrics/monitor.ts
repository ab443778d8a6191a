import type { Precision } from './batchMeans.js';
import { toMs, type MsSummary } from './collector.js';
import { LatencyHistogram } from './latency.js';
import { wilson, type Interval } from './wilson.js';

/** An alert rule (scenario `monitor.alerts`): sampled lag above `aboveUs` at every sample for `forUs`. */
export interface AlertRule {
  name: string;
  aboveUs: number;
  forUs: number;
}

export interface MonitorSpec {
  everyUs: number;
  /** Thresholds for the share of time above (scenario `monitor.lagAbove`). */
  lagAboveUs: number[];
  alerts: AlertRule[];
}

export interface SampledLagSummary {
  node: string;
  samples: number;
  /** The replica lag (semantics.md section 1) at each sample: a time average, not a per-entry one. */
  lagMs: MsSummary;
  /** Share of samples above each threshold, with a Wilson interval (samples are correlated: a lower bound on the uncertainty). */
  shareAbove: { aboveMs: number; share: number | null; interval: Interval | null }[];
}

export interface AlertFiring {
  node: string;
  /** When the lag crossed the threshold (derived from the sample: t − lag + threshold). */
  onsetMs: number;
  firedMs: number;
  /** null: still firing at the end. */
  resolvedMs: number | null;
}

export interface AlertSummary {
  name: string;
  aboveMs: number;
  forMs: number;
  fired: number;
  /** Firings of a node after its first (the alert resolved and fired again). */
  flaps: number;
  /** Time firing, summed over nodes, within the measured window. */
  timeInAlertMs: number;
  onsetToAlertMs: { mean: number; max: number } | null;
  firings: AlertFiring[];
}

export interface MonitorSummary {
  everyMs: number;
  replicas: SampledLagSummary[];
  alerts: AlertSummary[];
}

interface AlertState {
  /** Onset of the current run of samples above the threshold, -1 when the last sample was not above. */
  onsetUs: number;
  /** First sample of the current run above (Prometheus: pending since). */
  pendingSinceUs: number;
  firing: AlertFiring | null;
}

/**
 * Scrapes every replica's lag every `everyUs` (like Prometheus scraping pg_stat_replication) and
 * evaluates alert rules on the scrapes as Prometheus does: a rule is pending from the first sample
 * above its threshold and fires at the first sample at least `for` later with every sample above;
 * it resolves at the first sample at or below. The lag's onset is exact: while the lag is above the
 * threshold it grows at rate 1 (the same oldest unapplied entry), so it crossed at t − lag + threshold.
 */
export class LagMonitor {
  private readonly histograms: LatencyHistogram[];
  private readonly above: number[][];
  private readonly states: AlertState[][];
  private readonly firings: AlertFiring[][];
  private samples = 0;

  constructor(
    private readonly spec: MonitorSpec,
    private readonly nodes: readonly number[],
    private readonly names: readonly string[],
    private readonly warmupUs: number,
    private readonly endUs: number,
    /** Called when an alert fires or resolves (to mark it in the time series). */
    private readonly onAlert: (atUs: number, description: string, started: boolean) => void = () => {},
  ) {
    this.histograms = nodes.map(() => new LatencyHistogram());
    this.above = nodes.map(() => spec.lagAboveUs.map(() => 0));
    this.states = spec.alerts.map(() => nodes.map(() => ({ onsetUs: -1, pendingSinceUs: -1, firing: null })));
    this.firings = spec.alerts.map(() => []);
  }

  /** One scrape at nowUs: lagUs(node) is each replica's lag now. */
  sample(nowUs: number, lagUs: (node: number) => number): void {
    if (nowUs < this.warmupUs || nowUs > this.endUs) return;
    this.samples++;
    this.nodes.forEach((node, i) => {
      const lag = lagUs(node);
      this.histograms[i]!.record(lag);
      this.spec.lagAboveUs.forEach((threshold, k) => {
        if (lag > threshold) this.above[i]![k]!++;
      });
      this.spec.alerts.forEach((rule, r) => this.evaluate(rule, r, i, nowUs, lag));
    });
  }

  private evaluate(rule: AlertRule, r: number, i: number, nowUs: number, lag: number): void {
    const state = this.states[r]![i]!;
    const description = `alert ${rule.name} ${this.names[i]}`;
    if (lag <= rule.aboveUs) {
      if (state.firing !== null) {
        state.firing.resolvedMs = nowUs / 1000;
        this.onAlert(nowUs, description, false);
      }
      state.onsetUs = -1;
      state.pendingSinceUs = -1;
      state.firing = null;
      return;
    }
    if (state.pendingSinceUs < 0) {
      state.pendingSinceUs = nowUs;
      state.onsetUs = nowUs - lag + rule.aboveUs;
    }
    if (state.firing === null && nowUs - state.pendingSinceUs >= rule.forUs) {
      state.firing = { node: this.names[i]!, onsetMs: state.onsetUs / 1000, firedMs: nowUs / 1000, resolvedMs: null };
      this.firings[r]!.push(state.firing);
      this.onAlert(nowUs, description, true);
    }
  }

  /** Scrapes so far, and those of replica i above threshold k (cumulative: batch means read them). */
  get samplesSoFar(): number {
    return this.samples;
  }

  aboveSoFar(i: number, k: number): number {
    return this.above[i]![k]!;
  }

  /** `shareAbovePrecision(i, k)`: the interval of replica i's share of scrapes above threshold k (batch means). */
  summary(shareAbovePrecision?: (i: number, k: number) => Precision): MonitorSummary {
    const replicas = this.nodes.map((_, i): SampledLagSummary => ({
      node: this.names[i]!,
      samples: this.samples,
      lagMs: toMs(this.histograms[i]!.toJSON()),
      shareAbove: this.spec.lagAboveUs.map((threshold, k) => ({
        aboveMs: threshold / 1000,
        share: this.samples === 0 ? null : this.above[i]![k]! / this.samples,
        interval: shareAbovePrecision === undefined ? wilson(this.above[i]![k]!, this.samples) : shareAbovePrecision(i, k).interval,
      })),
    }));
    const endMs = this.endUs / 1000;
    const alerts = this.spec.alerts.map((rule, r): AlertSummary => {
      const firings = this.firings[r]!;
      const perNode = new Map<string, number>();
      for (const f of firings) perNode.set(f.node, (perNode.get(f.node) ?? 0) + 1);
      let flaps = 0;
      for (const count of perNode.values()) flaps += count - 1;
      const delays = firings.map((f) => f.firedMs - f.onsetMs);
      return {
        name: rule.name,
        aboveMs: rule.aboveUs / 1000,
        forMs: rule.forUs / 1000,
        fired: firings.length,
        flaps,
        timeInAlertMs: firings.reduce((sum, f) => sum + ((f.resolvedMs ?? endMs) - f.firedMs), 0),
        onsetToAlertMs: delays.length === 0 ? null : { mean: delays.reduce((a, b) => a + b, 0) / delays.length, max: Math.max(...delays) },
        firings,
      };
    });
    return { everyMs: this.spec.everyUs / 1000, replicas, alerts };
  }
}
