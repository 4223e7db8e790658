// A named lease in the database: at most one holder at a time across processes, expiring if the holder dies.
// One atomic upsert decides, so two processes can never both believe they hold it.
import type { Db } from './db.ts';

/**
 * Takes or renews the lease. `takeOver`: the caller holds the cluster's own lock for this work (a Postgres
 * advisory lock, which dies with its holder), so a lease still unexpired from a dead holder is taken at
 * once instead of after its TTL.
 */
export async function acquireLease(db: Db, name: string, holder: string, ttlMs: number, now: Date, opts: { takeOver?: boolean } = {}): Promise<boolean> {
  const expires = new Date(now.getTime() + ttlMs).toISOString();
  const nowIso = now.toISOString();
  const result = await db
    .insertInto('leases')
    .values({ name, holder, expires_at: expires })
    .onConflict((oc) => {
      const update = oc.column('name').doUpdateSet({ holder, expires_at: expires });
      return opts.takeOver ? update : update.where((eb) => eb.or([eb('leases.expires_at', '<', nowIso), eb('leases.holder', '=', holder)]));
    })
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

export async function releaseLease(db: Db, name: string, holder: string): Promise<void> {
  await db.deleteFrom('leases').where('name', '=', name).where('holder', '=', holder).execute();
}

export async function leaseHolder(db: Db, name: string, now: Date): Promise<{ holder: string; expiresAt: string } | null> {
  const row = await db.selectFrom('leases').selectAll().where('name', '=', name).executeTakeFirst();
  if (!row || row.expires_at < now.toISOString()) return null;
  return { holder: row.holder, expiresAt: row.expires_at };
}
