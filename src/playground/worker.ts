/**
 * The playground's Web Worker: lagsim's own scenario validation, simulator, strategies and checker
 * (src/cli/pipeline.ts's simulate), run on scenario text exactly as `lagsim run` runs a file.
 * The page cancels a run by terminating this worker and starting a fresh one.
 */
import { flagNames } from '../checks/anomalies.js';
import { simulate } from '../cli/pipeline.js';
import { SessionStory } from '../report/sessionStory.js';
import type { ExplainedOperation } from '../report/explain.js';
import { withStrategy } from '../scenario/buildModel.js';
import { InputError } from '../scenario/errors.js';
import { parseScenarioText } from '../scenario/load.js';
import type { Scenario } from '../scenario/schema.js';
import type { ScenarioInput, WorkerReply, WorkerRequest } from './protocol.js';

interface WorkerScope {
  postMessage(message: WorkerReply): void;
  onmessage: ((event: { data: WorkerRequest }) => void) | null;
}
const scope = globalThis as unknown as WorkerScope;

/** The scenario `lagsim run <file> --set ... [--strategy s]` simulates. */
export function scenarioOf(input: ScenarioInput, extra: readonly string[] = []): Scenario {
  const loaded = parseScenarioText(input.text, input.sourceName, '.', [...input.overrides, ...extra]);
  return input.strategy === null ? loaded : withStrategy(loaded, input.strategy);
}

/** How many samples the lag-over-time chart gets at most. */
const SERIES_POINTS = 200;

function run(id: number, input: ScenarioInput): void {
  const scenario = scenarioOf(input);
  const started = performance.now();
  let lastPostMs = -Infinity;
  // The numbers: a run exactly as lagsim run's (no time series: its sample events count in `events`).
  const { summary } = simulate(scenario, {
    onPartial(nowUs, endUs, partial) {
      const nowMs = performance.now();
      // The first slice at once (first numbers fast), then at most 10 a second.
      if (nowMs - lastPostMs < 100 && nowUs < endUs) return;
      lastPostMs = nowMs;
      scope.postMessage({ kind: 'partial', id, nowUs, endUs, partial });
    },
  });
  const wallMs = performance.now() - started;
  scope.postMessage({ kind: 'done', id, summary, series: null, story: null, wallMs });
  // The lag over time, and the first session with an anomaly: the same run again, sampled.
  const spanUs = scenario.warmup + scenario.duration;
  const intervalUs = Math.max(1000, Math.ceil(spanUs / SERIES_POINTS / 1000) * 1000);
  let first: number | null = null;
  let firstStale: number | null = null;
  const sampled = simulate(scenario, {
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
    simulate(scenario, {
      onOperation(session, op, flags, simulator) {
        const explained = story.onOperation(session, op, flags, simulator);
        if (explained !== null) operations.push(explained);
      },
    });
  }
  scope.postMessage({ kind: 'done', id, summary, series, story: { sessionId, group: story.groupName, operations }, wallMs });
}

function handle(request: WorkerRequest): void {
  try {
    if (request.kind === 'run') run(request.id, request.input);
    else if (request.kind === 'sweep') {
      for (const point of request.extra) {
        const summary = simulate(scenarioOf(request.input, point.overrides)).summary;
        scope.postMessage({ kind: 'point', id: request.id, label: point.label, value: point.value, summary });
      }
      scope.postMessage({ kind: 'finished', id: request.id });
    } else {
      for (const [index, name] of request.strategies.entries()) {
        const summary = simulate(scenarioOf({ ...request.input, strategy: name })).summary;
        scope.postMessage({ kind: 'point', id: request.id, label: name, value: index, summary });
      }
      scope.postMessage({ kind: 'finished', id: request.id });
    }
  } catch (error) {
    const line = error instanceof InputError ? error.format() : `lagsim: internal error: ${error instanceof Error ? error.message : String(error)}`;
    scope.postMessage({ kind: 'error', id: request.id, line });
  }
}

scope.onmessage = (event) => handle(event.data);
