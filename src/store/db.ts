// Opens the store named by DATABASE_URL and brings its schema up to date with versioned migrations.
// SQLite (better-sqlite3) is the embedded default; Postgres (a `pg` pool) is selected by a postgres:// URL.
// The kysely layer above both is dialect-neutral: the few differences live in dialect.ts, letters.ts
// (full-text search) and optimize.ts.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, type Migration, type MigrationProvider } from 'kysely';
import { StorePostgresDialect, StoreSqliteDialect } from './dialect.ts';
import { withStatementCache } from './statement-cache.ts';
import type { Database } from './schema.ts';
import * as m0001 from './migrations/0001-watcher.ts';
import * as m0002 from './migrations/0002-letters.ts';
import * as m0003 from './migrations/0003-subscriptions.ts';
import * as m0004 from './migrations/0004-slack-installations.ts';
import * as m0005 from './migrations/0005-digests.ts';
import * as m0006 from './migrations/0006-postgres-search.ts';

export type Db = Kysely<Database>;

const MIGRATIONS: Record<string, Migration> = {
  '0001-watcher': m0001,
  '0002-letters': m0002,
  '0003-subscriptions': m0003,
  '0004-slack-installations': m0004,
  '0005-digests': m0005,
  '0006-postgres-search': m0006,
};

class InCodeMigrations implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return MIGRATIONS;
  }
}

export class StoreError extends Error {}

export interface OpenedStore {
  db: Db;
  dialect: 'sqlite' | 'postgres';
  /**
   * true while a query runs or waits for a connection (Postgres). Always false on SQLite, whose calls
   * complete without waiting on I/O. Tests on virtual time use it to tell "waiting on the database"
   * from "idle".
   */
  busy(): boolean;
  /** Closes the database (ends the Postgres pool). Safe to call more than once. */
  close(): Promise<void>;
}

export interface StoreOptions {
  /** Postgres: the most connections the pool opens (default 10); DATABASE_POOL_SIZE */
  poolSize?: number;
  /** Postgres: told when a pooled connection fails, idle or in use (the pool drops it and opens another when needed) */
  onConnectionError?: (message: string) => void;
}

export const DEFAULT_POOL_SIZE = 10;

export function isPostgresUrl(databaseUrl: string): boolean {
  return /^postgres(ql)?:\/\//i.test(databaseUrl);
}

export async function openStore(databaseUrl: string, opts: StoreOptions = {}): Promise<OpenedStore> {
  return isPostgresUrl(databaseUrl) ? openPostgres(databaseUrl, opts) : openSqlite(databaseUrl);
}

/** SQLite files being migrated by this process (a second store on the same file waits for the first). */
const migrating = new Map<string, Promise<void>>();

/** how long a SQLite statement waits for another process's lock before "database is locked" */
const SQLITE_BUSY_TIMEOUT_MS = 10_000;

async function openSqlite(databaseUrl: string): Promise<OpenedStore> {
  const file = databaseUrl === 'sqlite::memory:' ? ':memory:' : databaseUrl.replace(/^sqlite:(\/\/)?/, '');
  if (file !== ':memory:') {
    try {
      mkdirSync(dirname(resolve(file)), { recursive: true });
    } catch (error) {
      throw new StoreError(`cannot create the folder for the database file ${file}: ${(error as Error).message}`);
    }
  }
  // Switching a new file to WAL takes an exclusive lock, and SQLite can answer "database is locked" at
  // once (without its busy timeout) when another process is switching it at the same moment: tried again
  // for as long as the busy timeout would have waited.
  const deadline = Date.now() + SQLITE_BUSY_TIMEOUT_MS;
  let sqlite: SQLite.Database | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      sqlite = new SQLite(file, { timeout: SQLITE_BUSY_TIMEOUT_MS });
      sqlite.pragma('journal_mode = WAL');
      sqlite.pragma('foreign_keys = ON');
      sqlite.pragma('synchronous = NORMAL');
      break;
    } catch (error) {
      sqlite?.close();
      sqlite = undefined;
      if ((error as { code?: string }).code === 'SQLITE_BUSY' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, Math.min(200, 20 * attempt)));
        continue;
      }
      throw new StoreError(`cannot open the SQLite database ${file}: ${(error as Error).message}`);
    }
  }
  const db = new Kysely<Database>({ dialect: new StoreSqliteDialect({ database: withStatementCache(sqlite) }) });
  // in this process, one store at a time migrates a given file (another process waits on SQLite's lock)
  const key = file === ':memory:' ? null : resolve(file);
  const before = key ? migrating.get(key) : undefined;
  const done = (async () => {
    await before?.catch(() => undefined);
    await migrate(db);
  })();
  if (key) migrating.set(key, done);
  try {
    await done;
  } catch (error) {
    await db.destroy().catch(() => undefined);
    throw error;
  } finally {
    if (key && migrating.get(key) === done) migrating.delete(key);
  }
  return { db, dialect: 'sqlite', busy: () => false, close: once(() => db.destroy()) };
}

// ───────────────────────────── Postgres ─────────────────────────────

/**
 * Result types for this pool only (never pg's global parsers): bigint (count(*), sum of integers) and
 * numeric (sum of bigints, avg) come back as JS numbers, like SQLite's, instead of strings.
 */
function numberTypes(): pg.CustomTypesConfig {
  const types = new pg.TypeOverrides();
  const toNumber = (value: string) => Number(value);
  types.setTypeParser(20, toNumber); // int8 / bigint
  types.setTypeParser(1700, toNumber); // numeric
  return types;
}

/** Where a postgres:// URL points, for messages: never the password. */
export function describePostgresUrl(databaseUrl: string): { host: string; database: string; user: string; password: string } {
  try {
    const u = new URL(databaseUrl);
    const q = u.searchParams;
    const user = decodeURIComponent(u.username) || q.get('user') || process.env.PGUSER || 'the default user';
    const host = (decodeURIComponent(u.hostname) || q.get('host') || process.env.PGHOST || 'localhost') + `:${u.port || q.get('port') || process.env.PGPORT || 5432}`;
    const database = decodeURIComponent(u.pathname.replace(/^\//, '')) || q.get('dbname') || process.env.PGDATABASE || user;
    return { host, database, user, password: decodeURIComponent(u.password) || q.get('password') || '' };
  } catch {
    return { host: '(unreadable URL)', database: '?', user: '?', password: '' };
  }
}

function withoutSecret(text: string, secret: string): string {
  return secret ? text.split(secret).join('***') : text;
}

/** A connection error as one sentence that says what to check, naming host and database, never the password. */
function connectError(error: unknown, where: ReturnType<typeof describePostgresUrl>): StoreError {
  const e = error as { code?: string; message?: string; errors?: { code?: string }[] };
  const code = e?.code ?? e?.errors?.[0]?.code;
  const detail = withoutSecret(e?.message || String(code ?? error), where.password);
  const at = `the Postgres server at ${where.host}`;
  if (code === '28P01' || code === '28000') {
    return new StoreError(`${at} refused user "${where.user}" for database "${where.database}": wrong user or password in DATABASE_URL, or pg_hba.conf does not allow this client (${detail})`);
  }
  if (code === '3D000') {
    return new StoreError(`database "${where.database}" does not exist on ${at}: create it (createdb ${where.database}) or fix DATABASE_URL`);
  }
  if (code && ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET'].includes(code)) {
    return new StoreError(`cannot reach ${at} (database "${where.database}"): ${code}. Is the server running, and are DATABASE_URL's host and port right?`);
  }
  if (/timeout/i.test(detail)) {
    return new StoreError(`cannot reach ${at} (database "${where.database}"): no answer in time. Is the server running, and are DATABASE_URL's host and port right?`);
  }
  return new StoreError(`cannot open the Postgres database "${where.database}" at ${where.host} as "${where.user}": ${detail}`);
}

async function openPostgres(databaseUrl: string, opts: StoreOptions): Promise<OpenedStore> {
  const where = describePostgresUrl(databaseUrl);
  let pool: pg.Pool;
  try {
    pool = new pg.Pool({
      connectionString: databaseUrl,
      max: opts.poolSize ?? DEFAULT_POOL_SIZE,
      types: numberTypes(),
      // waiting longer than this for a connection (to open one, or for a free one) fails the query loudly
      connectionTimeoutMillis: 30_000,
      application_name: 'ofsted-alerts',
    });
  } catch (error) {
    throw connectError(error, where);
  }
  // An idle connection that fails (server restart, network) is dropped by the pool and replaced on demand;
  // without a listener its 'error' event would end the process.
  pool.on('error', (error) =>
    opts.onConnectionError?.(`an idle connection to the Postgres server at ${where.host} failed and was dropped (another is opened when needed): ${withoutSecret(error.message, where.password)}`),
  );
  // A connection checked out but between queries (a cluster section holds one for as long as its work
  // runs) has no pool listener: if the server ends it, its 'error' event would end the process. The
  // holder's next query fails instead, and the pool drops the connection when it is released.
  // (An idle connection's failure is the pool's 'error' above: reported once, there.)
  const inUse = new WeakSet<pg.PoolClient>();
  pool.on('acquire', (client) => inUse.add(client));
  pool.on('release', (_error, client) => inUse.delete(client));
  pool.on('connect', (client) => {
    client.on('error', (error) => {
      if (inUse.has(client)) {
        opts.onConnectionError?.(`a connection to the Postgres server at ${where.host} failed while in use: ${withoutSecret(error.message, where.password)}`);
      }
    });
  });

  let schema: string | null;
  try {
    const r = await pool.query<{ schema: string | null }>('SELECT current_schema() AS schema');
    schema = r.rows[0]?.schema ?? null;
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw connectError(error, where);
  }
  if (!schema) {
    await pool.end().catch(() => undefined);
    throw new StoreError(
      `the Postgres database "${where.database}" at ${where.host} has no schema to work in: the search_path names none that exists (create the schema, or fix the search_path in DATABASE_URL's options)`,
    );
  }

  const db = new Kysely<Database>({ dialect: new StorePostgresDialect({ pool }) });
  try {
    await migrate(db, schema);
  } catch (error) {
    await db.destroy().catch(() => undefined);
    throw error;
  }
  return {
    db,
    dialect: 'postgres',
    busy: () => pool.totalCount - pool.idleCount > 0 || pool.waitingCount > 0,
    close: once(() => db.destroy()),
  };
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | null = null;
  return () => (done ??= fn());
}

/**
 * Brings the schema up to date. Several instances may start at once: kysely's Migrator serialises them
 * (a Postgres advisory lock; SQLite's single writer), and the one that comes second finds nothing to do.
 * On Postgres the migration tables are looked for in the current schema only (kysely otherwise checks
 * every schema of the database and would take another schema's tables for this one's; see also
 * StorePostgresDialect).
 */
export async function migrate(db: Kysely<any>, schema?: string): Promise<void> {
  const migrator = new Migrator({ db, provider: new InCodeMigrations(), ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new StoreError(`database migration ${failed?.migrationName ?? ''} failed: ${(error as Error)?.message ?? 'unknown error'}`);
  }
}
