import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ABSENT } from '../../src/model/keys.js';
import { OpKind, Operation, PartStatus } from '../../src/model/operation.js';

describe('Operation', () => {
  it('keeps per-key and per-part fields apart for many keys (rows grow past the first 4)', () => {
    const op = new Operation();
    op.reset(OpKind.Read, 100, false);
    for (let k = 0; k < 11; k++) op.addKey(50 + k, k % 3, k, 1000 + k, k + 1);
    assert.equal(op.keyCount, 11);
    assert.equal(op.partCount, 3);
    for (let k = 0; k < 11; k++) {
      assert.deepEqual([op.keyIds[k], op.keyShards[k], op.leaderVersions[k], op.leaderCommitUs(k), op.leaderOrdinal(k)], [50 + k, k % 3, k, 1000 + k, k + 1]);
      assert.deepEqual([op.returned[k], op.returnedOrdinal(k), op.missedCommitUs(k), op.servedBy[k], op.isNeeded(k)], [ABSENT, 0, -1, -1, true]);
    }
    for (let part = 0; part < 3; part++) {
      assert.deepEqual([op.partShard(part), op.partNode(part), op.partStatus(part), op.partAttempts(part)], [part, -1, PartStatus.Idle, 0]);
    }
    op.setReturned(7, 4, 9, 2, null, null, 1234);
    assert.deepEqual([op.returned[7], op.returnedOrdinal(7), op.missedCommitUs(7), op.servedBy[7], op.isNeeded(7)], [9, 2, 1234, 4, false]);
    assert.equal(op.leaderCommitUs(7), 1007, 'a key-read leaves the leader fields alone');
    op.needAgain(7);
    assert.equal(op.isNeeded(7), true);
  });

  it('keeps a part generation across operations (a late event of an earlier operation must not match)', () => {
    const op = new Operation();
    op.reset(OpKind.Read, 0, false);
    op.addKey(1, 0, 0, 0, 0);
    op.startAttempt(0, 3, op.partGeneration(0) + 1);
    op.startAttempt(0, 2, op.partGeneration(0) + 1);
    assert.deepEqual([op.partGeneration(0), op.partNode(0), op.partStatus(0), op.partAttempts(0)], [2, 2, PartStatus.InFlight, 2]);
    op.reset(OpKind.Read, 10, false);
    op.addKey(5, 0, 0, 0, 0);
    assert.deepEqual([op.partGeneration(0), op.partAttempts(0), op.partStatus(0)], [2, 0, PartStatus.Idle]);
  });
});
