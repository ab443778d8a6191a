// Which servers `lagsim probe` and `lagsim real` talk to: URLs and the PG* environment, checked
// before any connection is made (docs/postgres.md), with one-line messages from the messages module.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { messages } from '../../src/text/messages.js';
import { primaryTarget, reasonOf, replicaTargets } from '../../src/real/connection.js';
import { inputErrorLine } from '../helpers/inputError.js';

const NO_ENV = {};

describe('primaryTarget', () => {
  it('takes a postgres:// URL, hides its password and fills the port and database as libpq does', () => {
    const target = primaryTarget('postgres://app:secret@db.example:6543/shop', NO_ENV);
    assert.equal(target.flag, '--primary');
    assert.equal(target.display, 'postgres://app@db.example:6543/shop');
    assert.equal(target.connectionString, 'postgres://app:secret@db.example:6543/shop');
    assert.equal(target.identity, 'db.example:6543/shop');
    assert.equal(primaryTarget('postgresql://db/x', NO_ENV).identity, 'db:5432/x');
    assert.equal(primaryTarget('postgres://db', { PGPORT: '7000', PGDATABASE: 'envdb' }).identity, 'db:7000/envdb');
    // A Unix socket directory given as ?host=.
    assert.equal(primaryTarget('postgres:///x?host=/run/postgresql', NO_ENV).identity, '/run/postgresql:5432/x');
  });

  it('falls back to the PG* environment, and says what is required when there is none', () => {
    const target = primaryTarget(undefined, { PGHOST: 'h', PGPORT: '5999', PGDATABASE: 'd' });
    assert.equal(target.connectionString, undefined);
    assert.equal(target.display, 'PGHOST=h PGPORT=5999 PGDATABASE=d');
    assert.equal(target.identity, 'h:5999/d');
    assert.equal(primaryTarget(undefined, { PGUSER: 'u' }).identity, 'localhost:5432/u');
    assert.equal(inputErrorLine(() => primaryTarget(undefined, NO_ENV)), `--primary: ${messages.missingPrimary}`);
    assert.equal(inputErrorLine(() => primaryTarget(undefined, { PGHOST: '' })), `--primary: ${messages.missingPrimary}`);
  });

  it('refuses what is not a postgres URL, in one line naming the flag and the text', () => {
    for (const text of ['db.example:5432', 'mysql://db/x', 'http://db/x', 'postgres://']) {
      assert.equal(inputErrorLine(() => primaryTarget(text, NO_ENV)), `--primary: ${messages.expectedPgUrl(text)}`);
    }
  });
});

describe('replicaTargets', () => {
  const primary = primaryTarget('postgres://u@p:5432/db', NO_ENV);

  it('keeps the order given', () => {
    const targets = replicaTargets(['postgres://u@r1:5433/db', 'postgres://u@r2:5434/db'], primary, NO_ENV);
    assert.deepEqual(
      targets.map((t) => [t.flag, t.identity]),
      [
        ['--replica', 'r1:5433/db'],
        ['--replica', 'r2:5434/db'],
      ],
    );
  });

  it('needs at least one, and each server once (the primary included)', () => {
    assert.equal(inputErrorLine(() => replicaTargets([], primary, NO_ENV)), `--replica: ${messages.missingReplica}`);
    assert.equal(
      inputErrorLine(() => replicaTargets(['postgres://other@p/db'], primary, NO_ENV)),
      `--replica: postgres://other@p/db: ${messages.duplicateUrl('--primary postgres://u@p:5432/db')}`,
    );
    assert.equal(
      inputErrorLine(() => replicaTargets(['postgres://r:5433/db', 'postgres://x@r:5433/db'], primary, NO_ENV)),
      `--replica: postgres://x@r:5433/db: ${messages.duplicateUrl('--replica postgres://r:5433/db')}`,
    );
    assert.equal(inputErrorLine(() => replicaTargets(['nope'], primary, NO_ENV)), `--replica: ${messages.expectedPgUrl('nope')}`);
  });
});

describe('reasonOf', () => {
  it('makes one line of whatever the driver threw, with the SQLSTATE when there is one', () => {
    const sqlError = Object.assign(new Error('relation "x"\n  does not exist'), { code: '42P01' });
    assert.equal(reasonOf(sqlError), 'relation "x" does not exist (SQLSTATE 42P01)');
    const socketError = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    assert.equal(reasonOf(socketError), 'connect ECONNREFUSED 127.0.0.1:1');
    assert.equal(reasonOf(Object.assign(new Error(''), { code: 'ETIMEDOUT' })), 'ETIMEDOUT');
    assert.equal(reasonOf('plain text'), 'plain text');
  });
});
