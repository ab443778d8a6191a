import type { Reason } from '../checks/reasons.js';
import { ms, versionText } from '../checks/anomaly/definition.js';
import { ANOMALY_BY_NAME, ANOMALIES, ANOMALY_TITLES, GUARANTEES, isGuarantee } from '../checks/anomalies.js';
import type { ChartSpec } from './charts/common.js';

interface OperationBase {
  startUs: number;
  endUs: number;
  warmup: boolean;
  failed: boolean;
  /** A reaction to an anomaly (client group `reactions`): resubmit or refresh. */
  reaction?: string;
  /** A read that replay cancelled (replica group `replayConflicts`). */
  cancelled?: boolean;
  flags: string[];
  reasons: Reason[];
}

export type ExplainedOperation =
  | (OperationBase & {
      kind: 'write';
      key: string;
      version: number;
      commitUs: number;
      node: string;
      deps: [string, number][];
      /**
       * When the write was applied on each replica (Infinity: never — still held or cut off at the
       * end, or `lost`: dropped in a failover, the new leader never had it).
       */
      applies: { node: string; atUs: number; lost?: true }[];
    })
  | (OperationBase & {
      kind: 'read';
      reads: { key: string; version: number; node: string; leader: number }[];
      attempts: number;
      redirects: number;
      retries: number;
      waits: number;
      waitUs: number;
      rounds: number;
    });

export interface ExplainInput {
  scenario: string;
  strategy: string;
  seed: number;
  sessionId: number | null;
  group: string;
  operations: ExplainedOperation[];
  reproduce: string;
}

/** A violation in the words of its definition (semantics.md section 3). */
export function reasonText(reason: Reason): string {
  const text = `read ${reason.key} at ${versionText(reason.returned)} from ${reason.node}`.replace('at absent', 'absent');
  return ANOMALY_BY_NAME[reason.anomaly].story({ key: reason.key, text }, reason.source);
}

/** One session's story, operation by operation. */
export function explainText(input: ExplainInput): string {
  const lines: string[] = [];
  if (input.sessionId === null) {
    lines.push(`${input.scenario} (strategy ${input.strategy}, seed ${input.seed}): no session showed an anomaly.`);
    return `${lines.join('\n')}\n`;
  }
  lines.push(`session ${input.sessionId} (group ${input.group}) · ${input.scenario} · strategy ${input.strategy} · seed ${input.seed}`);
  lines.push('times are simulated milliseconds since the start; (w) marks warm-up operations, not counted');
  lines.push('');
  for (const op of input.operations) {
    const at = `${ms(op.startUs).padStart(10)}${op.warmup ? ' (w)' : '    '}${op.reaction === undefined ? '' : `  (reaction: ${op.reaction})`}`;
    if (op.kind === 'write') {
      if (op.failed) {
        lines.push(`${at}  write ${op.key} FAILED (no leader could take it), answer at ${ms(op.endUs)} ms`);
        continue;
      }
      const deps = op.deps.length === 0 ? '' : `, depends on ${op.deps.map(([k, v]) => `${k}@${v}`).join(', ')}`;
      lines.push(
        `${at}  write ${op.key} → version ${op.version} on ${op.node}: committed at ${ms(op.commitUs)} ms, acknowledged at ${ms(op.endUs)} ms${deps}`,
      );
      for (const apply of op.applies) {
        // When the replica actually applied the write (SessionStory): faults after the commit move it.
        const told = Number.isFinite(apply.atUs)
          ? `applied on ${apply.node} at ${ms(apply.atUs)} ms (${ms(apply.atUs - op.commitUs)} ms after commit)`
          : `never applied on ${apply.node} (${apply.lost === true ? 'lost in the failover: the new leader never had it' : 'cut off'})`;
        lines.push(`${' '.repeat(16)}${told}`);
      }
      continue;
    }
    if (op.failed && op.cancelled === true) {
      lines.push(`${at}  read CANCELLED by replay on ${op.reads[0]?.node ?? 'its replica'} (a hot-standby conflict past maxDelay), answer at ${ms(op.endUs)} ms`);
      continue;
    }
    if (op.failed) {
      lines.push(`${at}  read FAILED: no node could serve it (${op.attempts} attempts), answer at ${ms(op.endUs)} ms`);
      continue;
    }
    const parts = op.reads.map(
      (r) => `${r.key} ${versionText(r.version)} from ${r.node} (leader had ${versionText(r.leader).replace('version ', '')})`,
    );
    const costs: string[] = [];
    if (op.waits > 0) costs.push(`waited ${ms(op.waitUs)} ms`);
    if (op.redirects > 0) costs.push(`${op.redirects} redirect${op.redirects > 1 ? 's' : ''}`);
    if (op.retries > 0) costs.push(`${op.retries} retr${op.retries > 1 ? 'ies' : 'y'}`);
    if (op.rounds > 0) costs.push(`${op.rounds} re-read round${op.rounds > 1 ? 's' : ''}`);
    const flags = op.flags.length === 0 ? '' : `  [${op.flags.map((f) => ANOMALY_TITLES[f as keyof typeof ANOMALY_TITLES] ?? f).join(', ')}]`;
    lines.push(`${at}  read ${parts.join('; ')}, done at ${ms(op.endUs)} ms${costs.length ? ` (${costs.join(', ')})` : ''}${flags}`);
    for (const reason of op.reasons) lines.push(`${' '.repeat(16)}✗ ${ANOMALY_TITLES[reason.anomaly]}: ${reasonText(reason)}`);
  }
  lines.push('');
  lines.push(countLine(input.operations));
  lines.push(`reproduce: ${input.reproduce}`);
  return `${lines.join('\n')}\n`;
}

/** The counted reads of a story and how many broke a guarantee (not only stale), per anomaly. */
export function readCounts(operations: readonly ExplainedOperation[]): { reads: number; violating: number; byAnomaly: Record<string, number> } {
  let reads = 0;
  let violating = 0;
  const byAnomaly: Record<string, number> = {};
  for (const op of operations) {
    if (op.kind !== 'read' || op.warmup || op.failed) continue;
    reads++;
    if (op.flags.some(isGuarantee)) violating++;
    for (const flag of op.flags) byAnomaly[flag] = (byAnomaly[flag] ?? 0) + 1;
  }
  return { reads, violating, byAnomaly };
}

/** "6 violations in 31 reads (read-your-writes 4, monotonic reads 2; 9 stale reads)". */
export function countLine(operations: readonly ExplainedOperation[]): string {
  const { reads, violating, byAnomaly } = readCounts(operations);
  const parts = GUARANTEES.filter((name) => byAnomaly[name] !== undefined).map((name) => `${ANOMALY_TITLES[name]} ${byAnomaly[name]}`);
  const measures = ANOMALIES.filter((name) => !GUARANTEES.includes(name) && byAnomaly[name] !== undefined).map((name) => {
    const n = byAnomaly[name]!;
    return `${n} ${ANOMALY_TITLES[name]}${n === 1 ? '' : 's'}`;
  });
  const warmup = operations.filter((op) => op.kind === 'read' && op.warmup && !op.failed).length;
  const detail = [
    parts.join(', '),
    ...measures,
    warmup > 0 ? `${warmup} warm-up read${warmup === 1 ? '' : 's'} not counted` : '',
  ]
    .filter((part) => part !== '')
    .join('; ');
  return `${violating} violation${violating === 1 ? '' : 's'} in ${reads} counted read${reads === 1 ? '' : 's'}${detail === '' ? '' : ` (${detail})`}`;
}

/** A chart window: the one asked for, else 20 s around the first violation when the story is longer than a minute. */
export function chartWindowUs(
  operations: readonly ExplainedOperation[],
  fromUs: number | undefined,
  toUs: number | undefined,
): { fromUs: number; toUs: number; chosen: boolean } {
  const firstUs = Math.min(...operations.map((op) => op.startUs));
  const lastUs = Math.max(...operations.map((op) => (op.kind === 'write' ? Math.max(op.endUs, ...op.applies.filter((a) => Number.isFinite(a.atUs)).map((a) => a.atUs)) : op.endUs)));
  if (fromUs !== undefined || toUs !== undefined || operations.length === 0) {
    return { fromUs: fromUs ?? (Number.isFinite(firstUs) ? firstUs : 0), toUs: toUs ?? (Number.isFinite(lastUs) ? lastUs : 1), chosen: false };
  }
  if (lastUs - firstUs <= 60e6) return { fromUs: firstUs, toUs: lastUs, chosen: false };
  const violation = (op: ExplainedOperation): boolean => op.kind === 'read' && op.flags.some((flag) => flag !== 'stale');
  const first = operations.find((op) => violation(op) && !op.warmup) ?? operations.find(violation) ?? operations[0]!;
  const from = Math.max(firstUs, first.startUs - 10e6);
  return { fromUs: from, toUs: from + 20e6, chosen: true };
}

const EVENT_COLOURS: Record<string, string> = {
  'write committed': '#0072b2',
  'write applied': '#56b4e9',
  read: '#009e73',
  'stale read': '#e69f00',
  'read with an anomaly': '#d55e00',
};

/** The timeline's points (commits, applies, reads) inside the window, and each write's line from commit to apply. */
function timelineMarks(operations: readonly ExplainedOperation[], fromMs: number, toMs: number) {
  const inWindow = (tMs: number): boolean => tMs >= fromMs && tMs <= toMs;
  const marks: { node: string; tMs: number; event: string; detail: string; label: string }[] = [];
  const propagation: { node: string; commitMs: number; applyMs: number; leader: string; detail: string }[] = [];
  const nodes = new Set<string>();
  for (const op of operations) {
    if (op.failed) continue;
    if (op.kind === 'write') {
      nodes.add(op.node);
      const detail = `${op.key} v${op.version}`;
      if (inWindow(op.commitUs / 1000)) marks.push({ node: op.node, tMs: op.commitUs / 1000, event: 'write committed', detail, label: '' });
      for (const apply of op.applies) {
        nodes.add(apply.node);
        if (!Number.isFinite(apply.atUs)) continue;
        const applyMs = apply.atUs / 1000;
        if (applyMs >= fromMs && op.commitUs / 1000 <= toMs) propagation.push({ node: apply.node, leader: op.node, commitMs: op.commitUs / 1000, applyMs, detail });
        if (inWindow(applyMs)) marks.push({ node: apply.node, tMs: applyMs, event: 'write applied', detail, label: '' });
      }
    } else {
      const violated = op.flags.filter(isGuarantee);
      const event = violated.length > 0 ? 'read with an anomaly' : op.flags.includes('stale') ? 'stale read' : 'read';
      for (const r of op.reads) {
        nodes.add(r.node);
        if (!inWindow(op.startUs / 1000)) continue;
        marks.push({
          node: r.node,
          tMs: op.startUs / 1000,
          event,
          detail: `${r.key} ${versionText(r.version)}`,
          label: violated.map((flag) => ANOMALY_TITLES[flag as keyof typeof ANOMALY_TITLES] ?? flag).join(', '),
        });
      }
    }
  }
  return { marks, propagation, nodes };
}

/**
 * A timeline with one lane per node: each write a line from its commit on the leader to its apply
 * on every replica, each read a point on the node that served it, violations in red with the
 * anomaly named; the x-axis is exactly the window (`--from`/`--to`, or 20 s around the first
 * violation of a long story).
 */
export function explainChart(
  operations: readonly ExplainedOperation[],
  sessionId: number,
  scenario: string,
  window: { fromUs: number; toUs: number; chosen: boolean },
): ChartSpec {
  const fromMs = window.fromUs / 1000;
  const toMs = Math.max(window.toUs / 1000, fromMs + 1);
  const { marks, propagation, nodes } = timelineMarks(operations, fromMs, toMs);
  const lanes = [...nodes].sort();
  const x = { field: 'tMs', type: 'quantitative', title: 'simulated time (ms)', scale: { domain: [fromMs, toMs], nice: false } };
  const y = { field: 'node', type: 'nominal', title: null, sort: lanes, scale: { domain: lanes } };
  const { reads, violating } = readCounts(operations);
  const windowText = `${(fromMs / 1000).toFixed(1)}–${(toMs / 1000).toFixed(1)} s${window.chosen ? ' (around the first counted violation; --from/--to choose another)' : ''}`;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `Session ${sessionId} of ${scenario}: ${violating} violation${violating === 1 ? '' : 's'} in ${reads} counted reads`,
      subtitle: `one lane per node; lines run from a write's commit to its apply on each replica · ${windowText}`,
    },
    width: 720,
    height: { step: 48 },
    layer: [
      {
        data: { values: propagation },
        mark: { type: 'rule', color: '#56b4e9', opacity: 0.6, clip: true },
        encoding: { x: { ...x, field: 'commitMs' }, x2: { field: 'applyMs' }, y: { ...y, field: 'leader' }, y2: { field: 'node' }, tooltip: [{ field: 'detail', type: 'nominal', title: 'write' }] },
      },
      {
        data: { values: marks },
        layer: [
          {
            mark: { type: 'point', filled: true, size: 110, opacity: 0.9, clip: true },
            encoding: {
              x,
              y,
              shape: { field: 'event', type: 'nominal', title: 'event', scale: { domain: Object.keys(EVENT_COLOURS), range: ['triangle-up', 'square', 'circle', 'circle', 'diamond'] } },
              color: { field: 'event', type: 'nominal', title: 'event', legend: { labelLimit: 0 }, scale: { domain: Object.keys(EVENT_COLOURS), range: Object.values(EVENT_COLOURS) } },
              tooltip: [
                { field: 'event', type: 'nominal' },
                { field: 'detail', type: 'nominal' },
                { field: 'label', type: 'nominal', title: 'anomaly' },
                { field: 'tMs', type: 'quantitative', title: 'time (ms)', format: ',.1f' },
              ],
            },
          },
          {
            transform: [{ filter: "datum.label !== ''" }],
            mark: { type: 'text', color: '#d55e00', dy: -14, fontSize: 10, clip: true },
            encoding: { x, y, text: { field: 'label', type: 'nominal' } },
          },
        ],
      },
    ],
  } as ChartSpec;
}
