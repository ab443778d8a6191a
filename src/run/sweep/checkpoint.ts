/**
 * Resumable sweeps: each finished task is saved (atomically) under `<out>/.lagsim-partial.tmp/<fingerprint>/`
 * as soon as it completes, so rerunning an interrupted sweep runs only what is missing. The
 * fingerprint covers the sweep's definition and every grid point's validated scenario, so a
 * changed scenario, --set, --vary or --seeds never reuses old results. The folder is removed once
 * the outputs are written (its `.tmp` suffix keeps it out of version control meanwhile).
 */
import { lstatSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../../report/atomicWrite.js';
import type { TaskRecord, TaskRef } from '../../report/sweepData.js';
import { InputError } from '../../text/errors.js';
import { messages } from '../../text/messages.js';

export const PARTIAL_DIR = '.lagsim-partial.tmp';
/** The file that marks a partial folder as lagsim's own (created with it). */
const MARKER = 'lagsim-partial';

/** Whether `path` is a real folder (not a symbolic link to one), or absent (false). */
function isRealFolder(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

function ignoreExisting(create: () => void): void {
  try {
    create();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

const exists = (path: string): boolean => {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
};

interface Saved {
  fingerprint: string;
  record: TaskRecord;
}

export class Checkpoint {
  private readonly root: string;
  private readonly dir: string;

  private ready = false;

  /**
   * Refuses a partial folder that is not lagsim's — a symbolic link planted there (the sweep would
   * write outside --out and read records it did not write), a file, or a folder without the marker.
   */
  constructor(
    outDir: string,
    private readonly fingerprint: string,
  ) {
    this.root = join(outDir, PARTIAL_DIR);
    this.dir = join(this.root, fingerprint.slice(0, 24));
    if (exists(this.root) && !this.isOurs()) throw new InputError('--out', undefined, messages.partialNotOurs(this.root));
  }

  private isOurs(): boolean {
    if (!isRealFolder(this.root)) return false;
    try {
      return lstatSync(join(this.root, MARKER)).isFile() && (!exists(this.dir) || isRealFolder(this.dir));
    } catch {
      return false;
    }
  }

  /** Creates the folders on the first save, without following a link (mkdir fails on anything there). */
  private prepare(): void {
    if (this.ready) return;
    if (!exists(this.root)) {
      // Shards of one sweep may start together: the second mkdir meets the first one's folder.
      mkdirSync(dirname(this.root), { recursive: true });
      ignoreExisting(() => mkdirSync(this.root, { mode: 0o700 }));
      if (isRealFolder(this.root)) ignoreExisting(() => writeFileSync(join(this.root, MARKER), 'lagsim sweep records of unfinished runs; removed when the sweep completes\n', { flag: 'wx' }));
    }
    if (!this.isOurs()) throw new InputError('--out', undefined, messages.partialNotOurs(this.root));
    ignoreExisting(() => mkdirSync(this.dir));
    this.ready = true;
  }

  private file(task: number): string {
    return join(this.dir, `task-${task}.json`);
  }

  /** The saved record of `ref`, if a previous run of the same sweep finished it. */
  load(ref: TaskRef): TaskRecord | undefined {
    if (!exists(this.root)) return undefined;
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
    this.prepare();
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
    try {
      if (readdirSync(this.dir).length === 0) rmdirSync(this.dir);
    } catch {
      // Already gone.
    }
    for (const dir of [this.root]) {
      try {
        const rest = readdirSync(dir);
        if (rest.length === 0 || (rest.length === 1 && rest[0] === MARKER)) rmSync(dir, { recursive: true, force: true });
      } catch {
        // Already gone.
      }
    }
  }
}
