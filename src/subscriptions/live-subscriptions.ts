// Reading one channel's subscriptions that are not ended, all or for some targets. Every query is scoped
// by the full channel key (platform, workspace, channel): a caller can only ever see its own channel's.
import type { ChannelRef } from '../chat/types.ts';
import type { Db } from '../store/db.ts';
import type { SubscriptionRow } from '../store/schema.ts';
import { targetKey, type ResolvedTarget } from './subscription-rows.ts';

export async function liveSubscriptionRows(db: Db, channel: ChannelRef, targets: readonly ResolvedTarget[] | 'all' = 'all'): Promise<SubscriptionRow[]> {
  let q = db
    .selectFrom('subscriptions')
    .selectAll()
    .where('platform', '=', channel.platform)
    .where('workspace', '=', channel.workspace)
    .where('channel', '=', channel.channel)
    .where('status', '!=', 'ended');
  if (targets !== 'all') {
    if (targets.length === 0) return [];
    const keys = targets.map((t) => targetKey(t.target));
    q = q.where((eb) => eb.or(keys.map((k) => eb.and([eb('target_kind', '=', k.kind), eb('target_value', '=', k.value)]))));
  }
  return q.orderBy('target_kind').orderBy('target_name').orderBy('id').execute();
}

/** The given targets that none of the rows is for. */
export function targetsWithout(targets: readonly ResolvedTarget[], rows: readonly SubscriptionRow[]): ResolvedTarget[] {
  return targets.filter((t) => {
    const k = targetKey(t.target);
    return !rows.some((r) => r.target_kind === k.kind && r.target_value === k.value);
  });
}
