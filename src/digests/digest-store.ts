// The digests' tables (migration 0005) and the queries on them. The tables are typed here, next to the
// only code that uses them, and the store handle is widened to see them; every query is plain kysely,
// the same on SQLite and Postgres.
import type { Generated, Kysely } from 'kysely';
import type { ChannelRef } from '../chat/types.ts';
import { channelKey } from '../chat/types.ts';
import type { Db } from '../store/db.ts';
import type { Database } from '../store/schema.ts';
import { getMeta, setMeta } from '../store/meta.ts';

export interface DigestRunTable {
  id: Generated<number>;
  schedule: string;
  window_end: string;
  status: string; // 'running' | 'done' | 'superseded'
  late: number;
  channels: number;
  queued: number;
  empty: number;
  deferred: number;
  started_at: string;
  finished_at: string | null;
}

export interface DigestWindowTable {
  platform: string;
  workspace: string;
  channel: string;
  window_end: string;
  window_start: string;
  schedule: string;
  outcome: string; // 'queued' | 'empty'
  publications: number;
  dedupe_key: string | null;
  late: number;
  created_at: string;
}

export interface DigestDatabase extends Database {
  digest_runs: DigestRunTable;
  digest_windows: DigestWindowTable;
}

export type DigestDb = Kysely<DigestDatabase>;

export const digestDb = (db: Db | DigestDb): DigestDb => db as unknown as DigestDb;

/** The unique key of a channel's digest for a window: at most one delivery ever. */
export const digestKey = (channel: ChannelRef, windowEnd: string): string => `digest:${channelKey(channel)}:${windowEnd}`;

/** Meta key: every slot up to this instant has been dealt with (the schedule was checked). */
export const CHECKED_UNTIL = 'digests.checked_until';

export async function checkedUntil(db: Db): Promise<number | null> {
  const v = await getMeta(db, CHECKED_UNTIL);
  const t = v === null ? Number.NaN : Date.parse(v);
  return Number.isFinite(t) ? t : null;
}

export async function setCheckedUntil(db: Db, at: number): Promise<void> {
  await setMeta(db, CHECKED_UNTIL, new Date(at).toISOString());
}

/** Slots (schedule key + window end ISO) already finished or folded into a later one, ending after `since`. */
export async function finishedSlots(db: Db, since: number): Promise<Set<string>> {
  const rows = await digestDb(db)
    .selectFrom('digest_runs')
    .select(['schedule', 'window_end'])
    .where('window_end', '>', new Date(since).toISOString())
    .where('status', 'in', ['done', 'superseded'])
    .execute();
  return new Set(rows.map((r) => `${r.schedule}@${r.window_end}`));
}

/** Per channel key, the end of its latest digest window ending after `since` (its cursor). */
export async function channelCursors(db: Db, since: number): Promise<Map<string, number>> {
  const rows = await digestDb(db)
    .selectFrom('digest_windows')
    .select(['platform', 'workspace', 'channel', (eb) => eb.fn.max('window_end').as('last')])
    .where('window_end', '>', new Date(since).toISOString())
    .groupBy(['platform', 'workspace', 'channel'])
    .execute();
  const out = new Map<string, number>();
  for (const r of rows) out.set(`${r.platform}:${r.workspace}:${r.channel}`, Date.parse(String(r.last)));
  return out;
}

export async function recordSlot(
  db: Db,
  slot: { schedule: string; windowEnd: string; status: 'running' | 'done' | 'superseded'; late: boolean },
  counts: { channels: number; queued: number; empty: number; deferred: number },
  now: Date,
): Promise<void> {
  const iso = now.toISOString();
  await digestDb(db)
    .insertInto('digest_runs')
    .values({
      schedule: slot.schedule, window_end: slot.windowEnd, status: slot.status, late: slot.late ? 1 : 0, ...counts,
      started_at: iso, finished_at: slot.status === 'running' ? null : iso,
    })
    .onConflict((oc) =>
      oc.columns(['schedule', 'window_end']).doUpdateSet((eb) => ({
        status: slot.status,
        late: eb.ref('excluded.late'),
        channels: eb('digest_runs.channels', '+', eb.ref('excluded.channels')),
        queued: eb('digest_runs.queued', '+', eb.ref('excluded.queued')),
        empty: eb('digest_runs.empty', '+', eb.ref('excluded.empty')),
        deferred: eb.ref('excluded.deferred'),
        finished_at: eb.ref('excluded.finished_at'),
      })),
    )
    .execute();
}

/** Forgets windows that ended long ago (the cursor only ever needs the latest; history is for a while). */
export async function pruneWindows(db: Db, before: number): Promise<number> {
  const r = await digestDb(db).deleteFrom('digest_windows').where('window_end', '<', new Date(before).toISOString()).executeTakeFirst();
  return Number(r.numDeletedRows);
}
