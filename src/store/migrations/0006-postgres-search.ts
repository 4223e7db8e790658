// Full-text search on Postgres: the counterpart of SQLite's FTS5 table letters_fts (migration 0002), with
// the same name and columns, so saveLetter writes both the same way. The document is a stored generated
// tsvector (english configuration: stemming and stop words) over the council's name and the title
// (weighted higher) and the letter's text, with a GIN index; src/store/letters.ts queries it. On SQLite
// this migration does nothing (FTS5 is unchanged).
import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../dialect.ts';

export async function up(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`
    CREATE TABLE letters_fts (
      publication_id integer PRIMARY KEY REFERENCES publications (id),
      authority text NOT NULL,
      title text NOT NULL,
      body text NOT NULL,
      document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, authority), 'A') ||
        setweight(to_tsvector('english'::regconfig, title), 'B') ||
        setweight(to_tsvector('english'::regconfig, body), 'D')
      ) STORED
    )`.execute(db);
  await sql`CREATE INDEX letters_fts_document ON letters_fts USING gin (document)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`DROP TABLE letters_fts`.execute(db);
}
