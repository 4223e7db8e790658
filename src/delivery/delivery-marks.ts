// What a worker records about a delivery it holds. Every write is fenced (claimed_by = holder and still
// 'sending'): false means the claim was lost (expired and taken over, or the workspace was removed) and
// the worker must drop the delivery. The order of writes is what makes a crash safe: part_started_at is
// set BEFORE a part is sent and cleared in the same write that counts it sent, so a part claimed but
// never marked is known to be "in doubt".
import type { Db } from '../store/db.ts';

type Fence = { id: number; holder: string };

/** An update that only the current holder of an unexpired claim can make. */
async function fenced(db: Db, f: Fence, now: Date, set: Record<string, unknown>): Promise<boolean> {
  const r = await db
    .updateTable('deliveries')
    .set(set)
    .where('id', '=', f.id)
    .where('claimed_by', '=', f.holder)
    .where('claimed_until', '>=', now.toISOString())
    .where('status', '=', 'sending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** A part marked as started now (in doubt until it is counted sent), with the claim extended for it. */
const partStarted = (now: Date, ttlMs: number) => ({ part_started_at: now.toISOString(), claimed_until: new Date(now.getTime() + ttlMs).toISOString() });

export function markPartStarted(db: Db, f: Fence, a: { partsTotal: number; now: Date; ttlMs: number }): Promise<boolean> {
  return fenced(db, f, a.now, { ...partStarted(a.now, a.ttlMs), parts_total: a.partsTotal, updated_at: a.now.toISOString() });
}

/**
 * A part (not the last) was sent. With `startNext`, the same write marks the next part as started (what
 * markPartStarted would write just before it is sent): one write between two parts instead of two. The
 * next part then counts as in doubt from now, a little before it leaves (after the channel's pace), which
 * only widens findSent's search; a worker that stops before sending it clears the mark (releaseDelivery).
 */
export function markPartSent(db: Db, f: Fence, a: { partsSent: number; threadRef: string | null; now: Date; startNext?: { ttlMs: number } }): Promise<boolean> {
  return fenced(db, f, a.now, {
    parts_sent: a.partsSent,
    thread_ref: a.threadRef,
    ...(a.startNext ? partStarted(a.now, a.startNext.ttlMs) : { part_started_at: null }),
    updated_at: a.now.toISOString(),
  });
}

/**
 * The delivery is done: every part sent. The last part's mark and the delivery's are one write (parts_sent,
 * thread_ref and status together). `touchChannel` also records when the channel last took a delivery
 * (channels.last_delivered_at, which tells which channels can still be reached for notices): a separate
 * write, which a channel task makes for its first delivery and then at most about once a minute, as the
 * 30-day window it feeds needs no more; a crash between the two writes only leaves that time a little old.
 */
export async function markSent(
  db: Db,
  f: Fence,
  a: { partsTotal: number; threadRef?: string | null; now: Date; touchChannel?: { platform: string; workspace: string; channel: string } | null },
): Promise<boolean> {
  const iso = a.now.toISOString();
  const ok = await fenced(db, f, a.now, {
    status: 'sent', sent_at: iso, parts_sent: a.partsTotal, parts_total: a.partsTotal, ...(a.threadRef === undefined ? {} : { thread_ref: a.threadRef }),
    part_started_at: null, claimed_by: null, claimed_until: null, last_error: null, updated_at: iso,
  });
  if (ok && a.touchChannel) {
    await db
      .updateTable('channels')
      .set({ last_delivered_at: iso })
      .where('platform', '=', a.touchChannel.platform)
      .where('workspace', '=', a.touchChannel.workspace)
      .where('channel', '=', a.touchChannel.channel)
      .execute();
  }
  return ok;
}

/** Back to 'pending' for a later attempt. `inDoubt` keeps part_started_at so the next attempt checks before resending. */
export function reschedule(db: Db, f: Fence, a: { nextAttemptAt: Date; attempts: number; error: string | null; inDoubt: boolean; now: Date }): Promise<boolean> {
  return fenced(db, f, a.now, {
    status: 'pending',
    next_attempt_at: a.nextAttemptAt.toISOString(),
    attempts: a.attempts,
    last_error: a.error,
    claimed_by: null,
    claimed_until: null,
    ...(a.inDoubt ? {} : { part_started_at: null }),
    updated_at: a.now.toISOString(),
  });
}

/**
 * Gives the delivery back (a worker stopping between parts). `notSent`: the part marked as started was
 * not sent after all, so it is not in doubt.
 */
export function releaseDelivery(db: Db, f: Fence, now: Date, opts: { notSent?: boolean } = {}): Promise<boolean> {
  return fenced(db, f, now, { status: 'pending', claimed_by: null, claimed_until: null, ...(opts.notSent ? { part_started_at: null } : {}), updated_at: now.toISOString() });
}

/** Ends the delivery as 'failed' (retries used up), 'undeliverable' (channel unreachable) or 'cancelled' (no one wants it now). */
export function markFinal(db: Db, f: Fence, a: { status: 'failed' | 'undeliverable' | 'cancelled'; attempts?: number; error: string; now: Date }): Promise<boolean> {
  return fenced(db, f, a.now, {
    status: a.status,
    last_error: a.error,
    claimed_by: null,
    claimed_until: null,
    ...(a.attempts === undefined ? {} : { attempts: a.attempts }),
    updated_at: a.now.toISOString(),
  });
}
