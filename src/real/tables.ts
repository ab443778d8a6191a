import type pg from 'pg';
import { messages } from '../text/messages.js';
import { InputError } from '../text/errors.js';
import { pause } from './clock.js';
import { reasonOf, type PgCluster } from './connection.js';
import { parseLsn } from './lsn.js';

const PREFIX_RE = /^[a-z][a-z0-9_]{0,39}$/;

/** Checks `--table` (it is spliced into SQL, so it must be a plain identifier). */
export function checkTablePrefix(prefix: string): string {
  if (!PREFIX_RE.test(prefix)) throw new InputError('--table', undefined, messages.expectedTablePrefix(prefix));
  return prefix;
}

/**
 * lagsim's own tables on the primary (replicated to the replicas like any table), and only these:
 *
 * - `<prefix>_kv (key, version)`: one row per key; `version` is the log position (semantics.md
 *   section 1) of the write that produced the row's current value.
 * - `<prefix>_log (id, position)`: one row, the last log position handed out. A write increments it
 *   and upserts its key in one statement (one transaction): the row lock on the log row is held
 *   until commit, so writes commit one at a time in position order, commit records reach the WAL in
 *   position order, and a replica, which applies commit records in WAL order, holds exactly the
 *   writes with positions up to some p. A replica row's version is then what that replica applied.
 *   (A bigserial would not do: sequences hand out numbers at insert time, not in commit order.)
 * - `<prefix>_probe (id, at)`: rows `lagsim probe` writes and waits for.
 */
export class TestTables {
  readonly kv: string;
  readonly log: string;
  readonly probe: string;

  constructor(prefix: string) {
    checkTablePrefix(prefix);
    this.kv = `${prefix}_kv`;
    this.log = `${prefix}_log`;
    this.probe = `${prefix}_probe`;
  }

  /** One write: the next log position, given to `key` (parameter $1); returns `version`. */
  get writeSql(): string {
    return (
      `WITH next AS (UPDATE ${this.log} SET position = position + 1 WHERE id = 0 RETURNING position) ` +
      `INSERT INTO ${this.kv} (key, version) SELECT $1, position FROM next ` +
      `ON CONFLICT (key) DO UPDATE SET version = EXCLUDED.version RETURNING version`
    );
  }

  /** The rows of keys $1 (a text array); a key without a row is absent. */
  get readSql(): string {
    return `SELECT key, version FROM ${this.kv} WHERE key = ANY($1::text[])`;
  }

  /** The same read as a plain statement with the keys inlined (for multi-statement simple queries). */
  readStatement(keys: readonly string[]): string {
    return `SELECT key, version FROM ${this.kv} WHERE key IN (${keys.map(literal).join(', ')})`;
  }

  get positionSql(): string {
    return `SELECT position FROM ${this.log} WHERE id = 0`;
  }

  /** Creates the key-value tables if missing, empties them, and preloads `keys` at version 0. */
  async setupWorkload(primary: pg.Pool, preloaded: readonly string[]): Promise<void> {
    await run(primary, 'creating the test tables', async (client) => {
      await client.query(`CREATE TABLE IF NOT EXISTS ${this.kv} (key text PRIMARY KEY, version bigint NOT NULL)`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${this.log} (id int PRIMARY KEY, position bigint NOT NULL)`);
      await client.query('BEGIN');
      await client.query(`TRUNCATE ${this.kv}, ${this.log}`);
      await client.query(`INSERT INTO ${this.log} (id, position) VALUES (0, 0)`);
      const batch = 10_000;
      for (let i = 0; i < preloaded.length; i += batch) {
        await client.query(`INSERT INTO ${this.kv} (key, version) SELECT unnest($1::text[]), 0`, [preloaded.slice(i, i + batch)]);
      }
      await client.query('COMMIT');
    });
  }

  /** Creates the probe table if missing and empties it. */
  async setupProbe(primary: pg.Pool): Promise<void> {
    await run(primary, 'creating the probe table', async (client) => {
      await client.query(`CREATE TABLE IF NOT EXISTS ${this.probe} (id bigint PRIMARY KEY, at timestamptz NOT NULL DEFAULT clock_timestamp())`);
      await client.query(`TRUNCATE ${this.probe}`);
    });
  }
}

/** A SQL string literal; an E'' literal when the text has backslashes, so standard_conforming_strings does not matter. */
function literal(text: string): string {
  const quoted = text.replace(/'/g, "''");
  return text.includes('\\') ? `E'${quoted.replace(/\\/g, '\\\\')}'` : `'${quoted}'`;
}

async function run(pool: pg.Pool, what: string, body: (client: pg.PoolClient) => Promise<void>): Promise<void> {
  const client = await pool.connect();
  try {
    await body(client);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw new InputError('--primary', undefined, messages.serverQueryFailed(what, reasonOf(error)));
  } finally {
    client.release();
  }
}

/** The primary's WAL insert position now: past the commit record of every transaction already acknowledged. */
export async function primaryInsertLsn(primary: pg.Pool): Promise<number> {
  const row = (await primary.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn')).rows[0]!;
  return parseLsn(row.lsn)!;
}

export async function replayLsn(replica: pg.Pool): Promise<number> {
  const row = (await replica.query<{ lsn: string | null }>('SELECT pg_last_wal_replay_lsn()::text AS lsn')).rows[0]!;
  return parseLsn(row.lsn) ?? 0;
}

/** Waits until every replica has replayed the primary's WAL up to now (the setup just committed). */
export async function waitForReplicas(cluster: PgCluster, timeoutS = 60): Promise<void> {
  const target = await primaryInsertLsn(cluster.primary);
  const deadline = process.hrtime.bigint() + BigInt(timeoutS) * 1_000_000_000n;
  await Promise.all(
    cluster.replicas.map(async (replica, i) => {
      const where = cluster.replicaTargets[i]!;
      for (;;) {
        let lsn: number;
        try {
          lsn = await replayLsn(replica);
        } catch (error) {
          throw new InputError(where.flag, where.display, messages.serverQueryFailed('reading pg_last_wal_replay_lsn()', reasonOf(error)));
        }
        if (lsn >= target) return;
        if (process.hrtime.bigint() > deadline) throw new InputError(where.flag, where.display, messages.replicaNotCaughtUp(timeoutS));
        await pause(5000);
      }
    }),
  );
}
