/**
 * The replica-lag-over-time series of one run. The pipeline (`simulate`) has no hook for the log
 * entries' apply times, so this runs the same model, seed and strategy once more with an observer
 * that only watches applies; the simulation is deterministic and observers are passive, so the
 * entries (c_i, a_i) are exactly those of the measured run. Sweeps run it for one seed of a few
 * grid points only (see plan.ts). With an apply hook in SimulateOptions this second run goes away.
 */
import { RandomStreams } from '../../engine/random.js';
import { Simulator, type OperationObserver } from '../../model/simulator.js';
import type { LagSeries } from '../../report/sweepData.js';
import { buildModel, strategyChoice } from '../../scenario/buildModel.js';
import type { Scenario } from '../../scenario/schema.js';
import { createStrategy } from '../../strategies/index.js';
import { LagSampler, sampleStepUs } from './lagSampler.js';

const ignore = (): void => {};

/** An observer that sees only applies; every other notification is ignored, whatever the interface grows to. */
function applyObserver(onApply: (node: number, commitUs: number, applyUs: number) => void): OperationObserver {
  const target = { onApplyScheduled: onApply };
  return new Proxy(target, {
    get: (object, property) => (property in object ? object[property as keyof typeof object] : ignore),
  }) as unknown as OperationObserver;
}

const ms = (us: number): number => Math.round(us) / 1000;

export function replicaLagSeries(scenario: Scenario): LagSeries {
  const model = buildModel(scenario);
  const simulator = new Simulator(model, new RandomStreams(scenario.seed));
  const strategy = createStrategy(strategyChoice(scenario), simulator);
  const endUs = model.warmupUs + model.durationUs;
  const stepUs = sampleStepUs(endUs);
  const samplers: (LagSampler | undefined)[] = [];
  const replicas: number[] = [];
  simulator.nodeReplica.forEach((log, node) => {
    if (log === null) return;
    samplers[node] = new LagSampler(stepUs, endUs);
    replicas.push(node);
  });
  simulator.run(
    strategy,
    applyObserver((node, commitUs, applyUs) => samplers[node]?.onEntry(commitUs, applyUs)),
  );
  return {
    stepMs: stepUs / 1000,
    warmupMs: model.warmupUs / 1000,
    endMs: endUs / 1000,
    nodes: replicas.map((node) => {
      const sampler = samplers[node]!;
      sampler.finish();
      return { node: simulator.nodeNames[node]!, lagMs: sampler.lagUs.map(ms), peakMs: sampler.peakUs.map(ms) };
    }),
  };
}
