// Health faults: facts about what went wrong, kept until a later success resolves them.
// One open fault per (kind, subject); a repeat bumps its count and last-seen time.
import type { Db } from './db.ts';
import type { Fault } from './schema.ts';

export type FaultKind =
  | 'listing-empty'
  | 'listing-incomplete'
  | 'markup-changed'
  | 'page-empty'
  | 'http'
  | 'not-a-pdf'
  | 'letter-unreadable'
  | 'run-failed';

export async function raiseFault(db: Db, kind: FaultKind, subject: string, message: string, now: Date): Promise<Fault> {
  const iso = now.toISOString();
  // one atomic upsert on the partial unique index faults_one_open: two processes raising the same fault at
  // once (Postgres runs them concurrently) count it twice instead of one of them failing
  return db
    .insertInto('faults')
    .values({ kind, subject, message, first_seen_at: iso, last_seen_at: iso, occurrences: 1, resolved_at: null })
    .onConflict((oc) =>
      oc
        .columns(['kind', 'subject'])
        .where('resolved_at', 'is', null)
        .doUpdateSet((eb) => ({ message, last_seen_at: iso, occurrences: eb('faults.occurrences', '+', 1) })),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Resolves open faults of these kinds for this subject (a later success showed they are over). */
export async function resolveFaults(db: Db, kinds: FaultKind[], subject: string, now: Date): Promise<number> {
  const result = await db
    .updateTable('faults')
    .set({ resolved_at: now.toISOString() })
    .where('kind', 'in', kinds)
    .where('subject', '=', subject)
    .where('resolved_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function openFaults(db: Db): Promise<Fault[]> {
  return db.selectFrom('faults').selectAll().where('resolved_at', 'is', null).orderBy('last_seen_at', 'desc').execute();
}

export async function recentlyResolvedFaults(db: Db, since: Date): Promise<Fault[]> {
  return db
    .selectFrom('faults')
    .selectAll()
    .where('resolved_at', '>=', since.toISOString())
    .orderBy('resolved_at', 'desc')
    .limit(20)
    .execute();
}
