// Digests (daily and weekly). digest_runs: one row per schedule slot (schedule, window end), like
// email-alert-api's DigestRun, unique, for what was done when (and whether late). digest_windows: one row
// per (channel, window end), unique: the digest for that channel and window was made (queued into the
// outbox, or found empty) exactly once; its window_end is the channel's cursor, so the next window starts
// where this one ended. Two indexes help the digest builder read the outbox and the events by time.
import type { Kysely } from 'kysely';
import { idColumn } from '../dialect.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await idColumn(db, db.schema.createTable('digest_runs'))
    // 'weekly:monday:08:00' | 'daily:08:00'
    .addColumn('schedule', 'text', (c) => c.notNull())
    .addColumn('window_end', 'text', (c) => c.notNull())
    // 'running' | 'done' | 'superseded' (a missed slot folded into a later one)
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('late', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('channels', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('queued', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('empty', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('deferred', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('digest_runs_one_per_slot').on('digest_runs').columns(['schedule', 'window_end']).unique().execute();

  await db.schema
    .createTable('digest_windows')
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('workspace', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('window_end', 'text', (c) => c.notNull())
    .addColumn('window_start', 'text', (c) => c.notNull())
    .addColumn('schedule', 'text', (c) => c.notNull())
    // 'queued' (a digest delivery was made) | 'empty' (nothing to say: nothing sent)
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('publications', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('dedupe_key', 'text')
    .addColumn('late', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('digest_windows_pk', ['platform', 'workspace', 'channel', 'window_end'] as never)
    .execute();
  await db.schema.createIndex('digest_windows_by_end').on('digest_windows').columns(['window_end']).execute();

  await db.schema.createIndex('events_by_kind_time').on('events').columns(['kind', 'created_at']).execute();
  await db.schema.createIndex('deliveries_by_publication').on('deliveries').columns(['publication_id', 'kind']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('deliveries_by_publication').execute();
  await db.schema.dropIndex('events_by_kind_time').execute();
  await db.schema.dropTable('digest_windows').execute();
  await db.schema.dropTable('digest_runs').execute();
}
