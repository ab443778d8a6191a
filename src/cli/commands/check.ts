import { ANOMALIES } from '../../checks/anomalies.js';
import { checkHistoryFile } from '../../run/checkHistoryFile.js';
import { historyCheckProgress } from '../../run/progress.js';
import { binnedPrecision } from '../../metrics/runBatches.js';
import { anomaliesSummary } from '../../report/summary.js';
import { ANOMALY_TITLES } from '../../report/summaryTable.js';
import { count, percent, percentWithInterval, table } from '../../report/format.js';
import { ExitCode } from '../../text/exitCodes.js';
import { LAGSIM_VERSION } from '../../text/version.js';

/** `lagsim check HISTORY`: recount every anomaly from a history file and compare with its flags. */
export function checkCommand(file: string, options: { json?: boolean }): ExitCode {
  const result = checkHistoryFile(file, process.stderr.isTTY ? (bytes) => historyCheckProgress(`checking ${file}`, bytes) : undefined);
  const anomalies = anomaliesSummary(result.counts, (name) => binnedPrecision(result.bins, name));
  const keyReads = result.counts.stale.keyReads;
  // The run's costs.leaderShare, recounted: the share of counted key-reads their shard's leader answered.
  const leaderShare = keyReads === 0 ? null : result.leaderKeyReads / keyReads;
  if (options.json) {
    const { mismatches, leaderMismatches, reads, writes, failed, leaderKeyReads } = result;
    const report = {
      lagsim: LAGSIM_VERSION,
      anomalies,
      reads,
      writes,
      failed,
      leaderKeyReads,
      leaderShare,
      flagMismatches: mismatches.length,
      mismatches: mismatches.slice(0, 20),
      leaderFieldMismatches: leaderMismatches.length,
      leaderFields: leaderMismatches.slice(0, 20),
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    const rows = [['', 'violations', 'key-reads', 'eligible', 'rate among eligible']];
    for (const name of ANOMALIES) {
      const a = anomalies[name];
      rows.push([ANOMALY_TITLES[name], count(a.violations), count(a.keyReads), count(a.eligible), percentWithInterval(a.rateEligible, a.rateEligibleInterval)]);
    }
    process.stdout.write(`${file}: ${count(result.reads)} reads, ${count(result.writes)} writes, ${count(result.failed)} failed (warm-up excluded)\n`);
    process.stdout.write(`${table(rows)}\n`);
    process.stdout.write(`leader share ${percent(leaderShare, 2)}: ${count(result.leaderKeyReads)} of ${count(keyReads)} key-reads answered by their shard's leader\n`);
    for (const m of result.mismatches.slice(0, 10)) {
      process.stdout.write(`line ${m.line}: session ${m.session} at t0=${m.t0}: flags ${JSON.stringify(m.found)}, the definitions give ${JSON.stringify(m.expected)}\n`);
    }
    for (const m of result.leaderMismatches.slice(0, 10)) {
      process.stdout.write(`line ${m.line}: ${m.key}: "leader": ${m.found}, but the write records give ${m.expected ?? 'no write by t0'}\n`);
    }
    process.stdout.write(result.mismatches.length === 0 ? 'every flag agrees with the definitions\n' : `${result.mismatches.length} reads disagree\n`);
    if (result.leaderMismatches.length > 0) {
      process.stdout.write(`${result.leaderMismatches.length} "leader" fields disagree with the write records (the recount uses the write records)\n`);
    }
  }
  return result.mismatches.length === 0 && result.leaderMismatches.length === 0 ? ExitCode.ok : ExitCode.checkFailed;
}
