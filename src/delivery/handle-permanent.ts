// A channel that cannot be reached until a person acts (channel_not_found, is_archived, not_in_channel,
// account_inactive, token_revoked, no_permission; Teams 403/404). In ONE transaction: every active
// subscription of the channel is paused with the reason, the delivery and the channel's other waiting
// deliveries are marked undeliverable with it, and — where another channel of the workspace can still
// be reached — a notice is queued there saying which channel's subscriptions were paused and why.
// Nothing vanishes silently: the reason is stored on each row and shown by `list` and `health`.
import type { ChannelRef, Subscription } from '../chat/types.ts';
import type { Db } from '../store/db.ts';
import type { DeliveryRow } from '../store/schema.ts';
import { pauseChannel } from '../subscriptions/pause-subscriptions.ts';
import { inTransaction } from '../subscriptions/in-transaction.ts';
import { pausedNoticeKey } from './delivery-keys.ts';
import { enqueueNotice, reachableChannel } from './enqueue-notice.ts';

export interface PermanentOutcome {
  /** false if the claim was lost before the change (another worker has the delivery) */
  recorded: boolean;
  paused: Subscription[];
  noticeTo: ChannelRef | null;
}

export async function handlePermanent(
  db: Db,
  a: { delivery: DeliveryRow; holder: string; code: string; message: string; now: Date; reachableWithinMs: number },
): Promise<PermanentOutcome> {
  const d = a.delivery;
  const channel: ChannelRef = { platform: d.platform as ChannelRef['platform'], workspace: d.workspace, channel: d.channel };
  const reason = permanentReason(a.code, a.message);
  const iso = a.now.toISOString();
  return inTransaction(db, async (tx) => {
    const own = await tx
      .updateTable('deliveries')
      .set({ status: 'undeliverable', last_error: reason, claimed_by: null, claimed_until: null, updated_at: iso })
      .where('id', '=', d.id)
      .where('claimed_by', '=', a.holder)
      .where('claimed_until', '>=', iso)
      .where('status', '=', 'sending')
      .executeTakeFirst();
    if (Number(own.numUpdatedRows) === 0) return { recorded: false, paused: [], noticeTo: null };
    // the channel's other waiting deliveries would fail the same way
    await tx
      .updateTable('deliveries')
      .set({ status: 'undeliverable', last_error: reason, updated_at: iso })
      .where('platform', '=', d.platform)
      .where('workspace', '=', d.workspace)
      .where('channel', '=', d.channel)
      .where('status', 'in', ['pending', 'failed'])
      .execute();
    const paused = await pauseChannel(tx, channel, reason, a.now);
    // a notice that cannot be delivered does not start another notice
    if (d.kind === 'notice') return { recorded: true, paused, noticeTo: null };
    const to = await reachableChannel(tx, channel, new Date(a.now.getTime() - a.reachableWithinMs));
    if (to) {
      await enqueueNotice(tx, { to, dedupeKey: pausedNoticeKey(d.id), notice: { text: pausedNoticeText(channel, reason, paused), about: channel }, now: a.now });
    }
    return { recorded: true, paused, noticeTo: to };
  });
}

/** "code: message", without repeating a code the message already starts with (senders may include it). */
export function permanentReason(code: string, message: string): string {
  const m = (message ?? '').trim();
  if (m === '') return code;
  return m.toLowerCase().startsWith(code.toLowerCase()) ? m : `${code}: ${m}`;
}

/**
 * The notice, in the words of the platform of the channel that cannot be reached: what a person there does
 * to let the app post again, and how they type `resume` (Slack: the /ofsted command; Teams: a mention).
 */
export function pausedNoticeText(channel: ChannelRef, reason: string, paused: readonly Subscription[]): string {
  const names = paused.map((s) => s.targetName);
  const what =
    names.length === 0
      ? 'Its alerts are held'
      : `Its ${names.length === 1 ? 'subscription' : `${names.length} subscriptions`} (${names.join(', ')}) ${names.length === 1 ? 'is' : 'are'} paused`;
  switch (channel.platform) {
    case 'slack':
      return (
        `Ofsted alerts could not post in channel ${channel.channel} (${reason}). ${what}, so nothing more goes there for now. ` +
        'Once the app can post there again (invite it back with `/invite @Ofsted Alerts`, or unarchive the channel), type `/ofsted resume` in that channel.'
      );
    case 'teams':
      return (
        `Ofsted alerts could not post in the Teams conversation ${channel.channel} (${reason}). ${what}, so nothing more goes there for now. ` +
        'Once the app can post there again (add it back to that team or chat, or ask your Teams administrator to unblock it), mention the app there with `resume`, for example `@Ofsted resume`.'
      );
    default:
      return (
        `Ofsted alerts could not post in ${channel.channel} (${reason}). ${what}, so nothing more goes there for now. ` +
        'Once the app can post there again, send `resume` there.'
      );
  }
}
