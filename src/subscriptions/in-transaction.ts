// Runs work in a transaction, or in the caller's transaction when given one: kysely cannot nest
// transactions, and a service (pause a channel) must also run inside a larger one (the outbox's).
import type { Db } from '../store/db.ts';

export function inTransaction<T>(db: Db, work: (tx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}
