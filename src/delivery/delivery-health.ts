// The outbox's part of `health`: deliveries by status, those held as failed (retryable with
// `deliveries retry`), recent undeliverable ones with their reasons, the oldest waiting, parts in
// doubt, and channels whose subscriptions are paused, with why.
import type { ChannelRef } from '../chat/types.ts';
import type { Db } from '../store/db.ts';

export const DELIVERY_STATUSES = ['pending', 'sending', 'sent', 'failed', 'undeliverable', 'cancelled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface DeliveryProblem {
  id: number;
  kind: string;
  channel: ChannelRef;
  publicationId: number | null;
  attempts: number;
  lastError: string | null;
  updatedAt: string;
}

export interface DeliveryHealth {
  counts: Record<DeliveryStatus, number>;
  failed: DeliveryProblem[];
  undeliverable: DeliveryProblem[];
  /** the longest-waiting open delivery */
  oldestOpen: { id: number; createdAt: string; nextAttemptAt: string; lastError: string | null } | null;
  /** open deliveries with a part that may or may not have been sent (checked before resending) */
  inDoubt: number;
  pausedChannels: { channel: ChannelRef; subscriptions: number; reason: string | null }[];
  /** true when nothing is failed and nothing open is older than staleAfterMs */
  healthy: boolean;
}

export async function deliveryHealth(db: Db, now: Date, opts: { limit?: number; staleAfterMs?: number } = {}): Promise<DeliveryHealth> {
  const limit = opts.limit ?? 20;
  const counts = Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, 0])) as Record<DeliveryStatus, number>;
  const byStatus = await db.selectFrom('deliveries').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
  for (const r of byStatus) if ((DELIVERY_STATUSES as readonly string[]).includes(r.status)) counts[r.status as DeliveryStatus] = Number(r.n);

  const problems = async (status: string) =>
    (
      await db
        .selectFrom('deliveries')
        .select(['id', 'kind', 'platform', 'workspace', 'channel', 'publication_id', 'attempts', 'last_error', 'updated_at'])
        .where('status', '=', status)
        .orderBy('updated_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute()
    ).map((r) => ({
      id: r.id,
      kind: r.kind,
      channel: { platform: r.platform as ChannelRef['platform'], workspace: r.workspace, channel: r.channel },
      publicationId: r.publication_id,
      attempts: r.attempts,
      lastError: r.last_error,
      updatedAt: r.updated_at,
    }));

  const oldest = await db
    .selectFrom('deliveries')
    .select(['id', 'created_at', 'next_attempt_at', 'last_error'])
    .where('status', 'in', ['pending', 'sending'])
    .orderBy('created_at')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  const inDoubt = await db
    .selectFrom('deliveries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', 'in', ['pending', 'sending', 'failed'])
    .where('part_started_at', 'is not', null)
    .executeTakeFirstOrThrow();
  const paused = await db
    .selectFrom('subscriptions')
    .select(['platform', 'workspace', 'channel', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.max('status_reason').as('reason')])
    .where('status', '=', 'paused')
    .groupBy(['platform', 'workspace', 'channel'])
    .orderBy('platform')
    .orderBy('workspace')
    .orderBy('channel')
    .limit(limit)
    .execute();

  const staleAfter = opts.staleAfterMs ?? 3_600_000;
  const oldestOpen = oldest ? { id: oldest.id, createdAt: oldest.created_at, nextAttemptAt: oldest.next_attempt_at, lastError: oldest.last_error } : null;
  return {
    counts,
    failed: await problems('failed'),
    undeliverable: await problems('undeliverable'),
    oldestOpen,
    inDoubt: Number(inDoubt.n),
    pausedChannels: paused.map((p) => ({
      channel: { platform: p.platform as ChannelRef['platform'], workspace: p.workspace, channel: p.channel },
      subscriptions: Number(p.n),
      reason: (p.reason as string | null) ?? null,
    })),
    healthy: counts.failed === 0 && !(oldestOpen && now.getTime() - Date.parse(oldestOpen.createdAt) > staleAfter),
  };
}

export function renderDeliveryHealth(h: DeliveryHealth): string[] {
  const ch = (c: ChannelRef) => `${c.platform}:${c.workspace}:${c.channel}`;
  const lines = [`Deliveries: ${DELIVERY_STATUSES.map((s) => `${s} ${h.counts[s]}`).join(', ')}${h.inDoubt ? `; ${h.inDoubt} part(s) in doubt (checked before resending)` : ''}`];
  if (h.oldestOpen) lines.push(`Oldest waiting delivery: #${h.oldestOpen.id} since ${h.oldestOpen.createdAt}, next attempt ${h.oldestOpen.nextAttemptAt}${h.oldestOpen.lastError ? ` (${h.oldestOpen.lastError})` : ''}`);
  if (h.failed.length) {
    lines.push('', 'Deliveries held as failed (retry with `ofsted-alerts deliveries retry ID|all`):');
    for (const f of h.failed) lines.push(`  #${f.id} ${f.kind} to ${ch(f.channel)} after ${f.attempts} attempt(s): ${f.lastError ?? 'unknown error'}`);
  }
  if (h.undeliverable.length) {
    lines.push('', 'Undeliverable (the channel could not be reached):');
    for (const u of h.undeliverable) lines.push(`  #${u.id} ${u.kind} to ${ch(u.channel)}: ${u.lastError ?? 'unknown reason'}`);
  }
  if (h.pausedChannels.length) {
    lines.push('', 'Channels with paused subscriptions:');
    for (const p of h.pausedChannels) lines.push(`  ${ch(p.channel)}: ${p.subscriptions} paused${p.reason ? ` (${p.reason})` : ''}`);
  }
  return lines;
}
