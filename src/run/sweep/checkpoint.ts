/**
 * Resumable sweeps: each finished task is saved (atomically) under `<out>/.lagsim-partial.tmp/<fingerprint>/`
 * as soon as it completes, so rerunning an interrupted sweep runs only what is missing. The
 * fingerprint covers the sweep's definition and every grid point's validated scenario, so a
 * changed scenario, --set, --vary or --seeds never reuses old results. The folder is removed once
 * the outputs are written (its `.tmp` suffix keeps it out of version control meanwhile).
 */
import { readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../report/atomicWrite.js';
import type { TaskRecord, TaskRef } from '../../report/sweepData.js';

export const PARTIAL_DIR = '.lagsim-partial.tmp';

interface Saved {
  fingerprint: string;
  record: TaskRecord;
}

export class Checkpoint {
  private readonly root: string;
  private readonly dir: string;

  constructor(
    outDir: string,
    private readonly fingerprint: string,
  ) {
    this.root = join(outDir, PARTIAL_DIR);
    this.dir = join(this.root, fingerprint.slice(0, 24));
  }

  private file(task: number): string {
    return join(this.dir, `task-${task}.json`);
  }

  /** The saved record of `ref`, if a previous run of the same sweep finished it. */
  load(ref: TaskRef): TaskRecord | undefined {
    let text: string;
    try {
      text = readFileSync(this.file(ref.task), 'utf8');
    } catch {
      return undefined;
    }
    try {
      const saved = JSON.parse(text) as Saved;
      const r = saved.record;
      if (saved.fingerprint !== this.fingerprint || r.task !== ref.task || r.kind !== ref.kind || r.point !== ref.point || r.seed !== ref.seed) {
        return undefined;
      }
      return r;
    } catch {
      return undefined;
    }
  }

  save(record: TaskRecord): void {
    const saved: Saved = { fingerprint: this.fingerprint, record };
    writeFileAtomic(this.file(record.task), JSON.stringify(saved));
  }

  /**
   * Removes what was saved once the outputs are written: after a whole sweep, the whole folder
   * (with anything an earlier, different sweep left); after a shard, only its own records (other
   * shards may share the folder), then the folders if they are empty.
   */
  clear(refs: readonly TaskRef[], whole: boolean): void {
    if (whole) {
      rmSync(this.root, { recursive: true, force: true });
      return;
    }
    const mine = new Set(refs.map((ref) => `task-${ref.task}.json`));
    let names: string[] = [];
    try {
      names = readdirSync(this.dir);
    } catch {
      return;
    }
    for (const name of names) {
      // A record, or the temporary file of one that was being written when a run was killed.
      if (mine.has(name.replace(/\.tmp-\d+$/, ''))) rmSync(join(this.dir, name), { force: true });
    }
    for (const dir of [this.dir, this.root]) {
      try {
        if (readdirSync(dir).length === 0) rmdirSync(dir);
      } catch {
        // Already gone.
      }
    }
  }
}
