import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fnv1a32, fnv1a32Decimal } from '../../src/model/hash.js';
import { ABSENT, KeyRecord, KeyTable, type KeyspaceLayout } from '../../src/model/keys.js';

function fnvOfBytes(bytes: Iterable<number>): number {
  let hash = 0x811c9dc5;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash >>> 0;
}

/** FNV-1a 32 over the bytes Node's own UTF-8 encoder gives: an independent reference. */
function referenceFnv1a32(text: string): number {
  return fnvOfBytes(Buffer.from(text, 'utf8'));
}

describe('fnv1a32', () => {
  it('gives the published FNV-1a 32-bit test vectors', () => {
    assert.equal(fnv1a32(''), 0x811c9dc5);
    assert.equal(fnv1a32('a'), 0xe40c292c);
    assert.equal(fnv1a32('foobar'), 0xbf9cf968);
  });

  it('hashes the UTF-8 bytes of non-ASCII keys (2-, 3- and 4-byte characters)', () => {
    for (const text of ['é', 'naïve-ключ', '€', '日本語のキー', '😀', 'k-𝄞-é-€', '\u0080', '\u07ff', '\u0800', '\uffff', '\u{10ffff}']) {
      assert.equal(fnv1a32(text), referenceFnv1a32(text), JSON.stringify(text));
    }
    // 'é' is the two bytes C3 A9, not the one UTF-16 code unit E9 (Latin-1).
    assert.equal(fnv1a32('é'), fnvOfBytes([0xc3, 0xa9]));
    assert.notEqual(fnv1a32('é'), fnvOfBytes([0xe9]));
  });

  it('agrees with the reference on random well-formed strings and is an unsigned 32-bit integer', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 20 }), (text) => {
        const hash = fnv1a32(text);
        assert.ok(Number.isInteger(hash) && hash >= 0 && hash < 2 ** 32);
        assert.equal(hash, referenceFnv1a32(text));
      }),
      { seed: 11, numRuns: 500 },
    );
  });

  it('continues over a decimal counter exactly as over the string with the counter appended', () => {
    for (const n of [0, 9, 10, 99, 100, 12345, 2 ** 31, Number.MAX_SAFE_INTEGER]) {
      assert.equal(fnv1a32Decimal(fnv1a32('new-posts-17-'), n), fnv1a32(`new-posts-17-${n}`), `n = ${n}`);
    }
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.nat(), (prefix, n) => {
        assert.equal(fnv1a32Decimal(fnv1a32(prefix), n), fnv1a32(`${prefix}${n}`));
      }),
      { seed: 12, numRuns: 500 },
    );
    assert.throws(() => fnv1a32Decimal(0, -1), RangeError);
    assert.throws(() => fnv1a32Decimal(0, 1.5), RangeError);
  });
});

function layout(overrides: Partial<KeyspaceLayout>): KeyspaceLayout {
  return { shards: 1, keyspaceCount: 100, topicSize: 1, preload: true, placement: 'hash', ...overrides };
}

describe('KeyTable', () => {
  it('places keyspace and named keys by fnv1a32(name) mod shards', () => {
    const keys = new KeyTable(layout({ shards: 3, keyspaceCount: 50 }));
    for (let i = 0; i < 50; i++) assert.equal(keys.get(keys.keyspaceKey(i)).shard, fnv1a32(`k${i}`) % 3);
    for (const name of ['own-users-1-0', 'new-users-7-3', 'counter', 'ключ']) {
      assert.equal(keys.get(keys.namedKey(name, true)).shard, fnv1a32(name) % 3);
    }
  });

  it('placement position: with 2 shards every question (topic head) on shard 0 and its answers on shard 1', () => {
    const keys = new KeyTable(layout({ shards: 2, keyspaceCount: 12, topicSize: 3, placement: 'position' }));
    const shards = Array.from({ length: 12 }, (_, i) => keys.get(keys.keyspaceKey(i)).shard);
    assert.deepEqual(shards, [0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1]);
    const topics = Array.from({ length: 12 }, (_, i) => keys.get(keys.keyspaceKey(i)).topic);
    assert.deepEqual(topics, [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]);
  });

  it('placement position with more shards: position p of a topic on shard p while p < shards; heads always on 0, answers never', () => {
    const keys = new KeyTable(layout({ shards: 3, keyspaceCount: 30, topicSize: 5, placement: 'position' }));
    for (let i = 0; i < 30; i++) {
      const position = i % 5;
      const shard = keys.get(keys.keyspaceKey(i)).shard;
      if (position < 3) assert.equal(shard, position, `k${i}`);
      if (position === 0) assert.equal(shard, 0);
      else assert.notEqual(shard, 0, `k${i} is an answer`);
    }
    // One shard: everything on shard 0.
    const single = new KeyTable(layout({ shards: 1, keyspaceCount: 10, topicSize: 5, placement: 'position' }));
    for (let i = 0; i < 10; i++) assert.equal(single.get(single.keyspaceKey(i)).shard, 0);
  });

  it('topics of size 1 are no topics; the last topic may be short', () => {
    const flat = new KeyTable(layout({ keyspaceCount: 5 }));
    assert.equal(flat.get(flat.keyspaceKey(3)).topic, -1);
    const short = new KeyTable(layout({ keyspaceCount: 10, topicSize: 4 }));
    assert.equal(short.topicCount, 3);
    assert.deepEqual(short.topicRange(2), [8, 10]);
    assert.deepEqual(short.topicRange(0), [0, 4]);
  });

  it('preloads keyspace keys at version 0 unless preload is false; `new` keys start absent', () => {
    const preloaded = new KeyTable(layout({}));
    assert.equal(preloaded.get(preloaded.keyspaceKey(5)).newestVersion, 0);
    const bare = new KeyTable(layout({ preload: false }));
    assert.equal(bare.get(bare.keyspaceKey(5)).newestVersion, ABSENT);
    assert.equal(bare.get(bare.namedKey('new-u-1-0', false)).newestVersion, ABSENT);
    assert.equal(bare.get(bare.namedKey('own-u-1-0', true)).newestVersion, 0);
  });

  it('interns names: the same name is the same id, a released id is reused for a new name', () => {
    const keys = new KeyTable(layout({}));
    const a = keys.namedKey('new-u-1-0', false);
    assert.equal(keys.namedKey('new-u-1-0', false), a);
    assert.equal(keys.keyspaceKey(3), keys.keyspaceKey(3));
    const size = keys.size;
    keys.release(a);
    assert.equal(keys.size, size - 1);
    const b = keys.namedKey('new-u-1-1', false);
    assert.equal(b, a, 'the freed slot is reused');
    assert.equal(keys.get(b).name, 'new-u-1-1');
    assert.equal(keys.get(b).newestVersion, ABSENT, 'nothing of the released key carries over');
  });

  it('`new` keys: named prefix + counter, placed by fnv1a32 of that name, unique, out of the name index', () => {
    const keys = new KeyTable(layout({ shards: 5 }));
    const prefix = 'new-posts-42-';
    const ids = [0, 1, 2, 10, 11].map((n) => keys.newKey(prefix, fnv1a32(prefix), n));
    assert.equal(new Set(ids).size, 5);
    ids.forEach((id, i) => {
      const record = keys.get(id);
      const name = `${prefix}${[0, 1, 2, 10, 11][i]}`;
      assert.equal(record.name, name);
      assert.equal(record.shard, fnv1a32(name) % 5);
      assert.equal(record.isNew, true);
      assert.equal(record.newestVersion, ABSENT);
    });
    assert.notEqual(keys.namedKey(`${prefix}0`, false), ids[0], 'a named key is never a `new` key, even by the same name');
    assert.equal(keys.get(keys.namedKey('new-lookalike', true)).isNew, false);
    const size = keys.size;
    keys.release(ids[0]!);
    assert.equal(keys.size, size - 1);
    const reused = keys.namedKey('counter', true);
    assert.equal(reused, ids[0], 'a released `new` key frees its id for any key');
    assert.deepEqual([keys.get(reused).name, keys.get(reused).isNew], ['counter', false]);
  });

  it('reuses a released record object with nothing of its versions, pasts or tokens left', () => {
    const keys = new KeyTable(layout({}));
    const a = keys.namedKey('new-u-1-0', false);
    const old = keys.get(a);
    old.append(4, 40, [7, 3], Float64Array.of(4));
    old.append(9, 90, null, null);
    keys.release(a);
    // Until every replica has applied version 9 a failover may lose it: the record is kept for that.
    const held: string[] = [];
    keys.forEachOnShard(old.shard, (record) => held.push(record.name));
    assert.deepEqual(held, ['new-u-1-0']);
    keys.confirm(old.shard, 8);
    assert.notEqual(keys.get(keys.namedKey('new-u-1-9', false)), old, 'not reused while a version may be lost');
    keys.confirm(old.shard, 9);
    const b = keys.namedKey('new-u-1-1', false);
    const record = keys.get(b);
    assert.equal(record, old, 'the same object, reused');
    assert.deepEqual([record.id, record.name, record.count, record.writes, record.committedVersion], [b, 'new-u-1-1', 0, 0, ABSENT]);
    record.append(12, 120, null, null);
    assert.deepEqual([record.versionAt(0), record.commitUsAt(0), record.ordinalAt(0), record.pastAt(0), record.tokenAt(0)], [12, 120, 1, null, null]);
    const own = keys.get(keys.namedKey('own-u-1-0', true));
    assert.equal(own.count, 1, 'a preloaded key gets its version 0 on a fresh record too');
  });
});

describe('KeyRecord', () => {
  it('returns the newest version at or below a node’s applied position', () => {
    const record = new KeyRecord(0, 'k0', 0, -1);
    record.append(0, 0, null, null);
    record.append(4, 100, null, null);
    record.append(9, 200, null, null);
    const at = (p: number) => {
      const i = record.indexAt(p);
      return i < 0 ? ABSENT : record.versionAt(i);
    };
    assert.deepEqual([0, 3, 4, 8, 9, 100].map(at), [0, 0, 4, 4, 9, 9]);
    assert.deepEqual([0, 1, 2].map((i) => record.ordinalAt(i)), [0, 1, 2]);
    const absentFirst = new KeyRecord(1, 'new', 0, -1);
    absentFirst.append(7, 5, null, null);
    assert.equal(absentFirst.indexAt(6), -1);
  });

  it('finds the oldest live version at or above a required one, skipping versions a failover dropped', () => {
    const record = new KeyRecord(0, 'k0', 0, -1);
    for (const [version, at] of [[0, 0], [4, 100], [9, 200], [12, 300]] as const) record.append(version, at, null, null);
    assert.deepEqual([0, 1, 4, 5, 9, 12, 13].map((v) => record.oldestVersionFrom(v)), [0, 4, 4, 9, 9, 12, ABSENT]);
    // A failover that promoted a node at position 5 loses 9 and 12; a later write takes position 20.
    assert.deepEqual(record.dropAbove(5), [9, 12]);
    assert.equal(record.oldestVersionFrom(9), ABSENT);
    record.append(20, 400, null, null);
    assert.equal(record.oldestVersionFrom(9), 20);
  });

  it('pruning keeps exactly what a node at or above the slowest applied position can still read', () => {
    // Writes of one key at increasing positions; replicas' minimum applied position only grows.
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(fc.record({ gap: fc.integer({ min: 1, max: 5 }), minAppliedStep: fc.integer({ min: 0, max: 8 }) }), { maxLength: 50 }),
        (preloaded, steps) => {
          const pruned = new KeyRecord(0, 'k', 0, -1);
          const full = new KeyRecord(0, 'k', 0, -1);
          if (preloaded) {
            pruned.append(0, 0, null, null);
            full.append(0, 0, null, null);
          }
          let position = 0;
          let minApplied = 0;
          for (const step of steps) {
            position += step.gap;
            const past = [1, position];
            pruned.append(position, position * 10, past, null);
            full.append(position, position * 10, past, null);
            minApplied = Math.min(position, minApplied + step.minAppliedStep);
            pruned.prune(minApplied);
            // Every node is at or above minApplied (the leader at `position`): same answer as unpruned.
            for (let p = minApplied; p <= position; p++) {
              const i = pruned.indexAt(p);
              const j = full.indexAt(p);
              assert.equal(i < 0 ? ABSENT : pruned.versionAt(i), j < 0 ? ABSENT : full.versionAt(j));
              if (i >= 0) {
                assert.equal(pruned.commitUsAt(i), full.commitUsAt(j));
                assert.equal(pruned.ordinalAt(i), full.ordinalAt(j));
                assert.deepEqual(pruned.pastAt(i), full.pastAt(j));
              }
            }
            assert.equal(pruned.newestVersion, full.newestVersion);
            // And it really drops what no one can read: at most one version at or below minApplied.
            let atOrBelow = 0;
            for (let i = 0; i < pruned.count; i++) if (pruned.versionAt(i) <= minApplied) atOrBelow++;
            assert.ok(atOrBelow <= 1);
          }
        },
      ),
      { seed: 99, numRuns: 300 },
    );
  });

  it('keeps its newest live version and ordinal (what an up-to-date read returns) through writes, pruning, failovers and reuse', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('write' as const), gap: fc.integer({ min: 1, max: 5 }) }),
      fc.record({ kind: fc.constant('prune' as const), back: fc.integer({ min: 0, max: 6 }) }),
      fc.record({ kind: fc.constant('drop' as const), back: fc.integer({ min: 0, max: 6 }) }),
      fc.record({ kind: fc.constant('reuse' as const), preload: fc.boolean() }),
    );
    fc.assert(
      fc.property(fc.boolean(), fc.array(step, { maxLength: 60 }), (preloaded, steps) => {
        const record = new KeyRecord(0, 'k', 0, -1);
        if (preloaded) record.append(0, 0, null, null);
        let position = 0;
        for (const s of steps) {
          if (s.kind === 'write') record.append((position += s.gap), position, null, null);
          else if (s.kind === 'prune') record.prune(Math.max(0, position - s.back));
          else if (s.kind === 'drop') record.dropAbove(Math.max(0, position - s.back));
          else {
            record.reuse(0, 'k', 0, -1);
            if (s.preload) record.append(0, 0, null, null);
          }
          const last = record.count - 1;
          assert.equal(record.newestVersion, last < 0 ? ABSENT : record.versionAt(last));
          assert.equal(record.newestOrdinal, last < 0 ? 0 : record.ordinalAt(last));
        }
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});
