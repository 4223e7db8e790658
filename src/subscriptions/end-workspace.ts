// EndWorkspace: the app was removed from a whole workspace or tenant (Slack app_uninstalled or
// tokens_revoked, Teams bot removed). Ends every subscription there with the reason and cancels the
// deliveries still waiting for it (kept, with the reason), in one transaction. Other workspaces are untouched.
import type { Platform } from '../chat/types.ts';
import type { Db } from '../store/db.ts';
import { inTransaction } from './in-transaction.ts';

export async function endWorkspace(
  db: Db,
  platform: Platform,
  workspace: string,
  reason: string,
  now: Date,
): Promise<{ endedSubscriptions: number; cancelledDeliveries: number }> {
  const iso = now.toISOString();
  return inTransaction(db, async (tx) => {
    const subs = await tx
      .updateTable('subscriptions')
      .set({ status: 'ended', status_reason: reason, ended_at: iso, updated_at: iso })
      .where('platform', '=', platform)
      .where('workspace', '=', workspace)
      .where('status', '!=', 'ended')
      .executeTakeFirst();
    const deliveries = await tx
      .updateTable('deliveries')
      .set({ status: 'cancelled', last_error: `cancelled: ${reason}`, claimed_by: null, claimed_until: null, updated_at: iso })
      .where('platform', '=', platform)
      .where('workspace', '=', workspace)
      .where('status', 'in', ['pending', 'sending', 'failed'])
      .executeTakeFirst();
    return { endedSubscriptions: Number(subs.numUpdatedRows), cancelledDeliveries: Number(deliveries.numUpdatedRows) };
  });
}
