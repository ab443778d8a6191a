import { formatDuration } from '../scenario/duration.js';

/** A one-line progress bar on stderr (only used when stderr is a terminal). */
export function progressReporter(label: string): (nowUs: number, endUs: number) => void {
  let lastPercent = -1;
  return (nowUs, endUs) => {
    const percent = Math.min(100, Math.floor((nowUs / endUs) * 100));
    if (percent === lastPercent) return;
    lastPercent = percent;
    const width = 30;
    const filled = Math.round((percent / 100) * width);
    process.stderr.write(
      `\r${label} [${'='.repeat(filled)}${' '.repeat(width - filled)}] ${String(percent).padStart(3)}% of ${formatDuration(endUs)}`,
    );
    if (percent === 100) process.stderr.write('\n');
  };
}
