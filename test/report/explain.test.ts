// The words of each anomaly's definition (semantics.md section 3), as `lagsim explain` prints them:
// SessionReasons is fed hand-written reads and writes of one session, and the reasons it finds are
// told exactly (test/cli/explain.test.ts tells a read-your-writes violation end to end).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FLAG_BITS } from '../../src/checks/anomalies.js';
import { SessionReasons, type Reason } from '../../src/checks/reasons.js';
import { ABSENT, type Past } from '../../src/model/keys.js';
import { explainText, reasonText, type ExplainedOperation } from '../../src/report/explain.js';

/** Key ids of the causal pasts below: 0 is a, 1 is b. */
const KEY_NAMES = ['a', 'b'];
const keyName = (id: number): string => KEY_NAMES[id]!;

function read(key: string, version: number, node: string, leader: number, past: Past | null = null) {
  return { key, version, node, leader, past };
}

/** The words of the reasons for one anomaly. */
function told(reasons: readonly Reason[], anomaly: Reason['anomaly']): string[] {
  return reasons.filter((reason) => reason.anomaly === anomaly).map(reasonText);
}

describe('reasons of an anomaly, in the words of its definition', () => {
  it('monotonic reads: a version older than one this session already read, and where it read that', () => {
    const session = new SessionReasons();
    assert.deepEqual(session.read(200_000, [read('a', 3, 'replica-0-1', 3)], keyName), { flags: 0, reasons: [] });
    // The leader has version 3 at least, so the read is also stale (told below).
    const { flags, reasons } = session.read(350_500, [read('a', 2, 'replica-0-2', 3)], keyName);
    assert.equal(flags, FLAG_BITS.mr | FLAG_BITS.stale);
    assert.deepEqual(told(reasons, 'mr'), [
      'read a at version 2 from replica-0-2, but this session had already seen version 3 (read at t=200.0 ms from replica-0-1)',
    ]);
  });

  it('consistent prefix: a key older than the causal past of another key this session has seen', () => {
    const session = new SessionReasons();
    // b at version 5 depends on a at version 4; a was never applied on replica-0-2.
    assert.equal(session.read(100_000, [read('b', 5, 'replica-0-1', 5, [0, 4])], keyName).flags, 0);
    const { flags, reasons } = session.read(150_000, [read('a', ABSENT, 'replica-0-2', 4)], keyName);
    assert.equal(flags, FLAG_BITS.cp | FLAG_BITS.stale);
    assert.deepEqual(told(reasons, 'cp'), [
      'read a absent from replica-0-2, but this session has seen b at version 5, whose causal past requires a at version 4',
    ]);
  });

  it('consistent prefix within one read: the other key it returned requires a newer version', () => {
    const session = new SessionReasons();
    const { flags, reasons } = session.read(0, [read('b', 5, 'replica-0-1', 5, [0, 4]), read('a', 3, 'replica-0-1', 4)], keyName);
    assert.equal(flags, FLAG_BITS.cp | FLAG_BITS.stale);
    assert.deepEqual(told(reasons, 'cp'), [
      'read a at version 3 from replica-0-1, but this session has seen b at version 5, whose causal past requires a at version 4',
    ]);
  });

  it('stale: a version older than the leader had committed when the read started', () => {
    const session = new SessionReasons();
    const { flags, reasons } = session.read(0, [read('a', 1, 'replica-0-1', 2)], keyName);
    assert.equal(flags, FLAG_BITS.stale);
    assert.deepEqual(told(reasons, 'stale'), ['read a at version 1 from replica-0-1, but version 2 had been committed before the read started']);
  });

  it('one read can break several definitions: each is told, in the order of the flags', () => {
    const session = new SessionReasons();
    session.write('a', 4, 90_000, null, keyName);
    session.read(100_000, [read('a', 4, 'leader-0', 4)], keyName);
    const { flags, reasons } = session.read(120_000, [read('a', 2, 'replica-0-1', 4)], keyName);
    assert.equal(flags, FLAG_BITS.ryw | FLAG_BITS.mr | FLAG_BITS.stale);
    assert.deepEqual(reasons.map(reasonText), [
      'read a at version 2 from replica-0-1, but this session wrote version 4 of it (acknowledged at t=90.0 ms)',
      'read a at version 2 from replica-0-1, but this session had already seen version 4 (read at t=100.0 ms from leader-0)',
      'read a at version 2 from replica-0-1, but version 4 had been committed before the read started',
    ]);
  });

  it('explainText marks each reason with the anomaly it breaks', () => {
    const session = new SessionReasons();
    session.read(200_000, [read('a', 3, 'replica-0-1', 3)], keyName);
    const { reasons } = session.read(350_000, [read('a', 2, 'replica-0-2', 3)], keyName);
    const operation: ExplainedOperation = {
      kind: 'read',
      startUs: 350_000,
      endUs: 351_000,
      warmup: false,
      failed: false,
      flags: ['mr', 'stale'],
      reasons,
      reads: [{ key: 'a', version: 2, node: 'replica-0-2', leader: 3 }],
      attempts: 1,
      redirects: 0,
      retries: 0,
      waits: 0,
      waitUs: 0,
      rounds: 0,
    };
    const text = explainText({
      scenario: 's',
      strategy: 'none',
      seed: 1,
      sessionId: 1,
      group: 'u',
      operations: [operation],
      reproduce: 'lagsim explain s.yaml --session 1',
    });
    assert.deepEqual(text.split('\n').slice(3, 6), [
      '     350.0      read a version 2 from replica-0-2 (leader had 3), done at 351.0 ms  [monotonic reads, stale read]',
      '                ✗ monotonic reads: read a at version 2 from replica-0-2, but this session had already seen version 3 (read at t=200.0 ms from replica-0-1)',
      '                ✗ stale read: read a at version 2 from replica-0-2, but version 3 had been committed before the read started',
    ]);
  });

  it('marks reactions and reads that replay cancelled', () => {
    const base = { endUs: 2_600_000, warmup: false, flags: [], reasons: [], attempts: 1, redirects: 0, retries: 0, waits: 0, waitUs: 0, rounds: 0 };
    const text = explainText({
      scenario: 's',
      strategy: 'none',
      seed: 1,
      sessionId: 1,
      group: 'u',
      operations: [
        { ...base, kind: 'read', startUs: 1_000_000, failed: false, reaction: 'refresh', reads: [{ key: 'a', version: 2, node: 'replica-0-1', leader: 2 }] },
        { ...base, kind: 'read', startUs: 2_000_000, failed: true, cancelled: true, reads: [{ key: 'b', version: 0, node: 'reporting-0-1', leader: 0 }] },
      ],
      reproduce: 'lagsim explain s.yaml --session 1',
    });
    assert.deepEqual(text.split('\n').slice(3, 5), [
      '    1000.0      (reaction: refresh)  read a version 2 from replica-0-1 (leader had 2), done at 2600.0 ms',
      '    2000.0      read CANCELLED by replay on reporting-0-1 (a hot-standby conflict past maxDelay), answer at 2600.0 ms',
    ]);
  });
});
