import { flagNames } from '../../checks/anomalies.js';
import { SessionReasons, type Reason } from '../../checks/reasons.js';
import { OpKind, type Operation } from '../../model/operation.js';
import { REACTION_NAMES } from '../../model/reactions.js';
import type { Session } from '../../model/session.js';
import type { Simulator } from '../../model/simulator.js';
import { OutputSet } from '../../report/outputSet.js';
import { explainChart, explainText, type ExplainedOperation } from '../../report/explain.js';
import { compileChart, renderSvg } from '../../report/render.js';
import { withStrategy } from '../../scenario/buildModel.js';
import { parseDuration } from '../../scenario/duration.js';
import { InputError } from '../../scenario/errors.js';
import { loadScenario } from '../../scenario/load.js';
import type { Scenario } from '../../scenario/schema.js';
import { messages } from '../messages.js';
import { ExitCode } from '../exitCodes.js';
import { simulate } from '../pipeline.js';
import { checkOutputFile } from '../outputPaths.js';
import { givenOptions, reproduceCommand, type RunContext } from '../reproduce.js';
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

/** The first session (by completion time) with a counted read that violates ryw, mr or cp, else stale. */
function firstAnomalousSession(scenario: Scenario): number | null {
  let firstStale: number | null = null;
  try {
    simulate(scenario, {
      onOperation(session, op, flags) {
        if (op.warmup || flags === 0) return;
        if (flagNames(flags).some((f) => f !== 'stale')) throw new Found(session.id);
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
  context.file = file;
  const given = givenOptions([
    ['--from', options.from],
    ['--to', options.to],
    ['--chart', options.chart],
  ]);
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
  const reasons = new SessionReasons();
  let groupName = '';
  let disagreements = 0;
  const { simulator: finished } = simulate(scenario, {
    onOperation(session: Session, op: Operation, flags: number, simulator: Simulator) {
      if (session.id !== sessionId) return;
      groupName = session.group.name;
      const keyName = (id: number): string => simulator.keys.records[id]?.name ?? `#${id}`;
      const nodeName = (node: number): string => simulator.nodeNames[node] ?? '?';
      let explained: ExplainedOperation;
      if (op.kind === OpKind.Write) {
        const key = keyName(op.keyIds[0]!);
        if (!op.failed) reasons.write(key, op.version, op.endUs, op.writtenPast, keyName);
        explained = {
          kind: 'write',
          startUs: op.startUs,
          endUs: op.endUs,
          warmup: op.warmup,
          failed: op.failed,
          ...(op.reaction === 0 ? {} : { reaction: REACTION_NAMES[op.reaction]! }),
          ...(op.cancelled ? { cancelled: true } : {}),
          key,
          version: op.version,
          commitUs: op.commitUs,
          node: nodeName(op.node),
          deps: pairs(op.deps).map(([k, v]) => [keyName(k), v]),
          applies: op.applyNodes.map((node, i) => ({ node: nodeName(node), atUs: op.applyUs[i]! })),
          flags: [],
          reasons: [],
        };
      } else {
        const reads = [];
        for (let i = 0; i < op.keyCount; i++) {
          reads.push({
            key: keyName(op.keyIds[i]!),
            version: op.returned[i]!,
            node: nodeName(op.servedBy[i]!),
            leader: op.leaderVersions[i]!,
            past: op.returnedPasts[i] ?? null,
          });
        }
        let found: { flags: number; reasons: Reason[] } = { flags: 0, reasons: [] };
        if (!op.failed) found = reasons.read(op.startUs, reads, keyName);
        if (found.flags !== flags) disagreements++;
        explained = {
          kind: 'read',
          startUs: op.startUs,
          endUs: op.endUs,
          warmup: op.warmup,
          failed: op.failed,
          ...(op.reaction === 0 ? {} : { reaction: REACTION_NAMES[op.reaction]! }),
          ...(op.cancelled ? { cancelled: true } : {}),
          reads: reads.map(({ key, version, node, leader }) => ({ key, version, node, leader })),
          attempts: op.attempts,
          redirects: op.redirects,
          retries: op.retries,
          waits: op.waits,
          waitUs: op.waitUs,
          rounds: op.rounds,
          flags: flagNames(flags),
          reasons: found.reasons,
        };
      }
      if (explained.startUs >= fromUs && explained.startUs <= toUs) operations.push(explained);
    },
  });
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
      const compiled = compileChart(explainChart(operations, sessionId, scenario.name));
      outputs.write(chartPath, await renderSvg(compiled.vega));
      outputs.commit();
    } catch (error) {
      outputs.abort();
      throw error;
    }
  }
  return ExitCode.ok;
}

function pairs(flat: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
}
