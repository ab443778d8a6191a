/**
 * The replica-lag-over-time series of one measured run: a passive observer of the log entries'
 * (c_i, a_i) as the simulator schedules their applies, so the series belongs to exactly the run whose
 * summary goes beside it, with no second simulation.
 */
import type { Simulator } from '../../model/simulator.js';
import type { LagSeries } from '../../report/sweepData.js';
import { LagSampler, sampleStepUs } from './lagSampler.js';

const ms = (us: number): number => Math.round(us) / 1000;

export class ReplicaLagRecorder {
  private readonly samplers: (LagSampler | undefined)[] = [];
  private stepUs = 0;
  private endUs = 0;

  /** For SimulateOptions.onApplyScheduled. */
  readonly onApplyScheduled = (node: number, commitUs: number, applyUs: number, simulator: Simulator): void => {
    this.samplerOf(node, simulator).onEntry(commitUs, applyUs);
  };

  /** The series' end and time step: the run's own, taken from its simulator the first time one is at hand. */
  private start(simulator: Simulator): void {
    if (this.endUs > 0) return;
    this.endUs = simulator.endUs;
    this.stepUs = sampleStepUs(this.endUs);
  }

  private samplerOf(node: number, simulator: Simulator): LagSampler {
    this.start(simulator);
    let sampler = this.samplers[node];
    if (sampler === undefined) {
      sampler = new LagSampler(this.stepUs, this.endUs);
      this.samplers[node] = sampler;
    }
    return sampler;
  }

  /** The series of every replica, after the run (a replica that applied nothing has lag 0 throughout). */
  series(simulator: Simulator): LagSeries {
    this.start(simulator);
    const replicas: number[] = [];
    simulator.cluster.nodeReplica.forEach((log, node) => {
      if (log !== null) replicas.push(node);
    });
    return {
      stepMs: this.stepUs / 1000,
      warmupMs: simulator.spec.warmupUs / 1000,
      endMs: this.endUs / 1000,
      nodes: replicas.map((node) => {
        const sampler = this.samplerOf(node, simulator);
        sampler.finish();
        return { node: simulator.cluster.nodeNames[node]!, lagMs: sampler.lagUs.map(ms), peakMs: sampler.peakUs.map(ms) };
      }),
    };
  }
}
