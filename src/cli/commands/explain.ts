import { flagNames, isGuarantee } from '../../checks/anomalies.js';
import type { Operation } from '../../model/operation.js';
import type { Session } from '../../model/session.js';
import type { Simulator } from '../../model/simulator.js';
import { OutputSet } from '../../report/outputSet.js';
import { chartWindowUs, explainChart, explainText, type ExplainedOperation } from '../../report/explain.js';
import { compileChart, renderSvg } from '../../report/render.js';
import { SessionStory } from '../../report/sessionStory.js';
import { withStrategy } from '../../scenario/buildModel.js';
import { parseDuration } from '../../model/duration.js';
import { InputError } from '../../text/errors.js';
import { loadScenario } from '../../run/load.js';
import type { Scenario } from '../../scenario/schema.js';
import { messages } from '../../text/messages.js';
import { ExitCode } from '../../text/exitCodes.js';
import { simulate } from '../../run/pipeline.js';
import { checkOutputFile } from '../../run/outputPaths.js';
import { givenOptions, reproduceCommand, type RunContext } from '../../text/reproduce.js';
import { flagOverrides } from './run.js';

export interface ExplainOptions {
  session?: string;
  from?: string;
  to?: string;
  chart?: string;
  seed?: string;
  duration?: string;
  set: string[];
  strategy?: string;
}

/** Stops the first pass as soon as a session shows an anomaly. */
class Found {
  constructor(readonly sessionId: number) {}
}

/** The first session (by completion time) with a counted read that violates a guarantee, else the first with a stale read. */
function firstAnomalousSession(scenario: Scenario): number | null {
  let firstStale: number | null = null;
  try {
    simulate(scenario, {
      onOperation(session, op, flags) {
        if (op.warmup || flags === 0) return;
        if (flagNames(flags).some(isGuarantee)) throw new Found(session.id);
        firstStale ??= session.id;
      },
    });
  } catch (error) {
    if (error instanceof Found) return error.sessionId;
    throw error;
  }
  return firstStale;
}

/** `lagsim explain`: one session's operations in order, each anomaly with the reason its definition gives. */
export async function explainCommand(file: string, options: ExplainOptions, context: RunContext): Promise<ExitCode> {
  const given = context.options ?? [];
  context.options = [...given, ...givenOptions([['--session', options.session]])];
  const overrides = flagOverrides(options);
  context.overrides = overrides;
  const loaded = loadScenario(file, overrides);
  const scenario = options.strategy === undefined ? loaded : withStrategy(loaded, options.strategy);
  context.seed = scenario.seed;
  const fromUs = options.from === undefined ? 0 : parseDuration(options.from, '--from');
  const toUs = options.to === undefined ? Infinity : parseDuration(options.to, '--to');
  if (toUs < fromUs) throw new InputError('--to', undefined, messages.toBeforeFrom(options.from!, options.to!));
  const chartPath = options.chart === undefined ? undefined : checkOutputFile('--chart', options.chart);

  let sessionId: number | null;
  if (options.session !== undefined) {
    sessionId = Number(options.session);
    if (!Number.isInteger(sessionId) || sessionId < 1) throw new InputError('--session', undefined, messages.expectedSessionNumber(options.session));
  } else {
    sessionId = firstAnomalousSession(scenario);
  }
  // The session found is the one to reproduce.
  if (sessionId !== null) context.options = [...given, '--session', String(sessionId)];

  const operations: ExplainedOperation[] = [];
  const story = new SessionStory(sessionId);
  const { simulator: finished } = simulate(scenario, {
    onOperation(session: Session, op: Operation, flags: number, simulator: Simulator) {
      const explained = story.onOperation(session, op, flags, simulator);
      if (explained !== null && explained.startUs >= fromUs && explained.startUs <= toUs) operations.push(explained);
    },
    // When each write was actually applied: faults after its commit move its applies, a failover can drop them.
    onApplied: (node, position, applyUs, simulator) => story.onApplied(node, position, applyUs, simulator),
  });
  story.finish(finished);
  const groupName = story.groupName;
  const disagreements = story.disagreements;
  if (sessionId !== null && sessionId > finished.sessions.reduce((max, s) => Math.max(max, s.id), 0)) {
    throw new InputError('--session', undefined, messages.unknownSession(sessionId));
  }
  process.stdout.write(
    explainText({
      scenario: scenario.name,
      strategy: scenario.strategy.name,
      seed: scenario.seed,
      sessionId,
      group: groupName,
      operations,
      reproduce: reproduceCommand({ ...context, command: 'explain' }),
    }),
  );
  if (disagreements > 0) throw new Error(`explain's reasons disagree with the checker on ${disagreements} reads`);
  if (chartPath !== undefined && sessionId !== null) {
    const outputs = new OutputSet();
    try {
      const window = chartWindowUs(operations, options.from === undefined ? undefined : fromUs, options.to === undefined ? undefined : toUs);
      const compiled = compileChart(explainChart(operations, sessionId, scenario.name, window));
      outputs.write(chartPath, await renderSvg(compiled.vega));
      outputs.commit();
    } catch (error) {
      outputs.abort();
      throw error;
    }
  }
  return ExitCode.ok;
}
