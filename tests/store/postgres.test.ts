// What only Postgres has: the pool (its size, its own result parsers, closing it), the schema chosen by
// the URL's search_path, and clear errors for a server that cannot be reached, a role it refuses, a
// database or schema that is not there, none of which ever shows the password. Runs where
// TEST_DATABASE_URL names a server (always in CI: test-database.ts fails there without one).
import pg from 'pg';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describePostgresUrl, openStore, StoreError, type OpenedStore } from '../../src/store/db.ts';
import { postgresTestDatabase, schemaOf, testDatabaseUrl, urlWithSchema } from '../helpers/test-database.ts';

const database = postgresTestDatabase();

describe.skipIf(!database)('postgres', () => {
  let url: string;
  const opened: OpenedStore[] = [];
  beforeEach(async () => {
    url = await database!.freshUrl();
  });
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
    await database!.drop(url);
  });
  const open = async (poolSize?: number) => {
    const s = await openStore(url, { poolSize });
    opened.push(s);
    return s;
  };

  it("works in the schema named by the URL's search_path", async () => {
    const store = await open();
    expect(store.dialect).toBe('postgres');
    const schema = schemaOf(url)!;
    const r = await sql<{ current: string; tables: number }>`
      SELECT current_schema() AS current,
             (SELECT count(*) FROM information_schema.tables WHERE table_schema = ${schema} AND table_name IN ('publications', 'letters_fts', 'kysely_migration')) AS tables`.execute(store.db);
    expect(r.rows[0]).toEqual({ current: schema, tables: 3 });
  });

  it('bigint and numeric results are numbers through this pool only (pg\'s global parsers are untouched)', async () => {
    const store = await open();
    const r = await sql<{ big: unknown; num: unknown; n: unknown; total: unknown }>`
      SELECT 9007199254740991::bigint AS big, 2.5::numeric AS num, count(*) AS n, sum(x::bigint) AS total FROM (VALUES (1), (2)) AS v(x)`.execute(store.db);
    expect(r.rows[0]).toEqual({ big: 9007199254740991, num: 2.5, n: 2, total: 3 });
    expect(pg.types.getTypeParser(20, 'text')('42')).toBe('42');
    const plain = new pg.Client({ connectionString: url });
    await plain.connect();
    try {
      expect((await plain.query('SELECT count(*) AS n FROM (VALUES (1)) AS v(x)')).rows[0]).toEqual({ n: '1' });
    } finally {
      await plain.end();
    }
  });

  it('the pool opens at most poolSize connections; busy() while queries run; close() ends it, twice is fine', async () => {
    const store = await open(2);
    const running = Promise.all(Array.from({ length: 6 }, () => sql<{ pid: number }>`SELECT pg_backend_pid() AS pid, pg_sleep(0.05)::text AS slept`.execute(store.db)));
    expect(store.busy()).toBe(true);
    const pids = new Set((await running).map((r) => r.rows[0]!.pid));
    expect(pids.size).toBeLessThanOrEqual(2);
    expect(store.busy()).toBe(false);
    await store.close();
    await store.close();
    await expect(store.db.selectFrom('meta').selectAll().execute()).rejects.toThrow();
  });

  it('an idle connection the server drops is reported and replaced, not fatal', async () => {
    const idle: string[] = [];
    const store = await openStore(url, { poolSize: 1, onConnectionError: (m) => idle.push(m) });
    opened.push(store);
    const pid = (await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(store.db)).rows[0]!.pid;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    } finally {
      await admin.end();
    }
    for (let i = 0; i < 100 && idle.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(idle[0]).toMatch(/an idle connection to the Postgres server at 127\.0\.0\.1:\d+ failed and was dropped/);
    const again = (await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(store.db)).rows[0]!.pid;
    expect(again).not.toBe(pid);
  });

  it('opens while other schemas come and go; introspection sees its own schema only', async () => {
    const admin = new pg.Client({ connectionString: testDatabaseUrl()! });
    await admin.connect();
    let churning = true;
    const churn = (async () => {
      for (let i = 0; churning; i++) {
        const name = `t_churn_${process.pid}_${i}`;
        await admin.query(`CREATE SCHEMA ${name}; CREATE TABLE ${name}.a (x integer); CREATE TABLE ${name}.b (y text)`);
        await admin.query(`DROP SCHEMA ${name} CASCADE`);
      }
    })();
    try {
      for (let i = 0; i < 4; i++) {
        const other = await database!.freshUrl();
        try {
          const stores = await Promise.all([openStore(other, { poolSize: 2 }), openStore(other, { poolSize: 2 })]);
          for (const st of stores) await st.close();
        } finally {
          await database!.drop(other);
        }
      }
    } finally {
      churning = false;
      await churn;
      await admin.end();
    }
    const store = await open();
    const tables = await store.db.introspection.getTables();
    expect(new Set(tables.map((t) => t.schema))).toEqual(new Set([schemaOf(url)]));
    const publications = tables.find((t) => t.name === 'publications')!;
    expect(publications.columns.find((c) => c.name === 'id')).toMatchObject({ dataType: 'int4', isAutoIncrementing: true, isNullable: false });
    expect(tables.some((t) => t.name === 'kysely_migration')).toBe(false);
  });

  it('a search_path naming no schema that exists is a clear error', async () => {
    const missing = urlWithSchema(testDatabaseUrl()!, 't_missing_schema_xyz');
    await expect(openStore(missing)).rejects.toThrow(/has no schema to work in: the search_path names none that exists/);
  });
});

describe.skipIf(!database)('postgres connection errors name the server and database, never the password', () => {
  const base = testDatabaseUrl();
  const withParts = (p: { user?: string; password?: string; port?: string; database?: string }) => {
    const u = new URL(base!);
    if (p.user !== undefined) u.username = p.user;
    if (p.password !== undefined) u.password = p.password;
    if (p.port !== undefined) u.port = p.port;
    if (p.database !== undefined) u.pathname = `/${p.database}`;
    return u.toString();
  };
  const failure = async (url: string): Promise<StoreError> => {
    try {
      const s = await openStore(url);
      await s.close();
    } catch (error) {
      expect(error).toBeInstanceOf(StoreError);
      return error as StoreError;
    }
    throw new Error(`opened ${url}`);
  };

  it('no server listening', async () => {
    const e = await failure(withParts({ port: '1', password: 'hunter2-secret' }));
    expect(e.message).toMatch(/cannot reach the Postgres server at 127\.0\.0\.1:1 \(database "[^"]+"\): ECONNREFUSED/);
    expect(e.message).not.toContain('hunter2-secret');
  });

  it('a role the server refuses', async () => {
    const e = await failure(withParts({ user: 'no_such_role', password: 'hunter2-secret' }));
    expect(e.message).toMatch(/refused user "no_such_role" for database "[^"]+": wrong user or password/);
    expect(e.message).not.toContain('hunter2-secret');
  });

  it('a database that does not exist', async () => {
    const e = await failure(withParts({ database: 'no_such_database', password: 'hunter2-secret' }));
    expect(e.message).toMatch(/database "no_such_database" does not exist on the Postgres server at 127\.0\.0\.1:\d+/);
    expect(e.message).not.toContain('hunter2-secret');
  });

  it('describes a URL without its password', () => {
    expect(describePostgresUrl('postgres://app:s3cret@db.internal:6543/alerts?sslmode=require')).toEqual({ host: 'db.internal:6543', database: 'alerts', user: 'app', password: 's3cret' });
  });
});

describe('the test databases', () => {
  it('in CI a missing TEST_DATABASE_URL is an error, never a silent skip of the Postgres half', () => {
    expect(() => testDatabaseUrl({ CI: 'true' })).toThrow(/CI=true but TEST_DATABASE_URL is not set/);
    expect(testDatabaseUrl({})).toBeNull();
    expect(testDatabaseUrl({ CI: 'true', TEST_DATABASE_URL: 'postgres://u@127.0.0.1:5432/db' })).toBe('postgres://u@127.0.0.1:5432/db');
  });

  it('a fresh schema is named in the URL\'s options, other parameters kept', () => {
    const u = urlWithSchema('postgres://u@127.0.0.1:5432/db?sslmode=disable&options=-c%20x%3Dy', 't_1');
    expect(u).toBe('postgres://u@127.0.0.1:5432/db?sslmode=disable&options=-c%20search_path%3Dt_1');
    expect(schemaOf(u)).toBe('t_1');
  });
});
