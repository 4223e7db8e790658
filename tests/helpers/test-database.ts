// The databases the store-level tests run on: SQLite always (a file in a temp folder), and Postgres when
// TEST_DATABASE_URL names a server (`TEST_DATABASE_URL=$(scripts/test-postgres.sh start) npm test`).
// Each fresh Postgres database is a new, uniquely named schema in that database (vitest runs files in
// parallel: names never collide), reached through the URL's `options=-c search_path=NAME`; drop() removes
// it with CASCADE (and pg-boss's `NAME_pgboss` beside it). In CI (CI=true) a missing TEST_DATABASE_URL is
// an error, never a silent skip of the Postgres half.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, beforeEach } from 'vitest';
import { openStore, type OpenedStore } from '../../src/store/db.ts';

export type EngineName = 'sqlite' | 'postgres';

export interface TestDatabase {
  name: EngineName;
  /** a new, empty database: its DATABASE_URL */
  freshUrl(): Promise<string>;
  /** removes what freshUrl made (the SQLite file's folder; the Postgres schema, CASCADE) */
  drop(url: string): Promise<void>;
}

const SCHEMA_OPTION = /(?:^|\s)-c\s*search_path=([a-z0-9_]+)/;

export const sqliteTestDatabase: TestDatabase = {
  name: 'sqlite',
  async freshUrl() {
    const dir = mkdtempSync(join(tmpdir(), 'ofsted-store-'));
    return `sqlite:${join(dir, 'store.db')}`;
  },
  async drop(url) {
    const file = url.replace(/^sqlite:/, '');
    if (file.startsWith(tmpdir())) rmSync(dirname(file), { recursive: true, force: true });
  },
};

/** TEST_DATABASE_URL, or null; in CI its absence is an error. */
export function testDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string | null {
  const url = env.TEST_DATABASE_URL?.trim();
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) throw new Error(`TEST_DATABASE_URL must be a postgres:// URL (got something else)`);
    return url;
  }
  if (env.CI === 'true' || env.CI === '1') {
    throw new Error(
      'CI=true but TEST_DATABASE_URL is not set: CI must run the Postgres half of the tests. ' +
        'Start a server with `scripts/test-postgres.sh start` and export TEST_DATABASE_URL to the URL it prints (.ci/run does this).',
    );
  }
  return null;
}

let seq = 0;

async function admin<T>(baseUrl: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: baseUrl, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The URL with its search_path set to the schema (other query parameters kept). */
export function urlWithSchema(baseUrl: string, schema: string): string {
  const [head, query = ''] = baseUrl.split('?', 2) as [string, string?];
  const params = query.split('&').filter((p) => p && !p.startsWith('options='));
  params.push(`options=${encodeURIComponent(`-c search_path=${schema}`)}`);
  return `${head}?${params.join('&')}`;
}

export function schemaOf(url: string): string | null {
  const options = new URL(url).searchParams.get('options') ?? '';
  return SCHEMA_OPTION.exec(options)?.[1] ?? null;
}

export function postgresDatabaseAt(baseUrl: string): TestDatabase {
  return {
    name: 'postgres',
    async freshUrl() {
      const schema = `t_${process.pid}_${(++seq).toString(36)}_${randomBytes(4).toString('hex')}`;
      await admin(baseUrl, (c) => c.query(`CREATE SCHEMA ${schema}`));
      return urlWithSchema(baseUrl, schema);
    },
    async drop(url) {
      const schema = schemaOf(url);
      if (!schema || !schema.startsWith('t_')) throw new Error('drop(): not a URL made by freshUrl()');
      await admin(baseUrl, async (c) => {
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await c.query(`DROP SCHEMA IF EXISTS ${schema}_pgboss CASCADE`);
      });
    },
  };
}

/** Postgres, when TEST_DATABASE_URL is set; null otherwise (outside CI). */
export function postgresTestDatabase(): TestDatabase | null {
  const url = testDatabaseUrl();
  return url ? postgresDatabaseAt(url) : null;
}

/** SQLite, and Postgres when available: `describe.each(testDatabases())('$name', (database) => …)`. */
export function testDatabases(): TestDatabase[] {
  const pgDb = postgresTestDatabase();
  return pgDb ? [sqliteTestDatabase, pgDb] : [sqliteTestDatabase];
}

/** A fresh store for every test of the enclosing describe (opened before, closed and dropped after). */
export function freshStoreEachTest(database: TestDatabase, opts: { poolSize?: number } = { poolSize: 3 }): { readonly store: OpenedStore; readonly url: string } {
  let store: OpenedStore | null = null;
  let url = '';
  beforeEach(async () => {
    url = await database.freshUrl();
    store = await openStore(url, opts);
  });
  afterEach(async () => {
    await store?.close();
    await database.drop(url);
    store = null;
  });
  return {
    get store() {
      if (!store) throw new Error('the store is open only inside a test');
      return store;
    },
    get url() {
      return url;
    },
  };
}
