// Opens the store named by DATABASE_URL and brings its schema up to date with versioned migrations.
// SQLite (better-sqlite3) is the embedded default; the kysely layer above it is dialect-neutral.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Migration, type MigrationProvider } from 'kysely';
import type { Database } from './schema.ts';
import * as m0001 from './migrations/0001-watcher.ts';
import * as m0002 from './migrations/0002-letters.ts';
import * as m0003 from './migrations/0003-subscriptions.ts';
import * as m0004 from './migrations/0004-slack-installations.ts';
import * as m0005 from './migrations/0005-digests.ts';

export type Db = Kysely<Database>;

const MIGRATIONS: Record<string, Migration> = {
  '0001-watcher': m0001,
  '0002-letters': m0002,
  '0003-subscriptions': m0003,
  '0004-slack-installations': m0004,
  '0005-digests': m0005,
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
  close(): Promise<void>;
}

export async function openStore(databaseUrl: string): Promise<OpenedStore> {
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new StoreError('DATABASE_URL names Postgres, which this build does not support yet: use sqlite:PATH');
  }
  const file = databaseUrl === 'sqlite::memory:' ? ':memory:' : databaseUrl.replace(/^sqlite:(\/\/)?/, '');
  if (file !== ':memory:') {
    try {
      mkdirSync(dirname(resolve(file)), { recursive: true });
    } catch (error) {
      throw new StoreError(`cannot create the folder for the database file ${file}: ${(error as Error).message}`);
    }
  }
  let sqlite: SQLite.Database;
  try {
    sqlite = new SQLite(file, { timeout: 10_000 });
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('synchronous = NORMAL');
  } catch (error) {
    throw new StoreError(`cannot open the SQLite database ${file}: ${(error as Error).message}`);
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrate(db);
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

export async function migrate(db: Kysely<any>): Promise<void> {
  const migrator = new Migrator({ db, provider: new InCodeMigrations() });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new StoreError(`database migration ${failed?.migrationName ?? ''} failed: ${(error as Error)?.message ?? 'unknown error'}`);
  }
}
