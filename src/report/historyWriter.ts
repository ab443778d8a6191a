import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { ANOMALIES, flagNames } from '../checks/anomalies.js';
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
  /** The lines completing at `pendingUs` and their sessions, in completion order (the first `pendingCount`). */
  private readonly pendingLines: string[] = [];
  private readonly pendingSessions: number[] = [];
  private pendingCount = 0;
  /** Each node's name as a JSON string. */
  private readonly quotedNodes: readonly string[];
  /** Per key id, the JSON string of the name it had when last written (ids are reused: checked against the name). */
  private readonly quotedKeys: string[] = [];
  private readonly quotedFor: string[] = [];
  /** The `"flags":[…]` list of each set of flag bits. */
  private readonly flagLists: readonly string[];
  records = 0;

  constructor(
    private readonly path: string,
    private readonly keys: KeyTable,
    nodeNames: readonly string[],
  ) {
    this.temporaryPath = STAGED_RE.test(path) ? path : `${path}.tmp-${process.pid}`;
    this.fd = openSync(this.temporaryPath, 'w');
    this.quotedNodes = nodeNames.map((name) => JSON.stringify(name));
    this.flagLists = Array.from({ length: 1 << ANOMALIES.length }, (_, bits) => JSON.stringify(flagNames(bits)));
  }

  write(sessionId: number, op: Operation, flags: number): void {
    const head = `{"type":"${op.kind === OpKind.Write ? 'write' : 'read'}","session":${sessionId},"t0":${op.startUs}`;
    let line: string;
    if (op.kind === OpKind.Write) {
      // A failed write that committed (its leader crashed while it waited for its synchronous
      // quorum) keeps its commit: its version may have been read, and it counts as committed.
      if (op.failed && op.version === 0) line = `${head},"t1":${op.endUs},"key":${this.quotedKey(op.keyIds[0]!)},"failed":true`;
      else {
        let deps = '';
        for (let i = 0; i < op.deps.length; i += 2) deps += `${i === 0 ? '' : ','}[${this.quotedKey(op.deps[i]!)},${op.deps[i + 1]}]`;
        line =
          `${head},"tc":${op.commitUs},"t1":${op.endUs},"key":${this.quotedKey(op.keyIds[0]!)},"shard":${op.keyShards[0]},` +
          `"version":${op.version},"deps":[${deps}],"node":${this.quotedNodes[op.node]}`;
        if (op.failed) line += ',"failed":true';
      }
    } else if (op.failed) {
      line = `${head},"t1":${op.endUs},"failed":true`;
      if (op.cancelled) line += ',"cancelled":true';
    } else {
      line = `${head},"t1":${op.endUs},"reads":[`;
      for (let i = 0; i < op.keyCount; i++) {
        const version = op.returned[i]!;
        const leader = op.leaderVersions[i]!;
        line +=
          `${i === 0 ? '' : ','}{"key":${this.quotedKey(op.keyIds[i]!)},"version":${version === ABSENT ? 'null' : version},` +
          `"node":${this.quotedNodes[op.servedBy[i]!]},"leader":${leader === ABSENT ? 'null' : leader}}`;
      }
      line += `],"flags":${this.flagLists[flags]}`;
    }
    if (op.reaction !== 0) line += `,"reaction":"${REACTION_NAMES[op.reaction]}"`;
    if (op.warmup) line += ',"warmup":true';
    this.add(op.endUs, sessionId, `${line}}\n`);
  }

  private quotedKey(keyId: number): string {
    const name = this.keys.get(keyId).name;
    if (this.quotedFor[keyId] !== name) {
      this.quotedFor[keyId] = name;
      this.quotedKeys[keyId] = JSON.stringify(name);
    }
    return this.quotedKeys[keyId]!;
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
    this.pendingLines[this.pendingCount] = line;
    this.pendingSessions[this.pendingCount++] = session;
    this.records++;
  }

  /** The lines of one instant, by session (a stable order: one session's lines keep their completion order). */
  private flushPending(): void {
    const { pendingLines: lines, pendingSessions: sessions, pendingCount: count } = this;
    if (count === 1) this.append(lines[0]!);
    else if (count > 1) {
      const order = Array.from({ length: count }, (_, i) => i).sort((x, y) => sessions[x]! - sessions[y]! || x - y);
      for (const i of order) this.append(lines[i]!);
    }
    // The lines are let go (a count alone would keep the last instant's strings alive until overwritten).
    lines.fill('', 0, count);
    this.pendingCount = 0;
  }

  private append(line: string): void {
    this.chunk += line;
    if (this.chunk.length >= CHUNK_BYTES) this.flushChunk();
  }

  private flushChunk(): void {
    if (this.chunk.length > 0) writeSync(this.fd, this.chunk);
    this.chunk = '';
  }
}
