import { readFileSync } from 'node:fs';
import { ABSENT, type Past } from '../model/keys.js';
import { InputError } from '../scenario/errors.js';
import { flagNames, type Anomaly, type AnomalyCount } from './anomalies.js';
import { ConsistencyChecker } from './consistencyChecker.js';

interface WriteRecord {
  type: 'write';
  session: number;
  t0: number;
  t1: number;
  key: string;
  version: number;
  deps?: [string, number][];
  warmup?: boolean;
  failed?: boolean;
}

interface ReadRecord {
  type: 'read';
  session: number;
  t0: number;
  t1: number;
  reads?: { key: string; version: number | null; leader: number | null }[];
  flags?: string[];
  warmup?: boolean;
  failed?: boolean;
}

type OperationRecord = (WriteRecord | ReadRecord) & { line: number };

export interface FlagMismatch {
  line: number;
  session: number;
  t0: number;
  expected: Anomaly[];
  found: string[];
}

export interface HistoryCheckResult {
  counts: Record<Anomaly, AnomalyCount>;
  reads: number;
  writes: number;
  failed: number;
  mismatches: FlagMismatch[];
}

/**
 * Recomputes every anomaly count of a history export (semantics.md section 4) from the file alone,
 * with the same checker the simulator uses, and compares each read's flags with the file's.
 * Pasts come from the write records' deps (transitive closure); sessions are replayed in t0 order.
 */
export function checkHistory(text: string, file: string): HistoryCheckResult {
  const records: OperationRecord[] = [];
  text.split('\n').forEach((raw, index) => {
    if (raw.trim() === '') return;
    let record: unknown;
    try {
      record = JSON.parse(raw);
    } catch {
      throw new InputError(file, `line ${index + 1}`, 'expected one JSON object per line');
    }
    const type = (record as { type?: unknown }).type;
    if (type === 'write' || type === 'read') records.push({ ...(record as WriteRecord | ReadRecord), line: index + 1 });
    else if (type !== 'failover') throw new InputError(file, `line ${index + 1}`, `unknown record type ${JSON.stringify(type)}`);
  });

  const keyIds = new Map<string, number>();
  const keyId = (name: string): number => {
    let id = keyIds.get(name);
    if (id === undefined) {
      id = keyIds.size;
      keyIds.set(name, id);
    }
    return id;
  };
  const deps = new Map<string, [number, number][]>();
  for (const record of records) {
    if (record.type === 'write' && !record.failed) {
      deps.set(`${keyId(record.key)}@${record.version}`, (record.deps ?? []).map(([key, version]) => [keyId(key), version]));
    }
  }
  const pasts = new Map<string, Past>();
  const pastOf = (key: number, version: number, visiting = new Set<string>()): Past => {
    const id = `${key}@${version}`;
    const known = pasts.get(id);
    if (known !== undefined) return known;
    const merged = new Map<number, number>();
    if (!visiting.has(id)) {
      visiting.add(id);
      for (const [dep, depVersion] of deps.get(id) ?? []) {
        if (dep !== key && depVersion > (merged.get(dep) ?? ABSENT)) merged.set(dep, depVersion);
        const inner = pastOf(dep, depVersion, visiting);
        for (let i = 0; i < inner.length; i += 2) {
          if (inner[i] !== key && inner[i + 1]! > (merged.get(inner[i]!) ?? ABSENT)) merged.set(inner[i]!, inner[i + 1]!);
        }
      }
    }
    const flat: number[] = [];
    for (const k of [...merged.keys()].sort((x, y) => x - y)) flat.push(k, merged.get(k)!);
    pasts.set(id, flat);
    return flat;
  };

  const ordered = [...records].sort((x, y) => x.session - y.session || x.t0 - y.t0 || x.t1 - y.t1 || x.line - y.line);
  const checker = new ConsistencyChecker();
  const result: HistoryCheckResult = { counts: checker.counts, reads: 0, writes: 0, failed: 0, mismatches: [] };
  for (const record of ordered) {
    const counted = record.warmup !== true;
    if (record.failed) {
      if (counted) result.failed++;
      continue;
    }
    if (record.type === 'write') {
      if (counted) result.writes++;
      const key = keyId(record.key);
      checker.recordWrite(record.session, key, record.version, pastOf(key, record.version));
      continue;
    }
    const reads = record.reads ?? [];
    const keys = reads.map((r) => keyId(r.key));
    const versions = reads.map((r) => r.version ?? ABSENT);
    const readPasts = reads.map((_, i) => (versions[i]! > 0 ? pastOf(keys[i]!, versions[i]!) : null));
    const leaders = reads.map((r) => r.leader ?? ABSENT);
    if (counted) result.reads++;
    const flags = checker.checkRead(record.session, reads.length, keys, versions, readPasts, leaders, counted);
    const found = record.flags ?? [];
    const expected = flagNames(flags);
    if (found.length !== expected.length || found.some((flag, i) => flag !== expected[i])) {
      result.mismatches.push({ line: record.line, session: record.session, t0: record.t0, expected, found });
    }
  }
  return result;
}

export function checkHistoryFile(path: string): HistoryCheckResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new InputError(path, undefined, 'file not found');
  }
  return checkHistory(text, path);
}


