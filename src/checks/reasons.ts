import type { Past } from '../model/keys.js';
import { ANOMALY_DEFINITIONS, type Anomaly } from './anomalies.js';
import type { Fact, FactSources } from './anomaly/definition.js';

/** One key-read's anomaly, with the fact its definition compares against and where it came from (semantics.md section 3). */
export interface Reason {
  anomaly: Anomaly;
  key: string;
  returned: number;
  node: string;
  source: FactSources[Fact];
}

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
      const sources: { [F in Fact]: FactSources[F] | undefined } = {
        written: this.written.get(r.key),
        seen: this.seen.get(r.key),
        required: requirement,
        leader: { version: r.leader },
      };
      ANOMALY_DEFINITIONS.forEach((definition, index) => {
        const source = sources[definition.fact];
        if (source === undefined || r.version >= source.version) return;
        flags |= 1 << index;
        reasons.push({ anomaly: definition.name, key: r.key, returned: r.version, node: r.node, source });
      });
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
