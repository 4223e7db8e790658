// Keeps the query planner's statistics fresh after large writes (a fan-out to thousands of channels).
// Without statistics SQLite picked the status index for the outbox's per-channel query and scanned every
// due delivery (about 1 ms a call); with them it uses the per-channel index (0.05 ms). Postgres's
// autovacuum analyzes too, but only after a threshold and a delay: the outbox's due-channels query took
// 84 ms on a fresh 10,000-delivery fan-out and 21 ms after ANALYZE (bench:scale), so it is run here too.
import { sql } from 'kysely';
import type { Db } from './db.ts';
import { isPostgres } from './dialect.ts';

export async function refreshPlannerStatistics(db: Db): Promise<void> {
  if (isPostgres(db)) {
    await sql`ANALYZE deliveries, channels`.execute(db);
    return;
  }
  await sql`PRAGMA analysis_limit = 1000`.execute(db);
  await sql`PRAGMA optimize = 0x10002`.execute(db);
}
