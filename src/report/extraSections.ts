import { formatDuration } from '../model/duration.js';
import { count, msOf, noIntervalLine, percent, percentWithInterval, table } from './format.js';
import type { RunSummary } from './summary.js';
import type { ReactionRate } from '../metrics/reactions.js';

/**
 * The readable sections of the optional summary blocks (issue 18): queueing, reactions, replay
 * conflicts and monitoring. Each appears only when its block is in the summary, so the table of a
 * scenario without them is unchanged.
 */
export function extraSections(summary: RunSummary): string[] {
  const lines: string[] = [];
  if (summary.queueing !== undefined) {
    lines.push('', 'queueing (wait for a service slot, apart from service time)');
    const rows = [['', 'requests', 'P(wait)', 'wait mean ms', 'wait p99 ms', 'service mean ms', 'mean queue']];
    for (const q of summary.queueing) {
      rows.push([
        q.node,
        count(q.requests),
        percentWithInterval(q.pWait, q.pWaitInterval, 2),
        msOf(q.waitMs.mean, q.waitMs.count),
        msOf(q.waitMs.p99, q.waitMs.count),
        msOf(q.serviceMs.mean, q.serviceMs.count),
        q.meanQueueLength.toFixed(3),
      ]);
    }
    lines.push(table(rows));
    for (const q of summary.queueing) if (q.pWaitIntervalWithheld !== undefined) lines.push(noIntervalLine(`P(wait) of ${q.node}`, q.pWaitIntervalWithheld));
  }
  if (summary.reactions !== undefined) {
    const r = summary.reactions;
    const rate = (x: ReactionRate): string =>
      `${count(x.count)}, ${x.per1000Sessions === null ? '-' : x.per1000Sessions.toFixed(2)} per 1,000 sessions` +
      (x.interval !== null ? ` [${x.interval.low.toFixed(2)}, ${x.interval.high.toFixed(2)}]` : x.intervalWithheld !== undefined ? ` (no interval: ${x.intervalWithheld})` : '');
    lines.push('', `reactions (${count(r.sessions)} sessions; 95% intervals by batch means over simulated time)`);
    lines.push(`  duplicates (resubmitted writes)  ${rate(r.duplicates)}`);
    lines.push(`  refreshes                        ${rate(r.refreshes)}`);
    lines.push(`  abandons                         ${rate(r.abandons)}`);
  }
  if (summary.replayConflicts !== undefined) {
    lines.push('', `replay conflicts: ${count(summary.replayConflicts.cancelledReads)} reads cancelled by replay`);
  }
  if (summary.monitor !== undefined) {
    const m = summary.monitor;
    const d = (milliseconds: number): string => formatDuration(milliseconds * 1000);
    lines.push('', `monitor (replica lag scraped every ${d(m.everyMs)})`);
    const thresholds = m.replicas[0]?.shareAbove.map((s) => `> ${d(s.aboveMs)}`) ?? [];
    const rows = [['', 'scrapes', 'lag mean ms', 'lag p50 ms', 'lag p99 ms', ...thresholds]];
    for (const r of m.replicas) {
      rows.push([r.node, count(r.samples), msOf(r.lagMs.mean, r.lagMs.count), msOf(r.lagMs.p50, r.lagMs.count), msOf(r.lagMs.p99, r.lagMs.count), ...r.shareAbove.map((s) => percent(s.share, 1))]);
    }
    lines.push(table(rows));
    for (const a of m.alerts) {
      const delay = a.onsetToAlertMs === null ? '' : `, onset to alert ${(a.onsetToAlertMs.mean / 1000).toFixed(1)} s mean (${(a.onsetToAlertMs.max / 1000).toFixed(1)} s max)`;
      lines.push(
        // Counts and time in alert add up every replica's firings: time in alert can exceed the run.
        `  alert ${a.name} (lag > ${d(a.aboveMs)} for ${d(a.forMs)}), summed over replicas: fired ${a.fired}, flaps ${a.flaps}, in alert ${(a.timeInAlertMs / 1000).toFixed(1)} s${delay}`,
      );
    }
  }
  return lines;
}
