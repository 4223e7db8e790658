// Durable publication events and the consumers' positions in them. Consumers (letter reader, announcers)
// read events after their offset and move it forward only once an event is handled, so a crash replays, never skips.
import { sql } from 'kysely';
import type { Db } from './db.ts';
import type { EventRow } from './schema.ts';

export type EventKind = 'publication.new' | 'publication.republished';

export async function eventsAfter(db: Db, afterId: number, limit = 100, kinds?: EventKind[]): Promise<EventRow[]> {
  let q = db.selectFrom('events').selectAll().where('id', '>', afterId);
  if (kinds) q = q.where('kind', 'in', kinds);
  return q.orderBy('id').limit(limit).execute();
}

export async function getOffset(db: Db, consumer: string): Promise<number> {
  const row = await db.selectFrom('consumer_offsets').select('last_event_id').where('consumer', '=', consumer).executeTakeFirst();
  return row?.last_event_id ?? 0;
}

/**
 * Moves a consumer's offset forward to lastEventId; never back. Two holders of a consumer (which the
 * cluster's sections prevent, but a paused process waking late could be one) cannot make it replay
 * what the other has passed.
 */
export async function setOffset(db: Db, consumer: string, lastEventId: number, now: Date): Promise<void> {
  await db
    .insertInto('consumer_offsets')
    .values({ consumer, last_event_id: lastEventId, updated_at: now.toISOString() })
    .onConflict((oc) =>
      oc.column('consumer').doUpdateSet({
        last_event_id: sql<number>`CASE WHEN consumer_offsets.last_event_id > excluded.last_event_id THEN consumer_offsets.last_event_id ELSE excluded.last_event_id END`,
        updated_at: now.toISOString(),
      }),
    )
    .execute();
}

export async function latestEventId(db: Db): Promise<number> {
  const row = await db.selectFrom('events').select((eb) => eb.fn.max('id').as('max')).executeTakeFirst();
  return Number(row?.max ?? 0);
}
