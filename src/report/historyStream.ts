/**
 * The history export through the checks' stream (src/checks/checkStream.ts): each completed
 * operation goes into the stream with everything its line and its checks need, and the side that
 * applies the stream — the check thread — checks it and writes its line with the flags it gets.
 * Keys' names go along when a key id first appears or names another key (ids are reused), and
 * failover records as their JSON text. The lines are HistoryWriter's, byte for byte.
 *
 *   OPERATION length session sessionId kind t0 t1 tc bits reaction version node count
 *             (key shard returned servedBy leader past…)×count depsLength deps… writtenPast…
 *   NAME length keyId char…
 *   RECORD length t char…
 */
import { CheckScratch, EXTENDED, pastCells, writePast, type CheckStreamWriter, type HeldChecks, type StreamExtension } from '../checks/checkStream.js';
import type { ConsistencyChecker } from '../checks/consistencyChecker.js';
import { OpKind, type Operation } from '../model/operation.js';
import { HistoryWriter, type HistoryOperation, type KeyNames } from './historyWriter.js';

/** Checks held together with the run's history: an operation goes in whole, checked and written on the other side. */
export interface HeldHistory extends HeldChecks {
  /** A completed operation of session slot `session` (id `sessionId`), written and checked (unless failed). */
  operation(session: number, sessionId: number, op: Operation): void;
  /** A record other than an operation's (a failover), placed by its time. */
  record(atUs: number, record: Record<string, unknown>): void;
  /** The run is complete: the history file is closed and in place. */
  closeHistory(): void;
  /** The run failed: the unfinished history file is removed. */
  abortHistory(): void;
}

/** Where a run's history goes: its file, its nodes' names, and its keys' names as they change. */
export interface HistoryTarget {
  path: string;
  nodeNames: readonly string[];
  keys: KeyNames;
}

const OPERATION = EXTENDED;
const NAME = EXTENDED + 1;
const RECORD = EXTENDED + 2;

const FAILED = 1;
const CANCELLED = 2;
const WARMUP = 4;
/** Cells of an OPERATION entry before its keys. */
const HEAD = 13;

/** This side's half: operations, names and records into the stream. */
export class HistoryStreamWriter {
  /** The name each key id was last sent with. */
  private readonly sent: string[] = [];

  constructor(
    private readonly stream: CheckStreamWriter,
    private readonly keys: KeyNames,
  ) {}

  /** A completed operation of session slot `session` (id `sessionId`): checked unless failed, and its line written. */
  operation(session: number, sessionId: number, op: Operation): void {
    const write = op.kind === OpKind.Write;
    const count = op.keyCount;
    const deps: readonly number[] = write ? op.deps : [];
    for (let i = 0; i < count; i++) this.name(op.keyIds[i]!);
    for (let i = 0; i < deps.length; i += 2) this.name(deps[i]!);
    const writtenPast = write ? op.writtenPast : null;
    let need = HEAD + count * 5 + 1 + deps.length + pastCells(writtenPast);
    for (let i = 0; i < count; i++) need += pastCells(write ? null : (op.returnedPasts[i] ?? null));
    const stream = this.stream;
    const cells = stream.begin(need);
    let at = stream.position;
    cells[at++] = OPERATION;
    cells[at++] = need;
    cells[at++] = session;
    cells[at++] = sessionId;
    cells[at++] = op.kind;
    cells[at++] = op.startUs;
    cells[at++] = op.endUs;
    cells[at++] = op.commitUs;
    cells[at++] = (op.failed ? FAILED : 0) | (op.cancelled ? CANCELLED : 0) | (op.warmup ? WARMUP : 0);
    cells[at++] = op.reaction;
    cells[at++] = op.version;
    cells[at++] = op.node;
    cells[at++] = count;
    for (let i = 0; i < count; i++) {
      cells[at++] = op.keyIds[i]!;
      cells[at++] = op.keyShards[i]!;
      cells[at++] = op.returned[i]!;
      cells[at++] = op.servedBy[i]!;
      cells[at++] = op.leaderVersions[i]!;
      at = writePast(cells, at, write ? null : (op.returnedPasts[i] ?? null));
    }
    cells[at++] = deps.length;
    for (let i = 0; i < deps.length; i++) cells[at++] = deps[i]!;
    stream.end(writePast(cells, at, writtenPast));
  }

  /** A record other than an operation's (a failover), placed by its time. */
  record(atUs: number, record: Record<string, unknown>): void {
    this.text(RECORD, atUs, JSON.stringify(record));
  }

  private name(keyId: number): void {
    const name = this.keys.nameOf(keyId);
    if (this.sent[keyId] === name) return;
    this.sent[keyId] = name;
    this.text(NAME, keyId, name);
  }

  private text(kind: number, value: number, text: string): void {
    const need = 3 + text.length;
    const cells = this.stream.begin(need);
    let at = this.stream.position;
    cells[at++] = kind;
    cells[at++] = need;
    cells[at++] = value;
    for (let i = 0; i < text.length; i++) cells[at++] = text.charCodeAt(i);
    this.stream.end(at);
  }
}

/** One operation read back out of the stream (arrays reused from entry to entry). */
class StreamedOperation implements HistoryOperation {
  kind = OpKind.Read;
  startUs = 0;
  endUs = 0;
  commitUs = 0;
  failed = false;
  cancelled = false;
  warmup = false;
  reaction = 0;
  version = 0;
  node = 0;
  keyCount = 0;
  readonly keyIds: number[] = [];
  readonly keyShards: number[] = [];
  readonly returned: number[] = [];
  readonly servedBy: number[] = [];
  readonly leaderVersions: number[] = [];
  readonly deps: number[] = [];
}

/** The other side's half: checks each operation and writes its line (a StreamExtension of applyCheckCells). */
export class HistoryStreamApplier implements StreamExtension {
  private readonly names: string[] = [];
  private readonly op = new StreamedOperation();
  private readonly written = new CheckScratch();
  readonly writer: HistoryWriter;

  constructor(path: string, nodeNames: readonly string[]) {
    const names = this.names;
    this.writer = new HistoryWriter(path, { nameOf: (keyId) => names[keyId]! }, nodeNames);
  }

  apply(cells: Float64Array, at: number, checker: ConsistencyChecker, scratch: CheckScratch): void {
    const kind = cells[at]!;
    if (kind === NAME) this.names[cells[at + 2]!] = textOf(cells, at);
    else if (kind === RECORD) this.writer.writeRecordText(cells[at + 2]!, textOf(cells, at));
    else if (kind === OPERATION) this.operation(cells, at, checker, scratch);
    else throw new Error(`HistoryStreamApplier: unknown entry kind ${kind}`);
  }

  private operation(cells: Float64Array, at: number, checker: ConsistencyChecker, scratch: CheckScratch): void {
    const op = this.op;
    const session = cells[at + 2]!;
    const sessionId = cells[at + 3]!;
    op.kind = cells[at + 4]! as OpKind;
    op.startUs = cells[at + 5]!;
    op.endUs = cells[at + 6]!;
    op.commitUs = cells[at + 7]!;
    const bits = cells[at + 8]!;
    op.failed = (bits & FAILED) !== 0;
    op.cancelled = (bits & CANCELLED) !== 0;
    op.warmup = (bits & WARMUP) !== 0;
    op.reaction = cells[at + 9]!;
    op.version = cells[at + 10]!;
    op.node = cells[at + 11]!;
    const count = cells[at + 12]!;
    op.keyCount = count;
    at += HEAD;
    for (let i = 0; i < count; i++) {
      op.keyIds[i] = cells[at]!;
      op.keyShards[i] = cells[at + 1]!;
      op.returned[i] = cells[at + 2]!;
      op.servedBy[i] = cells[at + 3]!;
      op.leaderVersions[i] = cells[at + 4]!;
      at = scratch.readPast(cells, at + 5, i);
    }
    const depCount = cells[at++]!;
    op.deps.length = depCount;
    for (let i = 0; i < depCount; i++) op.deps[i] = cells[at++]!;
    this.written.readPast(cells, at, 0);
    let flags = 0;
    if (!op.failed) {
      if (op.kind === OpKind.Write) checker.recordWrite(session, op.keyIds[0]!, op.version, this.written.pasts[0] ?? null);
      else flags = checker.checkRead(session, count, op.keyIds, op.returned, scratch.pasts, op.leaderVersions, !op.warmup);
    }
    this.writer.write(sessionId, op, flags);
  }
}

function textOf(cells: Float64Array, at: number): string {
  const end = at + cells[at + 1]!;
  let text = '';
  for (let i = at + 3; i < end; i += 4096) text += String.fromCharCode(...cells.subarray(i, Math.min(end, i + 4096)));
  return text;
}
