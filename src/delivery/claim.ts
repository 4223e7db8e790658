// Claims in the outbox. A worker claims a CHANNEL (so one worker paces it) and then, one by one, that
// channel's due deliveries. Claims expire (claimed_until), so the work of a worker that died is taken
// over; every later write is fenced by claimed_by, so a worker that lost its claim cannot overwrite the
// new holder's progress. Each claim is one conditional UPDATE: atomic on SQLite and Postgres alike.
import type { ChannelRef } from '../chat/types.ts';
import { channelKey } from '../chat/types.ts';
import { sql, type ExpressionBuilder } from 'kysely';
import type { Db } from '../store/db.ts';
import type { Database, DeliveryRow } from '../store/schema.ts';
import { preparedQuery, type PreparedQuery } from '../store/prepared-query.ts';

export const OPEN_STATUSES = ['pending', 'sending'] as const;

export interface DueChannelsQuery {
  now: Date;
  /** platforms this worker has a sender for */
  platforms: readonly string[];
  limit: number;
  /** claim a channel only when its next send is at most this far ahead (pacing waits inside a claim) */
  horizonMs: number;
  /** channel keys this worker is serving already */
  exclude: ReadonlySet<string>;
}

/** Channels with a due delivery that no other worker holds, oldest work first. */
export async function dueChannels(db: Db, q: DueChannelsQuery): Promise<ChannelRef[]> {
  if (q.platforms.length === 0 || q.limit <= 0) return [];
  const nowIso = q.now.toISOString();
  const horizon = new Date(q.now.getTime() + q.horizonMs).toISOString();
  const rows = await db
    .selectFrom('deliveries as d')
    .innerJoin('channels as c', (j) =>
      j.onRef('c.platform', '=', 'd.platform').onRef('c.workspace', '=', 'd.workspace').onRef('c.channel', '=', 'd.channel'),
    )
    .select(['d.platform', 'd.workspace', 'd.channel', (eb) => eb.fn.min('d.id').as('first')])
    .where('d.status', 'in', [...OPEN_STATUSES])
    .where('d.next_attempt_at', '<=', nowIso)
    .where('d.platform', 'in', [...q.platforms])
    .where((eb) => eb.or([eb('c.claimed_until', 'is', null), eb('c.claimed_until', '<', nowIso)]))
    .where((eb) => eb.or([eb('c.next_send_at', 'is', null), eb('c.next_send_at', '<=', horizon)]))
    .groupBy(['d.platform', 'd.workspace', 'd.channel'])
    .orderBy('first')
    .limit(q.limit + q.exclude.size)
    .execute();
  return rows
    .map((r) => ({ platform: r.platform as ChannelRef['platform'], workspace: r.workspace, channel: r.channel }))
    .filter((c) => !q.exclude.has(channelKey(c)))
    .slice(0, q.limit);
}

const byChannel = (ref: ChannelRef) => ({ platform: ref.platform, workspace: ref.workspace, channel: ref.channel });

/** A delivery this holder may take: free, its claim run out, or already its own. */
const claimableBy = (eb: ExpressionBuilder<Database, 'deliveries'>, holder: string, nowIso: string) =>
  eb.or([eb('claimed_by', 'is', null), eb('claimed_by', '=', holder), eb('claimed_until', '<', nowIso)]);

// The statements run for every channel served and every delivery, built once (prepared-query.ts).
const CHANNEL = ['platform', 'workspace', 'channel'] as const;
const CLAIM_CHANNEL = preparedQuery([...CHANNEL, 'holder', 'until', 'now'], (db, p) =>
  db.updateTable('channels')
    .set({ claimed_by: p.holder, claimed_until: p.until })
    .where('platform', '=', p.platform).where('workspace', '=', p.workspace).where('channel', '=', p.channel)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', p.now), eb('claimed_by', '=', p.holder)]))
    .returning(['next_send_at']),
);
const RENEW_CHANNEL = preparedQuery([...CHANNEL, 'holder', 'until', 'now'], (db, p) =>
  db.updateTable('channels')
    .set({ claimed_until: p.until })
    .where('platform', '=', p.platform).where('workspace', '=', p.workspace).where('channel', '=', p.channel)
    .where('claimed_by', '=', p.holder)
    .where('claimed_until', '>=', p.now),
);
/** lets the channel go; a delivered-at of null keeps the stored last_delivered_at */
const RELEASE_CHANNEL = preparedQuery([...CHANNEL, 'holder', 'nextSendAt', 'now', 'deliveredAt'], (db, p) =>
  db.updateTable('channels')
    .set((eb) => ({
      claimed_by: null, claimed_until: null, next_send_at: p.nextSendAt, updated_at: p.now,
      last_delivered_at: eb.fn.coalesce(eb.val<string | null>(p.deliveredAt), eb.ref('last_delivered_at')),
    }))
    .where('platform', '=', p.platform).where('workspace', '=', p.workspace).where('channel', '=', p.channel)
    .where('claimed_by', '=', p.holder),
);
const DUE_DELIVERIES = preparedQuery([...CHANNEL, 'holder', 'now', 'limit'], (db, p) =>
  db.selectFrom('deliveries')
    .selectAll()
    .where('platform', '=', p.platform).where('workspace', '=', p.workspace).where('channel', '=', p.channel)
    .where('status', 'in', [...OPEN_STATUSES])
    .where('next_attempt_at', '<=', p.now)
    .where((eb) => claimableBy(eb, p.holder, p.now))
    .orderBy('id')
    .limit(p.limit),
);

/** Claims the channel for the holder; returns its stored next-send time, or null if another worker holds it. */
export async function claimChannel(db: Db, ref: ChannelRef, holder: string, ttlMs: number, now: Date): Promise<{ nextSendAt: string | null } | null> {
  const r = await CLAIM_CHANNEL(db, { ...byChannel(ref), holder, until: new Date(now.getTime() + ttlMs).toISOString(), now: now.toISOString() });
  const row = r.rows[0];
  return row ? { nextSendAt: row.next_send_at } : null;
}

/** Extends the holder's unexpired claim on the channel; false if it was lost or ran out. */
export async function renewChannel(db: Db, ref: ChannelRef, holder: string, ttlMs: number, now: Date): Promise<boolean> {
  const r = await RENEW_CHANNEL(db, { ...byChannel(ref), holder, until: new Date(now.getTime() + ttlMs).toISOString(), now: now.toISOString() });
  return Number(r.numAffectedRows ?? 0n) > 0;
}

/**
 * Lets the channel go, storing its pace (the earliest next send) for whoever serves it next, and, with
 * `deliveredAt`, when it last took a delivery (channels.last_delivered_at).
 */
export async function releaseChannel(db: Db, ref: ChannelRef, holder: string, nextSendAt: string | null, now: Date, deliveredAt: Date | null = null): Promise<void> {
  await RELEASE_CHANNEL(db, { ...byChannel(ref), holder, nextSendAt, now: now.toISOString(), deliveredAt: deliveredAt?.toISOString() ?? null });
}

/**
 * Up to `limit` of the channel's due deliveries that are free, expired, or already this holder's, oldest
 * first: read once for a run of sends (a channel task works through them one by one), not once per
 * delivery. Nothing is claimed; a row read here may be taken or changed before it is claimed, which the
 * claim's conditions catch.
 */
export async function dueDeliveries(db: Db, ref: ChannelRef, holder: string, now: Date, limit: number): Promise<DeliveryRow[]> {
  return (await DUE_DELIVERIES(db, { ...byChannel(ref), holder, now: now.toISOString(), limit: Math.max(1, limit) })).rows;
}

/** Claims one delivery (status 'sending'); the row as claimed, or undefined if someone else has it. */
export async function claimDelivery(db: Db, id: number, holder: string, ttlMs: number, now: Date): Promise<DeliveryRow | undefined> {
  const nowIso = now.toISOString();
  return db
    .updateTable('deliveries')
    .set({ status: 'sending', claimed_by: holder, claimed_until: new Date(now.getTime() + ttlMs).toISOString(), updated_at: nowIso })
    .where('id', '=', id)
    .where('status', 'in', [...OPEN_STATUSES])
    .where((eb) => claimableBy(eb, holder, nowIso))
    .returningAll()
    .executeTakeFirst();
}

/**
 * Claims a delivery that has not started (nothing sent, nothing in doubt) and marks its first part as
 * started, in ONE conditional write, just before that part is sent: the same row state as claimDelivery
 * followed by markPartStarted, one write instead of two. The conditions are claimDelivery's plus "still
 * not started", so a row read earlier (dueDeliveries) that another worker took, or that moved on, is
 * refused (false) rather than overwritten. Nothing else in the row changes, so the row as read stays right.
 * For an alert, the same write checks that the channel still has an active subscription for it (the check
 * is then as late as it can be, and costs no query of its own); false then too, and the caller tells which.
 */
export async function claimAndStartFirstPart(
  db: Db,
  d: Pick<DeliveryRow, 'id' | 'platform' | 'workspace' | 'channel'>,
  holder: string,
  a: {
    ttlMs: number;
    now: Date;
    partsTotal: number;
    /** an alert's subscriptions: claimed only while the channel still has one of them active */
    activeSubscriptions?: readonly number[];
  },
): Promise<boolean> {
  const nowIso = a.now.toISOString();
  const ids = a.activeSubscriptions ?? [];
  const values: Record<string, unknown> = {
    id: d.id, holder, now: nowIso, until: new Date(a.now.getTime() + a.ttlMs).toISOString(), partsTotal: a.partsTotal,
    platform: d.platform, workspace: d.workspace, channel: d.channel,
  };
  ids.forEach((id, i) => (values[`s${i}`] = id));
  const r = await claimFirstPart(ids.length)(db, values);
  return Number(r.numAffectedRows ?? 0n) > 0;
}

/** claimAndStartFirstPart's statement for an alert with n subscriptions (0: not an alert), built once per n. */
const claimFirstPartBy = new Map<number, PreparedQuery<string, unknown>>();
function claimFirstPart(n: number): PreparedQuery<string, unknown> {
  let q = claimFirstPartBy.get(n);
  if (q) return q;
  const subs = Array.from({ length: n }, (_, i) => `s${i}`);
  q = preparedQuery(['id', 'holder', 'now', 'until', 'partsTotal', ...(n > 0 ? CHANNEL : []), ...subs], (db, placeholders: Record<string, never>) => {
    const p = (k: string): never => placeholders[k]!;
    const q = db
      .updateTable('deliveries')
      .set({ status: 'sending', claimed_by: p('holder'), claimed_until: p('until'), part_started_at: p('now'), parts_total: p('partsTotal'), updated_at: p('now') })
      .where('id', '=', p('id'))
      .where('status', 'in', [...OPEN_STATUSES])
      .where((eb) => claimableBy(eb, p('holder'), p('now')))
      .where('parts_sent', '=', 0)
      .where('part_started_at', 'is', null);
    if (n === 0) return q;
    return q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('subscriptions as s')
          .select('s.id')
          .where('s.id', 'in', subs.map(p))
          .where('s.platform', '=', p('platform'))
          .where('s.workspace', '=', p('workspace'))
          .where('s.channel', '=', p('channel'))
          .where('s.status', '=', 'active'),
      ),
    );
  });
  // an alert rarely has more than a few subscriptions in one channel; keep the first few dozen shapes
  if (claimFirstPartBy.size < 64) claimFirstPartBy.set(n, q);
  return q;
}

/**
 * Postgres: finds and claims up to `limit` due channels in ONE statement. `FOR UPDATE … SKIP LOCKED`
 * lets several workers (processes or instances) claim at the same moment without ever taking the same
 * channel or waiting for one another, and without the grouped read of every open delivery that
 * dueChannels makes: each candidate channel is checked with an index lookup on its own deliveries.
 * Oldest work first, as dueChannels. Returns the channels claimed, with their stored next-send times.
 */
export async function claimDueChannels(
  db: Db,
  q: DueChannelsQuery & { holder: string; ttlMs: number },
): Promise<{ channel: ChannelRef; nextSendAt: string | null }[]> {
  if (q.platforms.length === 0 || q.limit <= 0) return [];
  const nowIso = q.now.toISOString();
  const horizon = new Date(q.now.getTime() + q.horizonMs).toISOString();
  const until = new Date(q.now.getTime() + q.ttlMs).toISOString();
  const open = [...OPEN_STATUSES];
  const exclude = [...q.exclude];
  const r = await sql<{ platform: string; workspace: string; channel: string; next_send_at: string | null }>`
    WITH due AS (
      SELECT c.platform, c.workspace, c.channel
      FROM channels c
      WHERE c.platform = ANY(${q.platforms as string[]})
        AND (c.claimed_until IS NULL OR c.claimed_until < ${nowIso})
        AND (c.next_send_at IS NULL OR c.next_send_at <= ${horizon})
        AND NOT ((c.platform || ':' || c.workspace || ':' || c.channel) = ANY(${exclude}))
        AND EXISTS (
          SELECT 1 FROM deliveries d
          WHERE d.platform = c.platform AND d.workspace = c.workspace AND d.channel = c.channel
            AND d.status = ANY(${open}) AND d.next_attempt_at <= ${nowIso})
      ORDER BY (
          SELECT min(d.id) FROM deliveries d
          WHERE d.platform = c.platform AND d.workspace = c.workspace AND d.channel = c.channel
            AND d.status = ANY(${open}) AND d.next_attempt_at <= ${nowIso})
      LIMIT ${q.limit}
      FOR UPDATE OF c SKIP LOCKED
    )
    UPDATE channels c SET claimed_by = ${q.holder}, claimed_until = ${until}
    FROM due
    WHERE c.platform = due.platform AND c.workspace = due.workspace AND c.channel = due.channel
    RETURNING c.platform, c.workspace, c.channel, c.next_send_at`.execute(db);
  return r.rows.map((row) => ({
    channel: { platform: row.platform as ChannelRef['platform'], workspace: row.workspace, channel: row.channel },
    nextSendAt: row.next_send_at,
  }));
}
