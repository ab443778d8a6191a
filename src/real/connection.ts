import pg from 'pg';
import { messages } from '../text/messages.js';
import { InputError } from '../text/errors.js';

/** One server named on the command line (or by the PG* environment variables). */
export interface ServerTarget {
  flag: '--primary' | '--replica';
  /** How messages name it: the URL without its password, or "the PG* environment". */
  display: string;
  /** undefined: node-postgres takes everything from PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE. */
  connectionString: string | undefined;
  /** host:port/database, to notice a server given twice. */
  identity: string;
}

const PG_ENV = ['PGHOST', 'PGPORT', 'PGUSER', 'PGDATABASE', 'PGPASSWORD'] as const;

/** Parses and checks a postgres:// URL; fields it leaves out come from the PG* variables (as libpq does). */
function urlTarget(flag: ServerTarget['flag'], text: string, env: NodeJS.ProcessEnv): ServerTarget {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InputError(flag, undefined, messages.expectedPgUrl(text));
  }
  const socketHost = url.searchParams.get('host');
  if ((url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') || (url.hostname === '' && socketHost === null)) {
    throw new InputError(flag, undefined, messages.expectedPgUrl(text));
  }
  const user = url.username === '' ? '' : `${decodeURIComponent(url.username)}@`;
  const host = url.hostname === '' ? socketHost! : url.host;
  const database = url.pathname.replace(/^\//, '') || env['PGDATABASE'] || '';
  const port = url.port || env['PGPORT'] || '5432';
  return {
    flag,
    display: `${url.protocol}//${user}${host}${url.pathname}`,
    connectionString: text,
    identity: `${url.hostname === '' ? socketHost : url.hostname}:${port}/${decodeURIComponent(database)}`,
  };
}

/** The primary: `--primary URL`, else the PG* environment variables when any is set. */
export function primaryTarget(url: string | undefined, env: NodeJS.ProcessEnv = process.env): ServerTarget {
  if (url !== undefined) return urlTarget('--primary', url, env);
  if (!PG_ENV.some((name) => (env[name] ?? '') !== '')) throw new InputError('--primary', undefined, messages.missingPrimary);
  const host = env['PGHOST'] || 'localhost';
  const port = env['PGPORT'] || '5432';
  const database = env['PGDATABASE'] || env['PGUSER'] || '';
  return {
    flag: '--primary',
    display: `PGHOST=${host} PGPORT=${port}${env['PGDATABASE'] ? ` PGDATABASE=${env['PGDATABASE']}` : ''}`,
    connectionString: undefined,
    identity: `${host}:${port}/${database}`,
  };
}

/** The replicas, in the order given; at least one, each a different server from the primary. */
export function replicaTargets(urls: readonly string[], primary: ServerTarget, env: NodeJS.ProcessEnv = process.env): ServerTarget[] {
  if (urls.length === 0) throw new InputError('--replica', undefined, messages.missingReplica);
  const targets = urls.map((url) => urlTarget('--replica', url, env));
  const seen = new Map<string, string>([[primary.identity, `--primary ${primary.display}`]]);
  for (const target of targets) {
    const other = seen.get(target.identity);
    if (other !== undefined) throw new InputError('--replica', target.display, messages.duplicateUrl(other));
    seen.set(target.identity, `--replica ${target.display}`);
  }
  return targets;
}

/** One line, whatever the driver threw. */
export function reasonOf(error: unknown): string {
  const text = error instanceof Error ? error.message || String((error as { code?: unknown }).code ?? error.name) : String(error);
  const code = (error as { code?: unknown }).code;
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? `${oneLine} (SQLSTATE ${code})` : oneLine;
}

export interface PoolOptions {
  /** Connections per server at most. */
  connections: number;
}

function poolConfig(target: ServerTarget, options: PoolOptions): pg.PoolConfig {
  return {
    ...(target.connectionString === undefined ? {} : { connectionString: target.connectionString }),
    max: options.connections,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 0,
    // Visible in pg_stat_activity, so a DBA can tell (and kill) lagsim's sessions.
    application_name: 'lagsim',
    // A stuck statement must not hold a production server's resources for long.
    statement_timeout: 30_000,
  };
}

/** What lagsim needs to know about a server before using it. */
export interface ServerFacts {
  standby: boolean;
  /** pg_control_system().system_identifier, null when this role may not read it. */
  systemId: string | null;
  /** The application_name its WAL receiver reports to the primary (pg_stat_replication), if known. */
  walReceiverName: string | null;
  serverVersion: number;
}

const FACTS_SQL = `SELECT pg_is_in_recovery() AS standby,
  current_setting('server_version_num')::int AS version,
  current_setting('cluster_name') AS cluster_name`;

function applicationName(conninfo: string | null): string | null {
  if (conninfo === null) return null;
  const explicit = /(?:^|\s)application_name=(\S+)/.exec(conninfo);
  const fallback = /(?:^|\s)fallback_application_name=(\S+)/.exec(conninfo);
  return explicit?.[1] ?? fallback?.[1] ?? null;
}

async function serverFacts(pool: pg.Pool, target: ServerTarget): Promise<ServerFacts> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw new InputError(target.flag, target.display, messages.cannotConnect(reasonOf(error)));
  }
  try {
    const facts = (await client.query<{ standby: boolean; version: number; cluster_name: string }>(FACTS_SQL)).rows[0]!;
    let systemId: string | null = null;
    try {
      systemId = (await client.query<{ id: string }>('SELECT system_identifier::text AS id FROM pg_control_system()')).rows[0]!.id;
    } catch {
      // Restricted to superusers and pg_monitor on some servers: the check is then skipped.
    }
    let walReceiverName: string | null = null;
    if (facts.standby) {
      try {
        const conninfo = (await client.query<{ conninfo: string | null }>('SELECT conninfo FROM pg_stat_wal_receiver')).rows[0]?.conninfo ?? null;
        walReceiverName = applicationName(conninfo);
      } catch {
        walReceiverName = null;
      }
      // Without an application_name in primary_conninfo the WAL receiver uses cluster_name, else "walreceiver".
      walReceiverName ??= facts.cluster_name !== '' ? facts.cluster_name : 'walreceiver';
    }
    return { standby: facts.standby, systemId, walReceiverName, serverVersion: facts.version };
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(target.flag, target.display, messages.serverQueryFailed('checking the server', reasonOf(error)));
  } finally {
    client.release();
  }
}

/**
 * Connection pools to a primary and its streaming replicas, checked on opening: the primary is
 * not in recovery, every replica is, and every replica belongs to the primary's cluster (same
 * system identifier, when the role may read it). Any problem is one InputError line.
 */
export class PgCluster {
  private constructor(
    readonly primary: pg.Pool,
    readonly replicas: pg.Pool[],
    readonly primaryTarget: ServerTarget,
    readonly replicaTargets: ServerTarget[],
    readonly replicaFacts: ServerFacts[],
    /** Errors that idle pooled connections raised (a server restarting, a network cut). */
    readonly idleErrors: string[],
  ) {}

  static async open(primary: ServerTarget, replicas: ServerTarget[], options: PoolOptions): Promise<PgCluster> {
    const idleErrors: string[] = [];
    const pools: pg.Pool[] = [];
    const makePool = (target: ServerTarget): pg.Pool => {
      const pool = new pg.Pool(poolConfig(target, options));
      pool.on('error', (error) => idleErrors.push(`${target.display}: ${reasonOf(error)}`));
      pools.push(pool);
      return pool;
    };
    try {
      const primaryPool = makePool(primary);
      const replicaPools = replicas.map(makePool);
      const [primaryFacts, ...replicaFacts] = await Promise.all([
        serverFacts(primaryPool, primary),
        ...replicas.map((target, i) => serverFacts(replicaPools[i]!, target)),
      ]);
      if (primaryFacts!.standby) throw new InputError(primary.flag, primary.display, messages.primaryIsStandby);
      replicas.forEach((target, i) => {
        const facts = replicaFacts[i]!;
        if (!facts.standby) throw new InputError(target.flag, target.display, messages.replicaNotStandby);
        const ours = primaryFacts!.systemId;
        if (ours !== null && facts.systemId !== null && facts.systemId !== ours) {
          throw new InputError(target.flag, target.display, messages.replicaOtherCluster(facts.systemId, ours));
        }
      });
      return new PgCluster(primaryPool, replicaPools, primary, replicas, replicaFacts, idleErrors);
    } catch (error) {
      await Promise.allSettled(pools.map((pool) => pool.end()));
      throw error;
    }
  }

  /** Opens `count` connections on every server now, so that no operation of the run pays for one. */
  async warm(count: number): Promise<void> {
    await Promise.all(
      [this.primary, ...this.replicas].map(async (pool) => {
        const clients = await Promise.all(Array.from({ length: count }, () => pool.connect()));
        for (const client of clients) client.release();
      }),
    );
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.primary.end(), ...this.replicas.map((pool) => pool.end())]);
  }
}
