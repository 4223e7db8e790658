// PauseSubscriptions / ResumeSubscriptions: a person pausing or resuming a channel's subscriptions, and
// PauseChannel: the outbox pausing every active subscription of a channel it cannot reach, with the
// platform's reason ("channel_not_found: …"). A paused subscription keeps its filters and gets nothing
// until resumed (or subscribed to again).
import type { ChannelRef, Subscription, SubscriptionStatus } from '../chat/types.ts';
import type { Db } from '../store/db.ts';
import { inTransaction } from './in-transaction.ts';
import { liveSubscriptionRows, targetsWithout } from './live-subscriptions.ts';
import { toSubscription, type ResolvedTarget } from './subscription-rows.ts';

export interface ChangeStatusInput {
  channel: ChannelRef;
  targets: readonly ResolvedTarget[] | 'all';
  now: Date;
}

export interface ChangeStatusResult {
  changed: Subscription[];
  /** already in the asked-for state */
  unchanged: Subscription[];
  /** targets the channel does not follow */
  notFound: ResolvedTarget[];
}

export function pauseSubscriptions(db: Db, input: ChangeStatusInput & { reason: string }): Promise<ChangeStatusResult> {
  return changeStatus(db, input, 'paused', input.reason);
}

export function resumeSubscriptions(db: Db, input: ChangeStatusInput): Promise<ChangeStatusResult> {
  return changeStatus(db, input, 'active', null);
}

/** Pauses every active subscription of the channel with the reason; returns those paused. */
export async function pauseChannel(db: Db, channel: ChannelRef, reason: string, now: Date): Promise<Subscription[]> {
  return (await changeStatus(db, { channel, targets: 'all', now }, 'paused', reason)).changed;
}

async function changeStatus(db: Db, input: ChangeStatusInput, to: Exclude<SubscriptionStatus, 'ended'>, reason: string | null): Promise<ChangeStatusResult> {
  const iso = input.now.toISOString();
  const from = to === 'paused' ? 'active' : 'paused';
  return inTransaction(db, async (tx) => {
    const rows = await liveSubscriptionRows(tx, input.channel, input.targets);
    const result: ChangeStatusResult = { changed: [], unchanged: [], notFound: input.targets === 'all' ? [] : targetsWithout(input.targets, rows) };
    for (const row of rows) {
      if (row.status !== from) {
        result.unchanged.push(toSubscription(row));
        continue;
      }
      const updated = await tx
        .updateTable('subscriptions')
        .set({ status: to, status_reason: reason, updated_at: iso })
        .where('id', '=', row.id)
        .where('status', '=', from)
        .returningAll()
        .executeTakeFirst();
      if (updated) result.changed.push(toSubscription(updated));
    }
    return result;
  });
}
