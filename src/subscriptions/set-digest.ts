// SetDigest: a channel chooses immediate alerts (digest off), a daily or a weekly digest. The setting
// lives on the channel and is copied to the frequency of each of its subscriptions that is not ended,
// so fan-out (immediate only) and the digest builder read one column.
import type { ChannelRef, DigestSetting } from '../chat/types.ts';
import type { Db } from '../store/db.ts';
import { inTransaction } from './in-transaction.ts';
import { frequencyOf, rememberChannel } from './channels.ts';

export async function setDigest(db: Db, channel: ChannelRef, setting: DigestSetting, now: Date): Promise<{ digest: DigestSetting; subscriptions: number }> {
  const iso = now.toISOString();
  const frequency = frequencyOf(setting);
  return inTransaction(db, async (tx) => {
    await rememberChannel(tx, channel, now);
    await tx
      .updateTable('channels')
      .set({
        digest_frequency: frequency,
        digest_day: setting.mode === 'weekly' ? setting.day : null,
        digest_time: setting.mode === 'off' ? null : setting.time,
        updated_at: iso,
      })
      .where('platform', '=', channel.platform)
      .where('workspace', '=', channel.workspace)
      .where('channel', '=', channel.channel)
      .execute();
    const r = await tx
      .updateTable('subscriptions')
      .set({ frequency, updated_at: iso })
      .where('platform', '=', channel.platform)
      .where('workspace', '=', channel.workspace)
      .where('channel', '=', channel.channel)
      .where('status', '!=', 'ended')
      .executeTakeFirst();
    return { digest: setting, subscriptions: Number(r.numUpdatedRows) };
  });
}
