import type { Reason } from '../checks/reasons.js';
import { versionText } from '../checks/reasons.js';
import { ANOMALY_TITLES } from './summaryTable.js';
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
      applies: { node: string; atUs: number }[];
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

const ms = (us: number): string => (us / 1000).toFixed(1);

/** A violation in the words of its definition (semantics.md section 3). */
export function reasonText(reason: Reason): string {
  const read = `read ${reason.key} at ${versionText(reason.returned)} from ${reason.node}`.replace('at absent', 'absent');
  switch (reason.anomaly) {
    case 'ryw':
      return `${read}, but this session wrote ${versionText(reason.wrote)} of it (acknowledged at t=${ms(reason.wroteAtUs)} ms)`;
    case 'mr':
      return `${read}, but this session had already seen ${versionText(reason.saw)} (read at t=${ms(reason.sawAtUs)} ms from ${reason.sawOn})`;
    case 'cp':
      return `${read}, but this session has seen ${reason.because} at ${versionText(reason.becauseVersion)}, whose causal past requires ${reason.key} at ${versionText(reason.required)}`;
    case 'stale':
      return `${read}, but ${versionText(reason.leader)} had been committed before the read started`;
  }
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
        const when = Number.isFinite(apply.atUs) ? `${ms(apply.atUs)} ms (${ms(apply.atUs - op.commitUs)} ms after commit)` : 'never (cut off)';
        lines.push(`${' '.repeat(16)}applied on ${apply.node} at ${when}`);
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
  lines.push(`reproduce: ${input.reproduce}`);
  return `${lines.join('\n')}\n`;
}

/** A timeline: nodes as rows, simulated time across; writes, applies and reads as marks, anomalies in red. */
export function explainChart(operations: readonly ExplainedOperation[], sessionId: number, scenario: string): ChartSpec {
  const marks: { node: string; tMs: number; event: string; detail: string }[] = [];
  for (const op of operations) {
    if (op.failed) continue;
    if (op.kind === 'write') {
      marks.push({ node: op.node, tMs: op.commitUs / 1000, event: 'write committed', detail: `${op.key} v${op.version}` });
      for (const apply of op.applies) {
        if (Number.isFinite(apply.atUs)) marks.push({ node: apply.node, tMs: apply.atUs / 1000, event: 'write applied', detail: `${op.key} v${op.version}` });
      }
    } else {
      const anomalous = op.flags.some((f) => f !== 'stale');
      for (const r of op.reads) {
        marks.push({
          node: r.node,
          tMs: op.startUs / 1000,
          event: anomalous ? 'read with an anomaly' : 'read',
          detail: `${r.key} ${versionText(r.version)}`,
        });
      }
    }
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `Session ${sessionId} of ${scenario}`, subtitle: 'what it wrote, where each write was applied, and what each read returned' },
    width: 640,
    height: { step: 36 },
    data: { values: marks },
    mark: { type: 'point', filled: true, size: 90 },
    encoding: {
      x: { field: 'tMs', type: 'quantitative', title: 'simulated time (ms)' },
      y: { field: 'node', type: 'nominal', title: 'node', sort: 'ascending' },
      shape: { field: 'event', type: 'nominal', title: 'event', legend: { labelLimit: 240 } },
      color: {
        field: 'event',
        type: 'nominal',
        title: 'event',
        legend: { labelLimit: 240 },
        scale: {
          domain: ['write committed', 'write applied', 'read', 'read with an anomaly'],
          range: ['#0072b2', '#56b4e9', '#009e73', '#d55e00'],
        },
      },
      tooltip: [
        { field: 'event', type: 'nominal' },
        { field: 'detail', type: 'nominal' },
        { field: 'tMs', type: 'quantitative', title: 'time (ms)' },
      ],
    },
  } as ChartSpec;
}
