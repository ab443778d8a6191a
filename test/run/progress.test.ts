// The one progress bar: what it draws, when it redraws, and that it ends its line once.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ProgressBar, historyCheckProgress, progressReporter, simulationsProgress, type ProgressOutput } from '../../src/run/progress.js';

/** An output that records what is written, with a clock the test moves. */
function fakeOutput(): ProgressOutput & { text: string[]; advanceMs(ms: number): void } {
  let ns = 0n;
  const text: string[] = [];
  return { text, write: (t) => void text.push(t), now: () => ns, advanceMs: (ms) => void (ns += BigInt(ms) * 1_000_000n) };
}

describe('ProgressBar', () => {
  it('redraws on a new whole percent or after 100 ms, ends the line once', () => {
    const out = fakeOutput();
    const bar = new ProgressBar('work', 1000, (done, total) => `${done}/${total}`, 0, out);
    bar.update(1); // 0%: first draw
    bar.update(2); // still 0%, 0 ms later: no redraw
    out.advanceMs(150);
    bar.update(3); // 0%, but 150 ms later: redraw
    bar.update(500); // 50%
    bar.update(1000);
    bar.update(1000); // already ended: nothing
    assert.deepEqual(out.text, [
      `\rwork [${' '.repeat(30)}] 1/1000\x1b[K`,
      `\rwork [${' '.repeat(30)}] 3/1000\x1b[K`,
      `\rwork [${'='.repeat(15)}${' '.repeat(15)}] 500/1000\x1b[K`,
      `\rwork [${'='.repeat(30)}] 1000/1000\x1b[K`,
      '\n',
    ]);
  });

  it('over simulated time: percent of the duration', () => {
    const out = fakeOutput();
    const report = progressReporter('simulating x', out);
    report(150_000_000, 600_000_000);
    report(600_000_000, 600_000_000);
    assert.deepEqual(out.text, [`\rsimulating x [${'='.repeat(8)}${' '.repeat(22)}]  25% of 10 min\x1b[K`, `\rsimulating x [${'='.repeat(30)}] 100% of 10 min\x1b[K`, '\n']);
  });

  it('over simulations: resumed ones shown at once, time left from the fresh ones', () => {
    const out = fakeOutput();
    const bar = simulationsProgress('sweep x', 10, 4, out);
    out.advanceMs(2000);
    bar.tick(); // 5 of 10: one fresh simulation in 2 s, five left: ~10 s
    assert.deepEqual(out.text, [
      `\rsweep x [${'='.repeat(12)}${' '.repeat(18)}] 4/10 simulations, 0.0 s\x1b[K`,
      `\rsweep x [${'='.repeat(15)}${' '.repeat(15)}] 5/10 simulations, 2.0 s, ~10 s left\x1b[K`,
    ]);
  });
});

describe('historyCheckProgress', () => {
  it('one bar over both passes through the file; stop ends a line the work left unfinished', () => {
    const out = fakeOutput();
    const bar = historyCheckProgress('checking h.jsonl', 3 * 1048576, out);
    bar.update(1048576);
    bar.update(4 * 1048576);
    bar.stop();
    bar.stop();
    assert.deepEqual(out.text, [
      `\rchecking h.jsonl [${'='.repeat(5)}${' '.repeat(25)}]  16%, pass 1 of 2 over 3 MiB\x1b[K`,
      `\rchecking h.jsonl [${'='.repeat(20)}${' '.repeat(10)}]  66%, pass 2 of 2 over 3 MiB\x1b[K`,
      '\n',
    ]);
    const finished = fakeOutput();
    const whole = historyCheckProgress('checking h.jsonl', 10, finished);
    whole.update(20);
    whole.stop();
    assert.deepEqual(finished.text, [`\rchecking h.jsonl [${'='.repeat(30)}] 100%, pass 2 of 2 over 1 MiB\x1b[K`, '\n']);
  });
});
