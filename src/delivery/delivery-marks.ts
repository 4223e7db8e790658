// What a worker records about a delivery it holds. Every write is fenced (claimed_by = holder and still
// 'sending'): false means the claim was lost (expired and taken over, or the workspace was removed) and
// the worker must drop the delivery. The order of writes is what makes a crash safe: part_started_at is
// set BEFORE a part is sent and cleared in the same write that counts it sent, so a part claimed but
// never marked is known to be "in doubt".
import type { UpdateObject } from 'kysely';
import type { Db } from '../store/db.ts';
import type { Database } from '../store/schema.ts';
import { preparedQuery } from '../store/prepared-query.ts';

type Fence = { id: number; holder: string };

/**
 * The fence: an update that only the current holder of an unexpired claim on a delivery still 'sending'
 * can make. Values or, for the prepared marks below, their placeholders.
 */
type DeliveryUpdate = UpdateObject<Database, 'deliveries'>;

function fencedUpdate(db: Db, f: { id: number; holder: string; now: string }, set: DeliveryUpdate) {
  return db.updateTable('deliveries').set(set).where('id', '=', f.id).where('claimed_by', '=', f.holder).where('claimed_until', '>=', f.now).where('status', '=', 'sending');
}

async function fenced(db: Db, f: Fence, now: Date, set: DeliveryUpdate): Promise<boolean> {
  const r = await fencedUpdate(db, { id: f.id, holder: f.holder, now: now.toISOString() }, set).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** When a claim made or extended now runs out. */
const claimedUntil = (now: Date, ttlMs: number) => new Date(now.getTime() + ttlMs).toISOString();

// The marks written for every part, built once (prepared-query.ts), each through the fence.
const FENCE = ['id', 'holder', 'now'] as const;
const PART_STARTED = preparedQuery([...FENCE, 'until', 'partsTotal'], (db, p) =>
  fencedUpdate(db, p, { part_started_at: p.now, claimed_until: p.until, parts_total: p.partsTotal, updated_at: p.now }),
);
const PART_SENT = preparedQuery([...FENCE, 'partsSent', 'threadRef'], (db, p) =>
  fencedUpdate(db, p, { parts_sent: p.partsSent, thread_ref: p.threadRef, part_started_at: null, updated_at: p.now }),
);
const PART_SENT_NEXT_STARTED = preparedQuery([...FENCE, 'partsSent', 'threadRef', 'until'], (db, p) =>
  fencedUpdate(db, p, { parts_sent: p.partsSent, thread_ref: p.threadRef, part_started_at: p.now, claimed_until: p.until, updated_at: p.now }),
);
/** the delivery's completion (the last part counted, the claim let go), keeping or setting its thread */
const COMPLETED = { status: 'sent', part_started_at: null, claimed_by: null, claimed_until: null, last_error: null } as const;
const SENT = preparedQuery([...FENCE, 'partsTotal'], (db, p) =>
  fencedUpdate(db, p, { ...COMPLETED, sent_at: p.now, parts_sent: p.partsTotal, parts_total: p.partsTotal, updated_at: p.now }),
);
const SENT_IN_THREAD = preparedQuery([...FENCE, 'partsTotal', 'threadRef'], (db, p) =>
  fencedUpdate(db, p, { ...COMPLETED, sent_at: p.now, parts_sent: p.partsTotal, parts_total: p.partsTotal, thread_ref: p.threadRef, updated_at: p.now }),
);
const TOUCH_CHANNEL = preparedQuery(['platform', 'workspace', 'channel', 'at'], (db, p) =>
  db.updateTable('channels').set({ last_delivered_at: p.at }).where('platform', '=', p.platform).where('workspace', '=', p.workspace).where('channel', '=', p.channel),
);

const changed = (r: { numAffectedRows?: bigint }) => Number(r.numAffectedRows ?? 0n) > 0;

export async function markPartStarted(db: Db, f: Fence, a: { partsTotal: number; now: Date; ttlMs: number }): Promise<boolean> {
  return changed(await PART_STARTED(db, { id: f.id, holder: f.holder, now: a.now.toISOString(), until: claimedUntil(a.now, a.ttlMs), partsTotal: a.partsTotal }));
}

/**
 * A part (not the last) was sent. With `startNext`, the same write marks the next part as started (what
 * markPartStarted would write just before it is sent): one write between two parts instead of two. The
 * next part then counts as in doubt from now, a little before it leaves (after the channel's pace), which
 * only widens findSent's search; a worker that stops before sending it clears the mark (releaseDelivery).
 */
export async function markPartSent(db: Db, f: Fence, a: { partsSent: number; threadRef: string | null; now: Date; startNext?: { ttlMs: number } }): Promise<boolean> {
  const fence = { id: f.id, holder: f.holder, now: a.now.toISOString(), partsSent: a.partsSent, threadRef: a.threadRef };
  if (!a.startNext) return changed(await PART_SENT(db, fence));
  return changed(await PART_SENT_NEXT_STARTED(db, { ...fence, until: claimedUntil(a.now, a.startNext.ttlMs) }));
}

/**
 * The delivery is done: every part sent. The last part's mark and the delivery's are one write (parts_sent,
 * thread_ref and status together). `touchChannel` also records when the channel last took a delivery
 * (channels.last_delivered_at, which tells which channels can still be reached for notices): a separate
 * write, which a channel task makes about once a minute while it runs (and once more when it lets the
 * channel go, with releaseChannel), as the 30-day window it feeds needs no more; a crash in between only
 * leaves that time a little old.
 */
export async function markSent(
  db: Db,
  f: Fence,
  a: { partsTotal: number; threadRef?: string | null; now: Date; touchChannel?: { platform: string; workspace: string; channel: string } | null },
): Promise<boolean> {
  const iso = a.now.toISOString();
  const fence = { id: f.id, holder: f.holder, now: iso, partsTotal: a.partsTotal };
  const ok = changed(a.threadRef === undefined ? await SENT(db, fence) : await SENT_IN_THREAD(db, { ...fence, threadRef: a.threadRef }));
  if (ok && a.touchChannel) await TOUCH_CHANNEL(db, { ...a.touchChannel, at: iso });
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
