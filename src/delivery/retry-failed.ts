// `deliveries retry [ID|all]`: puts deliveries held as failed back in the queue with fresh attempts.
// `all` takes every 'failed' delivery; an ID may also name an 'undeliverable' one (after a person fixed
// the channel; an alert is still only sent while the channel has an active subscription for it).
// Progress already made (parts sent, thread, an in-doubt part) is kept, so nothing is sent twice.
import type { Db } from '../store/db.ts';
import { isRowId } from '../store/dialect.ts';

export type RetryResult =
  | { ok: true; retried: number[] }
  | { ok: false; message: string };

const RETRYABLE_BY_ID = ['failed', 'undeliverable'];

export async function retryDeliveries(db: Db, which: number | 'all', now: Date): Promise<RetryResult> {
  const iso = now.toISOString();
  const reset = { status: 'pending', attempts: 0, next_attempt_at: iso, claimed_by: null, claimed_until: null, updated_at: iso };
  if (which === 'all') {
    const rows = await db.updateTable('deliveries').set(reset).where('status', '=', 'failed').returning('id').execute();
    return { ok: true, retried: rows.map((r) => r.id).sort((a, b) => a - b) };
  }
  if (!Number.isInteger(which) || which <= 0) return { ok: false, message: `"${which}" is not a delivery id: give a number, or "all"` };
  if (!isRowId(which)) return { ok: false, message: `there is no delivery ${which}` };
  const row = await db.selectFrom('deliveries').select(['id', 'status']).where('id', '=', which).executeTakeFirst();
  if (!row) return { ok: false, message: `there is no delivery ${which}` };
  if (!RETRYABLE_BY_ID.includes(row.status)) return { ok: false, message: `delivery ${which} is ${row.status}: only failed or undeliverable deliveries can be retried` };
  await db.updateTable('deliveries').set(reset).where('id', '=', which).where('status', 'in', RETRYABLE_BY_ID).execute();
  return { ok: true, retried: [which] };
}
