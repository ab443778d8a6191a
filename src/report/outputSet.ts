/**
 * A command's output files as one set, written all or nothing: each file goes to a temporary name
 * (`<file>.tmp-<pid>`) beside it, and only `commit` renames them into place, after every one is
 * complete. `abort` removes the temporaries and the folders the set created; so does SIGINT or
 * SIGTERM while a set has temporaries on disk (then the process exits with 130 or 143, the shells'
 * convention), and any exit before `commit`.
 *
 * The signal handlers are installed when the first file is staged, not before: a handler delays
 * Ctrl-C while a simulation holds the main thread, so commands stage files only once the main
 * thread is free (after simulating, or while a worker simulates).
 */
import { mkdirSync, readdirSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

const live = new Set<OutputSet>();
let handlersInstalled = false;

const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

function abortLive(): void {
  for (const set of [...live]) set.abort();
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const [signal, code] of Object.entries(SIGNAL_EXIT_CODES)) {
    process.on(signal, () => {
      abortLive();
      process.exit(code);
    });
  }
  process.on('exit', abortLive);
}

/** The temporary name of `file` while its set is being written. */
export function temporaryPath(file: string): string {
  return `${file}.tmp-${process.pid}`;
}

/** Whether process `pid` still runs (a process of another user counts as running). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes `<file>.tmp-<pid>` left beside `file` by a run that was killed (kill -9 gives no chance
 * to clean up): only those whose process is gone, so a run writing the same file now keeps its own.
 */
export function removeStaleTemporaries(file: string): void {
  const prefix = `${basename(file)}.tmp-`;
  let names: string[];
  try {
    names = readdirSync(dirname(file));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = name.slice(prefix.length);
    if (/^\d+$/.test(pid) && Number(pid) !== process.pid && !isRunning(Number(pid))) rmSync(join(dirname(file), name), { force: true });
  }
}

export class OutputSet {
  /** Final path → temporary path, in the order staged (the order they are renamed in). */
  private readonly staged = new Map<string, string>();
  /** Folders this set created, outermost first. */
  private readonly createdFolders: string[] = [];
  /** Files to remove when the set is committed (an earlier run's output this one does not write). */
  private readonly removals = new Set<string>();
  private done = false;

  /**
   * Reserves `file` and returns the temporary path to write instead (its folders are created now).
   * The caller may write the temporary itself, e.g. a stream; `write` is the usual way.
   */
  stage(file: string): string {
    if (this.done) throw new Error('output set: staged after commit or abort');
    const final = resolve(file);
    const existing = this.staged.get(final);
    if (existing !== undefined) return existing;
    this.createFolders(dirname(final));
    removeStaleTemporaries(final);
    const temporary = temporaryPath(final);
    this.staged.set(final, temporary);
    live.add(this);
    installHandlers();
    return temporary;
  }

  /** Writes `content` to `file`'s temporary; it replaces `file` at commit. */
  write(file: string, content: string | Uint8Array): void {
    writeFileSync(this.stage(file), content);
  }

  /** Removes `file` at commit (if it exists then). */
  removeAtCommit(file: string): void {
    this.removals.add(resolve(file));
  }

  /** Renames every temporary into place and removes what `removeAtCommit` named. */
  commit(): void {
    if (this.done) return;
    try {
      for (const [final, temporary] of this.staged) renameSync(temporary, final);
      for (const file of this.removals) if (!this.staged.has(file)) rmSync(file, { force: true });
    } catch (error) {
      this.abort();
      throw error;
    }
    this.done = true;
    live.delete(this);
  }

  /** Removes the temporaries and the (still empty) folders this set created. Safe to call twice. */
  abort(): void {
    if (this.done) return;
    this.done = true;
    live.delete(this);
    for (const temporary of this.staged.values()) rmSync(temporary, { force: true });
    for (const folder of [...this.createdFolders].reverse()) {
      try {
        rmdirSync(folder);
      } catch {
        // Not empty (something else wrote there) or already gone: leave it.
      }
    }
  }

  private createFolders(folder: string): void {
    const missing: string[] = [];
    for (let dir = folder; ; dir = dirname(dir)) {
      try {
        statSync(dir);
        break;
      } catch {
        missing.push(dir);
      }
      if (dirname(dir) === dir) break;
    }
    for (const dir of missing.reverse()) {
      mkdirSync(dir);
      this.createdFolders.push(dir);
    }
  }
}
