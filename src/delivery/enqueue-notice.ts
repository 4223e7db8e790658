// Notices: a message to a channel that is not an alert ("the subscriptions of channel C… are paused
// because …"). Queued in the outbox like alerts, under a unique key, so a notice is never sent twice.
import type { ChannelRef } from '../chat/types.ts';
import type { Db } from '../store/db.ts';

export interface NoticePayload {
  text: string;
  /** the channel the notice is about, for adapters that can render a mention of it */
  about?: ChannelRef;
}

export async function enqueueNotice(db: Db, a: { to: ChannelRef; dedupeKey: string; notice: NoticePayload; now: Date }): Promise<boolean> {
  const iso = a.now.toISOString();
  const r = await db
    .insertInto('deliveries')
    .values({
      dedupe_key: a.dedupeKey,
      kind: 'notice',
      publication_id: null,
      platform: a.to.platform,
      workspace: a.to.workspace,
      channel: a.to.channel,
      subscription_ids: '[]',
      payload: JSON.stringify(a.notice),
      status: 'pending',
      attempts: 0,
      next_attempt_at: iso,
      parts_sent: 0,
      created_at: iso,
      updated_at: iso,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/**
 * Another channel of the same workspace that can still be reached: one with an active subscription and
 * a successful delivery within the window, the most recent first. null if there is none.
 */
export async function reachableChannel(db: Db, near: ChannelRef, since: Date): Promise<ChannelRef | null> {
  const row = await db
    .selectFrom('channels as c')
    .select(['c.platform', 'c.workspace', 'c.channel'])
    .where('c.platform', '=', near.platform)
    .where('c.workspace', '=', near.workspace)
    .where('c.channel', '!=', near.channel)
    .where('c.last_delivered_at', '>=', since.toISOString())
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('subscriptions as s')
          .select('s.id')
          .whereRef('s.platform', '=', 'c.platform')
          .whereRef('s.workspace', '=', 'c.workspace')
          .whereRef('s.channel', '=', 'c.channel')
          .where('s.status', '=', 'active'),
      ),
    )
    .orderBy('c.last_delivered_at', 'desc')
    .orderBy('c.channel')
    .limit(1)
    .executeTakeFirst();
  return row ? { platform: row.platform as ChannelRef['platform'], workspace: row.workspace, channel: row.channel } : null;
}
