// The channels the product knows: one row per (platform, workspace, channel), made when a channel first
// subscribes or sets a digest. Holds the channel's digest setting and, for Teams, its conversation reference.
import { DEFAULT_DIGEST_TIME } from '../chat/types.ts';
import type { ChannelRef, DigestSetting, Frequency, Weekday } from '../chat/types.ts';
import type { Db } from '../store/db.ts';
import type { ChannelRow } from '../store/schema.ts';

export async function getChannel(db: Db, ref: ChannelRef): Promise<ChannelRow | undefined> {
  return db
    .selectFrom('channels')
    .selectAll()
    .where('platform', '=', ref.platform)
    .where('workspace', '=', ref.workspace)
    .where('channel', '=', ref.channel)
    .executeTakeFirst();
}

/**
 * Makes sure the channel has a row (idempotent). A Teams adapter passes the conversation reference it
 * saved (JSON) so proactive messages can reach the conversation later; null leaves a stored one alone.
 */
export async function rememberChannel(db: Db, ref: ChannelRef, now: Date, conversationRef: string | null = null): Promise<void> {
  const iso = now.toISOString();
  await db
    .insertInto('channels')
    .values({
      platform: ref.platform,
      workspace: ref.workspace,
      channel: ref.channel,
      digest_frequency: 'immediate',
      conversation_ref: conversationRef,
      created_at: iso,
      updated_at: iso,
    })
    .onConflict((oc) =>
      conversationRef === null
        ? oc.columns(['platform', 'workspace', 'channel']).doNothing()
        : oc.columns(['platform', 'workspace', 'channel']).doUpdateSet({ conversation_ref: conversationRef, updated_at: iso }),
    )
    .execute();
}

const WEEKDAYS = new Set(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']);

/** The digest setting a channel row stores; immediate (off) for a channel without a row. */
export function digestOf(row: ChannelRow | undefined): DigestSetting {
  if (!row) return { mode: 'off' };
  const time = row.digest_time ?? DEFAULT_DIGEST_TIME;
  if (row.digest_frequency === 'daily') return { mode: 'daily', time };
  if (row.digest_frequency === 'weekly') {
    const day = (row.digest_day && WEEKDAYS.has(row.digest_day) ? row.digest_day : 'monday') as Weekday;
    return { mode: 'weekly', day, time };
  }
  return { mode: 'off' };
}

export function frequencyOf(setting: DigestSetting): Frequency {
  return setting.mode === 'off' ? 'immediate' : setting.mode;
}
