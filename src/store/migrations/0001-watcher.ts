// The watcher's state: publications (unique by council, type and date), their files, durable events,
// faults, runs, leases. Types chosen to mean the same on SQLite and Postgres.
import { sql, type Kysely } from 'kysely';
import { idColumn } from '../dialect.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('listed_authorities')
    .addColumn('urn', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('provider_url', 'text', (c) => c.notNull())
    .addColumn('first_seen_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('watch_state')
    .addColumn('urn', 'text', (c) => c.primaryKey())
    .addColumn('listing_latest_date', 'text')
    .addColumn('page_etag', 'text')
    .addColumn('page_last_modified', 'text')
    .addColumn('baselined_at', 'text')
    .addColumn('last_fetched_at', 'text')
    .addColumn('publications_seen', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('http_validators')
    .addColumn('url', 'text', (c) => c.primaryKey())
    .addColumn('etag', 'text')
    .addColumn('last_modified', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await idColumn(db, db.schema.createTable('publications'))
    .addColumn('authority_urn', 'text', (c) => c.notNull())
    .addColumn('authority_name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('publication_date', 'text', (c) => c.notNull())
    .addColumn('file_id', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('first_seen_at', 'text', (c) => c.notNull())
    .addColumn('found_by', 'text', (c) => c.notNull())
    .addColumn('announced', 'integer', (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('publications_identity', ['authority_urn', 'type', 'publication_date'])
    .execute();
  await db.schema.createIndex('publications_by_date').on('publications').columns(['publication_date']).execute();

  await idColumn(db, db.schema.createTable('publication_files'))
    .addColumn('publication_id', 'integer', (c) => c.notNull().references('publications.id'))
    .addColumn('file_id', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('first_seen_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('publication_files_unique', ['publication_id', 'file_id'])
    .execute();

  await idColumn(db, db.schema.createTable('events'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('publication_id', 'integer', (c) => c.notNull().references('publications.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('consumer_offsets')
    .addColumn('consumer', 'text', (c) => c.primaryKey())
    .addColumn('last_event_id', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await idColumn(db, db.schema.createTable('faults'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('first_seen_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('occurrences', 'integer', (c) => c.notNull())
    .addColumn('resolved_at', 'text')
    .execute();
  await db.schema
    .createIndex('faults_one_open')
    .on('faults')
    .columns(['kind', 'subject'])
    .unique()
    .where(sql.ref('resolved_at'), 'is', null)
    .execute();

  await idColumn(db, db.schema.createTable('runs'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('requests', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('bytes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('not_modified', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('pages_fetched', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('new_publications', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('detail', 'text')
    .execute();

  await db.schema
    .createTable('leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('meta')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['meta', 'leases', 'runs', 'faults', 'consumer_offsets', 'events', 'publication_files', 'publications', 'http_validators', 'watch_state', 'listed_authorities']) {
    await db.schema.dropTable(t).execute();
  }
}
