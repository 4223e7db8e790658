// EndSubscriptions: unsubscribes a channel from some targets or from everything. The rows stay, ended,
// with the reason ("unsubscribed by U123") and the time; alerts already queued for them are cancelled
// by the outbox when it finds no active subscription left for them.
import type { ChannelRef, Subscription } from '../chat/types.ts';
import type { Db } from '../store/db.ts';
import { inTransaction } from './in-transaction.ts';
import { liveSubscriptionRows, targetsWithout } from './live-subscriptions.ts';
import { toSubscription, type ResolvedTarget } from './subscription-rows.ts';

export interface EndSubscriptionsInput {
  channel: ChannelRef;
  targets: readonly ResolvedTarget[] | 'all';
  reason: string;
  now: Date;
}

export interface EndSubscriptionsResult {
  ended: Subscription[];
  /** targets the channel did not follow */
  notFound: ResolvedTarget[];
}

export async function endSubscriptions(db: Db, input: EndSubscriptionsInput): Promise<EndSubscriptionsResult> {
  const iso = input.now.toISOString();
  return inTransaction(db, async (tx) => {
    const rows = await liveSubscriptionRows(tx, input.channel, input.targets);
    const ended: Subscription[] = [];
    for (const row of rows) {
      const updated = await tx
        .updateTable('subscriptions')
        .set({ status: 'ended', status_reason: input.reason, ended_at: iso, updated_at: iso })
        .where('id', '=', row.id)
        .where('status', '!=', 'ended')
        .returningAll()
        .executeTakeFirst();
      if (updated) ended.push(toSubscription(updated));
    }
    return { ended, notFound: input.targets === 'all' ? [] : targetsWithout(input.targets, rows) };
  });
}
