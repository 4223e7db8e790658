// Chat channels, their subscriptions and the delivery outbox. A channel is (platform, workspace,
// channel); nothing crosses a workspace. A subscription is never deleted: unsubscribing ends it with a
// reason. The outbox holds one delivery per (publication, channel), made impossible to duplicate by
// its unique dedupe key; workers claim channels and deliveries with expiring claims, so a dead worker's
// work is taken over. Types chosen to mean the same on SQLite and Postgres (ISO text timestamps, JSON text).
import { sql, type Kysely } from 'kysely';
import { idColumn } from '../dialect.ts';

const CHANNEL_KEY = ['platform', 'workspace', 'channel'];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('channels')
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('workspace', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    // 'immediate' | 'daily' | 'weekly'; day: 'monday'…; time: 'HH:MM' Europe/London
    .addColumn('digest_frequency', 'text', (c) => c.notNull().defaultTo('immediate'))
    .addColumn('digest_day', 'text')
    .addColumn('digest_time', 'text')
    // Teams: the saved conversation reference (JSON) for proactive messages
    .addColumn('conversation_ref', 'text')
    .addColumn('last_delivered_at', 'text')
    // pacing: the earliest time the next message may go to this channel (also set by Retry-After)
    .addColumn('next_send_at', 'text')
    // the outbox worker serving this channel, so one channel is paced by one worker at a time
    .addColumn('claimed_by', 'text')
    .addColumn('claimed_until', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('channels_pk', CHANNEL_KEY as never)
    .execute();
  await db.schema.createIndex('channels_by_workspace').on('channels').columns(['platform', 'workspace', 'last_delivered_at']).execute();

  await idColumn(db, db.schema.createTable('subscriptions'))
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('workspace', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    // 'authority' (value: URN) | 'region' (value: ONS region code) | 'all' (value: '*')
    .addColumn('target_kind', 'text', (c) => c.notNull())
    .addColumn('target_value', 'text', (c) => c.notNull())
    .addColumn('target_name', 'text', (c) => c.notNull())
    .addColumn('types', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('themes', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('frequency', 'text', (c) => c.notNull().defaultTo('immediate'))
    // 'active' | 'paused' | 'ended'
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('status_reason', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .addForeignKeyConstraint('subscriptions_channel_fk', CHANNEL_KEY as never, 'channels', CHANNEL_KEY)
    .execute();
  // at most one live (not ended) subscription per channel and target: duplicates are impossible
  await db.schema
    .createIndex('subscriptions_one_live_per_target')
    .on('subscriptions')
    .columns(['platform', 'workspace', 'channel', 'target_kind', 'target_value'])
    .unique()
    .where(sql.ref('status'), '!=', 'ended')
    .execute();
  await db.schema.createIndex('subscriptions_by_target').on('subscriptions').columns(['target_kind', 'target_value', 'status']).execute();
  await db.schema.createIndex('subscriptions_by_channel').on('subscriptions').columns(['platform', 'workspace', 'channel', 'status']).execute();

  await idColumn(db, db.schema.createTable('deliveries'))
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    // 'alert' | 'notice' | 'digest'
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('publication_id', 'integer', (c) => c.references('publications.id'))
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('workspace', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('subscription_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('payload', 'text')
    // 'pending' | 'sending' | 'sent' | 'failed' | 'undeliverable' | 'cancelled'
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('claimed_by', 'text')
    .addColumn('claimed_until', 'text')
    .addColumn('parts_sent', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('parts_total', 'integer')
    .addColumn('thread_ref', 'text')
    // set just before a part is sent, cleared when it is marked: non-null on a claim = that part is in doubt
    .addColumn('part_started_at', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addForeignKeyConstraint('deliveries_channel_fk', CHANNEL_KEY as never, 'channels', CHANNEL_KEY)
    .execute();
  await db.schema.createIndex('deliveries_due').on('deliveries').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('deliveries_by_channel').on('deliveries').columns(['platform', 'workspace', 'channel', 'status']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['deliveries', 'subscriptions', 'channels']) await db.schema.dropTable(t).execute();
}
