// The few places where SQLite and Postgres differ, kept in one file.
import type { ColumnMetadata, CreateTableBuilder, DatabaseIntrospector, DatabaseMetadata, DatabaseMetadataOptions, DialectAdapter, Kysely, SchemaMetadata, TableMetadata } from 'kysely';
import { DEFAULT_MIGRATION_LOCK_TABLE, DEFAULT_MIGRATION_TABLE, PostgresAdapter, PostgresDialect, SqliteAdapter, SqliteDialect, sql } from 'kysely';

export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** An auto-incrementing integer primary key named id. */
export function idColumn<T extends string>(db: Kysely<any>, table: CreateTableBuilder<T, never>): CreateTableBuilder<T, 'id'> {
  return isPostgres(db)
    ? table.addColumn('id', 'serial', (c) => c.primaryKey())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

/**
 * kysely's SQLite adapter takes no lock around migrations (it assumes one connection), so two processes
 * opening a new database file at once could both run the same migration ("table already exists").
 * Holding SQLite's write lock (BEGIN IMMEDIATE) from reading which migrations ran until they are all
 * applied makes the second process wait, then find nothing to do; Postgres has kysely's advisory lock.
 */
class SerialMigrationsSqliteAdapter extends SqliteAdapter {
  override async acquireMigrationLock(db: Kysely<any>): Promise<void> {
    await sql`BEGIN IMMEDIATE`.execute(db);
  }
  override async releaseMigrationLock(db: Kysely<any>): Promise<void> {
    await sql`COMMIT`.execute(db);
  }
}

export class StoreSqliteDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new SerialMigrationsSqliteAdapter();
  }
}

/**
 * kysely's Postgres introspector (which its Migrator uses to see whether its own tables exist) reads the
 * tables of EVERY schema in the database and calls has_schema_privilege on each; when another schema is
 * dropped meanwhile (another deployment's, or a test's) that fails with `schema "…" does not exist`, and
 * the store would not open. The store only ever needs its own schema: this introspector reads that one.
 */
class CurrentSchemaIntrospector implements DatabaseIntrospector {
  constructor(private readonly db: Kysely<any>) {}

  async getSchemas(): Promise<SchemaMetadata[]> {
    return (await sql<SchemaMetadata>`SELECT nspname AS name FROM pg_catalog.pg_namespace`.execute(this.db)).rows;
  }

  async getTables(options: DatabaseMetadataOptions = { withInternalKyselyTables: false }): Promise<TableMetadata[]> {
    const rows = (
      await sql<{ table: string; kind: string; schema: string; column: string | null; type: string | null; not_null: boolean; has_default: boolean; default_sql: string | null }>`
        SELECT c.relname AS "table", c.relkind AS kind, ns.nspname AS schema, a.attname AS "column", t.typname AS type,
               coalesce(a.attnotnull, false) AS not_null, coalesce(a.atthasdef, false) AS has_default, pg_get_expr(d.adbin, d.adrelid) AS default_sql
        FROM pg_catalog.pg_class c
        JOIN pg_catalog.pg_namespace ns ON ns.oid = c.relnamespace
        LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        LEFT JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
        LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
        WHERE ns.nspname = current_schema() AND c.relkind IN ('r', 'v', 'p')
        ORDER BY c.relname, a.attnum`.execute(this.db)
    ).rows;
    const tables = new Map<string, { name: string; isView: boolean; schema: string; columns: ColumnMetadata[] }>();
    for (const r of rows) {
      if (!options.withInternalKyselyTables && (r.table === DEFAULT_MIGRATION_TABLE || r.table === DEFAULT_MIGRATION_LOCK_TABLE)) continue;
      let t = tables.get(r.table);
      if (!t) tables.set(r.table, (t = { name: r.table, isView: r.kind === 'v', schema: r.schema, columns: [] }));
      if (r.column) {
        t.columns.push({
          name: r.column,
          dataType: r.type ?? 'unknown',
          isNullable: !r.not_null,
          hasDefaultValue: r.has_default,
          isAutoIncrementing: /^nextval\(/.test(r.default_sql ?? ''),
        });
      }
    }
    return [...tables.values()];
  }

  async getMetadata(options?: DatabaseMetadataOptions): Promise<DatabaseMetadata> {
    return { tables: await this.getTables(options) };
  }
}

export class StorePostgresDialect extends PostgresDialect {
  override createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new CurrentSchemaIntrospector(db);
  }
}

/**
 * Row ids are 32-bit integers (serial on Postgres). A larger number names no row; Postgres would refuse
 * it in a query ("out of range for type integer") where SQLite finds nothing, so ids that come from
 * outside (a command line, a button's value) are checked with this first.
 */
export const MAX_ROW_ID = 2_147_483_647;
export function isRowId(n: number): boolean {
  return Number.isInteger(n) && n > 0 && n <= MAX_ROW_ID;
}
