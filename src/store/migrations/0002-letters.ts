// What was read from each publication's file: text, structure, classified sentences, summary, or why it
// could not be read. Full-text search: an FTS5 table on SQLite (Postgres: a tsvector table, migration 0006).
import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../dialect.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('letters')
    .addColumn('publication_id', 'integer', (c) => c.primaryKey().references('publications.id'))
    .addColumn('file_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('failure_kind', 'text')
    .addColumn('reason', 'text')
    .addColumn('pages', 'integer')
    .addColumn('text', 'text')
    .addColumn('structure', 'text')
    .addColumn('sentences', 'text')
    .addColumn('summary', 'text')
    .addColumn('read_at', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  if (!isPostgres(db)) {
    await sql`CREATE VIRTUAL TABLE letters_fts USING fts5(publication_id UNINDEXED, authority, title, body, tokenize = 'porter unicode61')`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) await sql`DROP TABLE letters_fts`.execute(db);
  await db.schema.dropTable('letters').execute();
}
