import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { flagNames } from '../checks/anomalies.js';
import { ABSENT, type KeyTable } from '../model/keys.js';
import { OpKind, type Operation } from '../model/operation.js';
import { REACTION_NAMES } from '../model/reactions.js';

const CHUNK_BYTES = 1 << 16;
/** A temporary name an OutputSet staged: written in place, renamed by the set. */
const STAGED_RE = /\.tmp-\d+$/;

/**
 * Streams the history export (semantics.md section 4) to a file: one JSON object per completed
 * operation, ordered by t1 and then by session number. Records completing at one instant wait in a
 * small buffer until time moves on; everything else goes straight out, so memory stays flat.
 * The file appears only when complete (written to a temporary name, renamed at `close`). A path
 * that is already a temporary name (`<file>.tmp-<pid>`, staged by an OutputSet that renames it with
 * the command's other outputs) is written in place.
 */
export class HistoryWriter {
  private readonly fd: number;
  private readonly temporaryPath: string;
  private chunk = '';
  private pendingUs = -1;
  private readonly pending: { session: number; line: string }[] = [];
  records = 0;

  constructor(
    private readonly path: string,
    private readonly keys: KeyTable,
    private readonly nodeNames: readonly string[],
  ) {
    this.temporaryPath = STAGED_RE.test(path) ? path : `${path}.tmp-${process.pid}`;
    this.fd = openSync(this.temporaryPath, 'w');
  }

  write(sessionId: number, op: Operation, flags: number): void {
    const name = (keyId: number): string => JSON.stringify(this.keys.get(keyId).name);
    let line: string;
    if (op.kind === OpKind.Write) {
      const deps: string[] = [];
      for (let i = 0; i < op.deps.length; i += 2) deps.push(`[${name(op.deps[i]!)},${op.deps[i + 1]}]`);
      line =
        `{"type":"write","session":${sessionId},"t0":${op.startUs},"tc":${op.commitUs},"t1":${op.endUs},` +
        `"key":${name(op.keyIds[0]!)},"shard":${op.keyShards[0]},"version":${op.version},"deps":[${deps.join(',')}],` +
        `"node":${JSON.stringify(this.nodeNames[op.node])}`;
      // A failed write that committed (its leader crashed while it waited for its synchronous
      // quorum) keeps its commit: its version may have been read, and it counts as committed.
      if (op.failed) {
        line =
          op.version > 0
            ? `${line},"failed":true`
            : `{"type":"write","session":${sessionId},"t0":${op.startUs},"t1":${op.endUs},"key":${name(op.keyIds[0]!)},"failed":true`;
      }
    } else if (op.failed) {
      line = `{"type":"read","session":${sessionId},"t0":${op.startUs},"t1":${op.endUs},"failed":true`;
      if (op.cancelled) line += ',"cancelled":true';
    } else {
      const reads: string[] = [];
      for (let i = 0; i < op.keyCount; i++) {
        const version = op.returned[i]!;
        const leader = op.leaderVersions[i]!;
        reads.push(
          `{"key":${name(op.keyIds[i]!)},"version":${version === ABSENT ? 'null' : version},` +
            `"node":${JSON.stringify(this.nodeNames[op.servedBy[i]!])},"leader":${leader === ABSENT ? 'null' : leader}}`,
        );
      }
      const flagList = flagNames(flags)
        .map((flag) => `"${flag}"`)
        .join(',');
      line = `{"type":"read","session":${sessionId},"t0":${op.startUs},"t1":${op.endUs},"reads":[${reads.join(',')}],"flags":[${flagList}]`;
    }
    if (op.reaction !== 0) line += `,"reaction":"${REACTION_NAMES[op.reaction]}"`;
    if (op.warmup) line += ',"warmup":true';
    this.add(op.endUs, sessionId, `${line}}\n`);
  }

  /** Any other record (failover), placed by its time. */
  writeRecord(atUs: number, record: Record<string, unknown>): void {
    this.add(atUs, 0, `${JSON.stringify(record)}\n`);
  }

  close(): void {
    this.flushPending();
    this.flushChunk();
    closeSync(this.fd);
    if (this.temporaryPath !== this.path) renameSync(this.temporaryPath, this.path);
  }

  /** Removes the partial file (on error). */
  abort(): void {
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
    rmSync(this.temporaryPath, { force: true });
  }

  private add(atUs: number, session: number, line: string): void {
    if (atUs !== this.pendingUs) {
      this.flushPending();
      this.pendingUs = atUs;
    }
    this.pending.push({ session, line });
    this.records++;
  }

  private flushPending(): void {
    const pending = this.pending;
    if (pending.length > 1) pending.sort((x, y) => x.session - y.session);
    for (const record of pending) {
      this.chunk += record.line;
      if (this.chunk.length >= CHUNK_BYTES) this.flushChunk();
    }
    pending.length = 0;
  }

  private flushChunk(): void {
    if (this.chunk.length > 0) writeSync(this.fd, this.chunk);
    this.chunk = '';
  }
}
