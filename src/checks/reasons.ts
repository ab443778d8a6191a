import { ABSENT, type Past } from '../model/keys.js';
import { FLAG_CP, FLAG_MR, FLAG_RYW, FLAG_STALE } from './anomalies.js';

/** One key-read's anomaly, with the facts of its definition (semantics.md section 3). */
export type Reason =
  | { anomaly: 'ryw'; key: string; returned: number; node: string; wrote: number; wroteAtUs: number }
  | { anomaly: 'mr'; key: string; returned: number; node: string; saw: number; sawAtUs: number; sawOn: string }
  | { anomaly: 'cp'; key: string; returned: number; node: string; required: number; because: string; becauseVersion: number }
  | { anomaly: 'stale'; key: string; returned: number; node: string; leader: number };

interface Seen {
  version: number;
  atUs: number;
  node: string;
}

interface Requirement {
  version: number;
  because: string;
  becauseVersion: number;
}

/**
 * The anomaly definitions for ONE session, keeping for each key not only the highest version but
 * where it came from, so that a violation can be told in the words of its definition. Slower than
 * ConsistencyChecker and used only by `lagsim explain`; its verdicts must equal the checker's flags.
 */
export class SessionReasons {
  private readonly written = new Map<string, Seen>();
  private readonly seen = new Map<string, Seen>();
  private readonly required = new Map<string, Requirement>();

  write(key: string, version: number, ackUs: number, past: Past | null, keyName: (id: number) => string): void {
    const known = this.written.get(key);
    if (known === undefined || version > known.version) this.written.set(key, { version, atUs: ackUs, node: 'leader' });
    this.require(key, version, past, keyName);
  }

  /** The reasons of one read's violations, and its flags (FLAG_* bits). */
  read(
    atUs: number,
    reads: readonly { key: string; version: number; node: string; leader: number; past: Past | null }[],
    keyName: (id: number) => string,
  ): { flags: number; reasons: Reason[] } {
    const reasons: Reason[] = [];
    let flags = 0;
    for (const r of reads) {
      const wrote = this.written.get(r.key);
      if (wrote !== undefined && r.version < wrote.version) {
        flags |= FLAG_RYW;
        reasons.push({ anomaly: 'ryw', key: r.key, returned: r.version, node: r.node, wrote: wrote.version, wroteAtUs: wrote.atUs });
      }
      const saw = this.seen.get(r.key);
      if (saw !== undefined && r.version < saw.version) {
        flags |= FLAG_MR;
        reasons.push({ anomaly: 'mr', key: r.key, returned: r.version, node: r.node, saw: saw.version, sawAtUs: saw.atUs, sawOn: saw.node });
      }
      let requirement = this.required.get(r.key);
      for (const other of reads) {
        if (other.key === r.key || other.past === null) continue;
        for (let i = 0; i < other.past.length; i += 2) {
          if (keyName(other.past[i]!) !== r.key) continue;
          const version = other.past[i + 1]!;
          if (requirement === undefined || version > requirement.version) {
            requirement = { version, because: other.key, becauseVersion: other.version };
          }
        }
      }
      if (requirement !== undefined && r.version < requirement.version) {
        flags |= FLAG_CP;
        reasons.push({
          anomaly: 'cp',
          key: r.key,
          returned: r.version,
          node: r.node,
          required: requirement.version,
          because: requirement.because,
          becauseVersion: requirement.becauseVersion,
        });
      }
      if (r.version < r.leader) {
        flags |= FLAG_STALE;
        reasons.push({ anomaly: 'stale', key: r.key, returned: r.version, node: r.node, leader: r.leader });
      }
    }
    for (const r of reads) {
      const saw = this.seen.get(r.key);
      if (saw === undefined || r.version > saw.version) this.seen.set(r.key, { version: r.version, atUs, node: r.node });
      this.require(r.key, r.version, r.past, keyName);
    }
    return { flags, reasons };
  }

  private require(source: string, sourceVersion: number, past: Past | null, keyName: (id: number) => string): void {
    if (past === null) return;
    for (let i = 0; i < past.length; i += 2) {
      const key = keyName(past[i]!);
      const version = past[i + 1]!;
      const known = this.required.get(key);
      if (known === undefined || version > known.version) {
        this.required.set(key, { version, because: source, becauseVersion: sourceVersion });
      }
    }
  }
}

export function versionText(version: number): string {
  return version === ABSENT ? 'absent' : `version ${version}`;
}
