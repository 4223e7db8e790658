// better-sqlite3 behind kysely, with each SQL text prepared once. kysely's SQLite driver calls
// db.prepare(sql) for every query; preparing (parsing and planning) cost about as much CPU as running the
// statement in the delivery benchmarks, since the outbox runs the same few statements thousands of times.
// Statements are kept by their SQL text, least recently used out first; SQLite re-prepares a kept
// statement by itself after a schema change (a migration). Streaming (iterate) always takes a fresh
// statement: a kept one could be busy in another stream.
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import type SQLite from 'better-sqlite3';

/** distinct SQL texts kept prepared; the store's queries are a few hundred at most */
export const STATEMENT_CACHE_SIZE = 500;

export function withStatementCache(database: SQLite.Database, size = STATEMENT_CACHE_SIZE): SqliteDatabase {
  const kept = new Map<string, SqliteStatement>();
  return {
    close: () => {
      kept.clear();
      database.close();
    },
    prepare(sql: string): SqliteStatement {
      const hit = kept.get(sql);
      if (hit) {
        // most recently used last: re-insert
        kept.delete(sql);
        kept.set(sql, hit);
        return hit;
      }
      const stmt = database.prepare(sql);
      const statement: SqliteStatement = {
        reader: stmt.reader,
        all: (parameters) => stmt.all(parameters as unknown[]),
        run: (parameters) => stmt.run(parameters as unknown[]),
        iterate: (parameters) => database.prepare(sql).iterate(parameters as unknown[]),
      };
      kept.set(sql, statement);
      if (kept.size > size) kept.delete(kept.keys().next().value!);
      return statement;
    },
  };
}
