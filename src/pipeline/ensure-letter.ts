// Makes sure a publication's letter has been read: downloads its file through the polite client (once
// per file id: lookups and digests never download a letter twice), reads it, and stores the result or
// the reason it could not be read. A transient download failure is retried a few times before the
// letter is given up as "summary unavailable"; the announcement never waits forever.
import type { Logger } from '../log/logger.ts';
import type { Db } from '../store/db.ts';
import type { Publication, Letter } from '../store/schema.ts';
import { getLetter, saveLetter } from '../store/letters.ts';
import { raiseFault, resolveFaults } from '../store/faults.ts';
import { readLetter } from '../letters/read-letter.ts';
import type { LetterPool } from '../letters/letter-pool.ts';
import type { LetterReadResult } from '../letters/types.ts';
import type { OfstedClient } from '../sources/ofsted-client.ts';

export const MAX_DOWNLOAD_ATTEMPTS = 3;

export interface LetterDeps {
  db: Db;
  client: Pick<OfstedClient, 'getBytes'>;
  logger: Logger;
  now: () => Date;
  pool?: LetterPool;
  limits: { maxBytes: number; maxPages: number; timeoutMs: number; summaryBudget: number };
}

export type EnsureOutcome = { state: 'ready'; letter: Letter } | { state: 'retry-later'; reason: string };

/** A letter is settled when it was read, or failed for good (or failed to download too many times). */
export function isSettled(letter: Letter | undefined, fileId: string): boolean {
  if (!letter || letter.file_id !== fileId) return false;
  return letter.status === 'ok' || letter.failure_kind !== 'download' || letter.attempts >= MAX_DOWNLOAD_ATTEMPTS;
}

export async function ensureLetter(deps: LetterDeps, publication: Publication, signal?: AbortSignal): Promise<EnsureOutcome> {
  const existing = await getLetter(deps.db, publication.id);
  if (existing && isSettled(existing, publication.file_id)) return { state: 'ready', letter: existing };
  const attempts = existing && existing.file_id === publication.file_id ? existing.attempts : 0;

  const res = await deps.client.getBytes(publication.url, { maxBytes: deps.limits.maxBytes, signal });
  let result: LetterReadResult;
  if (!res.ok) {
    if (res.error.kind === 'aborted') return { state: 'retry-later', reason: 'shutting down' };
    const gone = res.error.kind === 'http' && [404, 410].includes(res.error.status ?? 0);
    const permanent = res.error.kind === 'too-large' || gone;
    result = {
      ok: false,
      kind: res.error.kind === 'too-large' ? 'too-large' : gone ? 'gone' : 'download',
      reason: res.error.kind === 'too-large' ? `too large: ${res.error.message}` : `could not download the file: ${res.error.message}`,
    };
    if (!permanent && attempts + 1 < MAX_DOWNLOAD_ATTEMPTS) {
      await saveLetter(deps.db, publication, result, deps.now());
      deps.logger.warn({ publicationId: publication.id, url: publication.url, attempt: attempts + 1 }, `letter download failed, will retry: ${res.error.message}`);
      return { state: 'retry-later', reason: result.reason };
    }
  } else if (res.status === 304) {
    result = { ok: false, kind: 'download', reason: 'the files host answered 304 Not Modified to a request without validators' };
  } else {
    result = await readLetter(res.body, res.contentType, { pool: deps.pool, ...deps.limits });
  }

  await saveLetter(deps.db, publication, result, deps.now());
  if (result.ok) {
    await resolveFaults(deps.db, ['not-a-pdf', 'letter-unreadable'], publication.url, deps.now());
  } else {
    const kind = result.kind === 'not-pdf' ? 'not-a-pdf' : 'letter-unreadable';
    await raiseFault(deps.db, kind, publication.url, `${publication.authority_name} ${publication.title} (${publication.publication_date}): ${result.reason}`, deps.now());
    deps.logger.error({ publicationId: publication.id, url: publication.url, kind: result.kind }, `letter could not be read: ${result.reason}; it will be announced with "summary unavailable"`);
  }
  const letter = await getLetter(deps.db, publication.id);
  return { state: 'ready', letter: letter! };
}
