/**
 * The one progress bar of lagsim, on stderr (callers use it only when stderr is a terminal): a
 * label, a bar of 30 cells and a text saying how far. It redraws at most ten times a second, and
 * always when the count changes its whole percent or reaches the end, which ends the line.
 * Wall-clock time is read only here, for the display, never by a simulation.
 */
import { formatDuration } from '../model/duration.js';

const WIDTH = 30;
const REDRAW_NS = 100_000_000n;

export interface ProgressOutput {
  write(text: string): void;
  /** Monotonic time in ns. */
  now(): bigint;
}

const stderrOutput: ProgressOutput = { write: (text) => process.stderr.write(text), now: () => process.hrtime.bigint() };

/** How far, in whole percent (100 when there is nothing to do). */
function wholePercent(done: number, total: number): number {
  return total <= 0 ? 100 : Math.min(100, Math.floor((done / total) * 100));
}

/** "  7%": whole percent, right-aligned in three characters. */
const percentText = (done: number, total: number): string => `${String(wholePercent(done, total)).padStart(3)}%`;

export class ProgressBar {
  private done: number;
  private readonly startedNs: bigint;
  private lastDrawNs: bigint | null = null;
  private lastPercent = -1;
  private ended = false;

  /** `describe(done, total, elapsedS)` is the text after the bar. */
  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly describe: (done: number, total: number, elapsedS: number) => string,
    alreadyDone = 0,
    private readonly output: ProgressOutput = stderrOutput,
  ) {
    this.done = alreadyDone;
    this.startedNs = output.now();
  }

  /** Sets how much is done; redraws when worth it. */
  update(done: number): void {
    this.done = Math.min(done, this.total);
    const now = this.output.now();
    const percent = this.percent();
    const finished = this.done >= this.total;
    const recent = this.lastDrawNs !== null && now - this.lastDrawNs <= REDRAW_NS;
    if (!finished && percent === this.lastPercent && recent) return;
    this.draw(now, percent, finished);
  }

  /** One more done. */
  tick(): void {
    this.update(this.done + 1);
  }

  /** Ends a line left unfinished (the work stopped on an error), so that what follows starts a line of its own. */
  stop(): void {
    if (this.lastDrawNs === null || this.ended) return;
    this.output.write('\n');
    this.ended = true;
  }

  /** Draws the current state now (e.g. the resumed count, before anything runs). */
  show(): void {
    this.draw(this.output.now(), this.percent(), this.done >= this.total);
  }

  private percent(): number {
    return wholePercent(this.done, this.total);
  }

  private draw(now: bigint, percent: number, finished: boolean): void {
    if (this.ended) return;
    this.lastDrawNs = now;
    this.lastPercent = percent;
    const filled = Math.round((percent / 100) * WIDTH);
    const elapsedS = Number(now - this.startedNs) / 1e9;
    this.output.write(`\r${this.label} [${'='.repeat(filled)}${' '.repeat(WIDTH - filled)}] ${this.describe(this.done, this.total, elapsedS)}\x1b[K`);
    if (finished) {
      this.output.write('\n');
      this.ended = true;
    }
  }
}

/** A bar over simulated time, for one run: "42% of 10 min". */
export function progressReporter(label: string, output?: ProgressOutput): (nowUs: number, endUs: number) => void {
  let bar: ProgressBar | null = null;
  return (nowUs, endUs) => {
    bar ??= new ProgressBar(label, endUs, (done, total) => `${percentText(done, total)} of ${formatDuration(total)}`, 0, output);
    bar.update(nowUs);
  };
}

/** A bar over a sweep's simulations: "12/40 simulations, 3.1 s, ~8 s left". */
export function simulationsProgress(label: string, total: number, alreadyDone: number, output?: ProgressOutput): ProgressBar {
  const bar = new ProgressBar(
    label,
    total,
    (done, all, elapsedS) => {
      const fresh = done - alreadyDone;
      const leftS = fresh <= 0 ? null : (elapsedS / fresh) * (all - done);
      const eta = leftS === null || done === all ? '' : `, ~${Math.ceil(leftS)} s left`;
      return `${done}/${all} simulations, ${elapsedS.toFixed(1)} s${eta}`;
    },
    alreadyDone,
    output,
  );
  bar.show();
  return bar;
}

/** A bar over the two passes of `lagsim check` through a history of `bytes`: " 62%, pass 2 of 2 over 87 MiB". */
export function historyCheckProgress(label: string, bytes: number, output?: ProgressOutput): ProgressBar {
  const size = `${Math.max(1, Math.round(bytes / 1048576)).toLocaleString('en-US')} MiB`;
  return new ProgressBar(
    label,
    2 * bytes,
    (done, total) => `${percentText(done, total)}, pass ${done <= bytes ? 1 : 2} of 2 over ${size}`,
    0,
    output,
  );
}
