/**
 * The playground's Web Worker: lagsim's own scenario validation, simulator, strategies and checker
 * (src/run/pipeline.ts's simulate), run on scenario text exactly as `lagsim run` runs a file.
 * The worker lives as long as the page: it runs in steps and drops a request as soon as a newer one
 * arrives (a slider move cancels the run in flight without waiting for a new worker to load).
 */
import { flagNames } from '../checks/anomalies.js';
import { startSimulation, type SimulationResult, type SteppedRun } from '../run/pipeline.js';
import { SessionStory } from '../report/sessionStory.js';
import type { ExplainedOperation } from '../report/explain.js';
import { withStrategy } from '../scenario/buildModel.js';
import { InputError } from '../text/errors.js';
import { noDataFiles, parseScenarioText } from '../scenario/parse.js';
import type { Scenario } from '../scenario/schema.js';
import type { ScenarioInput, WorkerReply, WorkerRequest } from './protocol.js';

interface WorkerScope {
  postMessage(message: WorkerReply): void;
  onmessage: ((event: { data: WorkerRequest }) => void) | null;
}
const scope = globalThis as unknown as WorkerScope;

/** The scenario `lagsim run <file> --set ... [--strategy s]` simulates. */
export function scenarioOf(input: ScenarioInput, extra: readonly string[] = []): Scenario {
  const loaded = parseScenarioText(input.text, input.sourceName, noDataFiles, [...input.overrides, ...extra]);
  return input.strategy === null ? loaded : withStrategy(loaded, input.strategy);
}

/** How many samples the lag-over-time chart gets at most. */
const SERIES_POINTS = 200;
/** A run advances this share of its simulated time between two looks at the page's messages. */
const STEPS = 200;

/** The newest request's id: an older one still running stops at its next step. */
let newest = 0;
class Cancelled extends Error {}

/** Lets the worker's message handler run (a newer request may arrive), without setTimeout's clamping. */
const channel = new MessageChannel();
let resume: () => void = () => undefined;
channel.port1.onmessage = () => resume();
function yieldToMessages(): Promise<void> {
  return new Promise((resolve) => {
    resume = resolve;
    channel.port2.postMessage(null);
  });
}

/** simulate(scenario, options) in steps, yielding between them; throws Cancelled once request `id` is not the newest. */
async function simulateInSteps(id: number, scenario: Scenario, options: Parameters<typeof startSimulation>[1], onStep?: (nowUs: number, run: SteppedRun) => void): Promise<SimulationResult> {
  const run = startSimulation(scenario, options);
  const stepUs = Math.max(1, Math.ceil(run.endUs / STEPS));
  for (let untilUs = stepUs; ; untilUs += stepUs) {
    const more = run.advance(untilUs);
    onStep?.(Math.min(untilUs, run.endUs), run);
    if (!more) break;
    await yieldToMessages();
    if (newest !== id) throw new Cancelled();
  }
  return run.result();
}

async function run(id: number, input: ScenarioInput): Promise<void> {
  const scenario = scenarioOf(input);
  const started = performance.now();
  let lastPostMs = -Infinity;
  // The numbers: lagsim run's run (no time series: its sample events count in `events`).
  const { summary } = await simulateInSteps(id, scenario, {}, (nowUs, stepped) => {
    const nowMs = performance.now();
    // The first step at once (first numbers fast), then at most 10 a second.
    if (nowMs - lastPostMs < 100) return;
    lastPostMs = nowMs;
    scope.postMessage({ kind: 'partial', id, nowUs, endUs: stepped.endUs, partial: stepped.partial() });
  });
  const wallMs = performance.now() - started;
  scope.postMessage({ kind: 'done', id, summary, series: null, story: null, wallMs });
  // The lag over time, and the first session with an anomaly (as lagsim explain picks it): the same run again, sampled.
  const spanUs = scenario.warmup + scenario.duration;
  const intervalUs = Math.max(1000, Math.ceil(spanUs / SERIES_POINTS / 1000) * 1000);
  let first: number | null = null;
  let firstStale: number | null = null;
  const sampled = await simulateInSteps(id, scenario, {
    timeSeriesIntervalUs: intervalUs,
    onOperation(session, op, flags) {
      if (first !== null || op.warmup || flags === 0) return;
      if (flagNames(flags).some((f) => f !== 'stale')) first = session.id;
      else firstStale ??= session.id;
    },
  });
  const ts = sampled.timeSeries!;
  const series = { rows: ts.rows, faultLog: ts.faultLog };
  scope.postMessage({ kind: 'done', id, summary, series, story: null, wallMs });
  // That session's story: the same run a third time, recording its operations.
  const sessionId = first ?? firstStale;
  const story = new SessionStory(sessionId);
  const operations: ExplainedOperation[] = [];
  if (sessionId !== null) {
    const told = await simulateInSteps(id, scenario, {
      onOperation(session, op, flags, simulator) {
        const explained = story.onOperation(session, op, flags, simulator);
        if (explained !== null) operations.push(explained);
      },
      onApplied: (node, position, applyUs, simulator) => story.onApplied(node, position, applyUs, simulator),
    });
    story.finish(told.simulator);
  }
  scope.postMessage({ kind: 'done', id, summary, series, story: { sessionId, group: story.groupName, operations }, wallMs });
}

async function handle(request: WorkerRequest): Promise<void> {
  try {
    if (request.kind === 'cancel') return;
    if (request.kind === 'run') await run(request.id, request.input);
    else if (request.kind === 'sweep') {
      for (const point of request.extra) {
        const { summary } = await simulateInSteps(request.id, scenarioOf(request.input, point.overrides), {});
        scope.postMessage({ kind: 'point', id: request.id, label: point.label, value: point.value, summary });
      }
      scope.postMessage({ kind: 'finished', id: request.id });
    } else {
      for (const [index, name] of request.strategies.entries()) {
        const { summary } = await simulateInSteps(request.id, scenarioOf({ ...request.input, strategy: name }), {});
        scope.postMessage({ kind: 'point', id: request.id, label: name, value: index, summary });
      }
      scope.postMessage({ kind: 'finished', id: request.id });
    }
  } catch (error) {
    if (error instanceof Cancelled) return;
    const line = error instanceof InputError ? error.format() : `lagsim: internal error: ${error instanceof Error ? error.message : String(error)}`;
    scope.postMessage({ kind: 'error', id: request.id, line });
  }
}

scope.onmessage = (event) => {
  newest = event.data.id;
  void handle(event.data);
};
