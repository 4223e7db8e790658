// ListSubscriptions: a channel's subscriptions (active and paused; ended ones on request) and its digest setting;
// and, for an app's home page, a workspace's live subscriptions, always scoped by platform and workspace.
import type { ChannelRef, DigestSetting, Platform, Subscription } from '../chat/types.ts';
import type { Db } from '../store/db.ts';
import { isRowId } from '../store/dialect.ts';
import { digestOf, getChannel } from './channels.ts';
import { liveSubscriptionRows } from './live-subscriptions.ts';
import { toSubscription } from './subscription-rows.ts';

export async function listSubscriptions(
  db: Db,
  channel: ChannelRef,
  opts: { includeEnded?: boolean } = {},
): Promise<{ subscriptions: Subscription[]; digest: DigestSetting }> {
  const rows = opts.includeEnded
    ? await db
        .selectFrom('subscriptions')
        .selectAll()
        .where('platform', '=', channel.platform)
        .where('workspace', '=', channel.workspace)
        .where('channel', '=', channel.channel)
        .orderBy('id')
        .execute()
    : await liveSubscriptionRows(db, channel);
  return { subscriptions: rows.map(toSubscription), digest: digestOf(await getChannel(db, channel)) };
}

/** Every live (active or paused) subscription of one workspace, by channel then target: e.g. an app's home page. */
export async function listWorkspaceSubscriptions(db: Db, platform: Platform, workspace: string): Promise<Subscription[]> {
  const rows = await db
    .selectFrom('subscriptions')
    .selectAll()
    .where('platform', '=', platform)
    .where('workspace', '=', workspace)
    .where('status', '!=', 'ended')
    .orderBy('channel')
    .orderBy('target_name')
    .orderBy('id')
    .execute();
  return rows.map(toSubscription);
}

/** A live subscription by id, only if it belongs to that workspace (the isolation boundary); else null. */
export async function findWorkspaceSubscription(db: Db, id: number, platform: Platform, workspace: string): Promise<Subscription | null> {
  if (!isRowId(id)) return null;
  const row = await db
    .selectFrom('subscriptions')
    .selectAll()
    .where('id', '=', id)
    .where('platform', '=', platform)
    .where('workspace', '=', workspace)
    .where('status', '!=', 'ended')
    .executeTakeFirst();
  return row ? toSubscription(row) : null;
}
