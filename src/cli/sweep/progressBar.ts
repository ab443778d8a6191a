/** A progress bar for a sweep's simulations on stderr (used only when stderr is a terminal). */
export class RunRecordsProgress {
  private done: number;
  private readonly startedNs = process.hrtime.bigint();
  private lastDrawNs = 0n;

  constructor(
    private readonly total: number,
    alreadyDone: number,
    private readonly label: string,
  ) {
    this.done = alreadyDone;
    this.draw();
  }

  tick(): void {
    this.done++;
    const now = process.hrtime.bigint();
    // Redraw at most ten times a second, and always at the end.
    if (this.done === this.total || now - this.lastDrawNs > 100_000_000n) this.draw();
  }

  private draw(): void {
    this.lastDrawNs = process.hrtime.bigint();
    const width = 30;
    const fraction = this.total === 0 ? 1 : this.done / this.total;
    const filled = Math.round(fraction * width);
    const elapsedS = Number(this.lastDrawNs - this.startedNs) / 1e9;
    const leftS = this.done === 0 ? null : (elapsedS / this.done) * (this.total - this.done);
    const eta = leftS === null || this.done === this.total ? '' : `, ~${Math.ceil(leftS)} s left`;
    process.stderr.write(
      `\r${this.label} [${'='.repeat(filled)}${' '.repeat(width - filled)}] ${this.done}/${this.total} simulations, ${elapsedS.toFixed(1)} s${eta}\x1b[K`,
    );
    if (this.done === this.total) process.stderr.write('\n');
  }
}
