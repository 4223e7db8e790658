// A row per poll or sweep: what it cost (requests, bytes) and how it ended; `health` reads these.
import type { Db } from './db.ts';
import type { Run } from './schema.ts';

export type RunKind = 'poll' | 'sweep';
export type RunStatus = 'running' | 'ok' | 'faults' | 'failed' | 'aborted' | 'skipped';

export async function startRun(db: Db, kind: RunKind, now: Date): Promise<number> {
  const row = await db
    .insertInto('runs')
    .values({ kind, started_at: now.toISOString(), status: 'running', finished_at: null, detail: null, requests: 0, bytes: 0, not_modified: 0, pages_fetched: 0, new_publications: 0 })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface RunTotals {
  status: RunStatus;
  requests: number;
  bytes: number;
  notModified: number;
  pagesFetched: number;
  newPublications: number;
  detail?: string;
}

export async function finishRun(db: Db, id: number, totals: RunTotals, now: Date): Promise<void> {
  await db
    .updateTable('runs')
    .set({
      finished_at: now.toISOString(),
      status: totals.status,
      requests: totals.requests,
      bytes: totals.bytes,
      not_modified: totals.notModified,
      pages_fetched: totals.pagesFetched,
      new_publications: totals.newPublications,
      detail: totals.detail ?? null,
    })
    .where('id', '=', id)
    .execute();
}

export async function lastRun(db: Db, kind: RunKind, status?: RunStatus[]): Promise<Run | undefined> {
  let q = db.selectFrom('runs').selectAll().where('kind', '=', kind);
  if (status) q = q.where('status', 'in', status);
  return q.orderBy('id', 'desc').limit(1).executeTakeFirst();
}

/** Runs marked 'running' whose process died: closed as 'aborted' so health tells the truth. */
export async function closeAbandonedRuns(db: Db, now: Date): Promise<number> {
  const r = await db
    .updateTable('runs')
    .set({ status: 'aborted', finished_at: now.toISOString(), detail: 'the process stopped before the run finished' })
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
