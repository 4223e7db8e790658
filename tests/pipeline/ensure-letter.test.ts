import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureLetter, isSettled, type LetterDeps } from '../../src/pipeline/ensure-letter.ts';
import { silentLogger } from '../../src/log/logger.ts';
import type { FetchResult } from '../../src/sources/fetch-result.ts';
import { testDatabases, freshStoreEachTest } from '../helpers/test-database.ts';

describe.each(testDatabases())('$name', (database) => {
  describe('ensureLetter', () => {
    const opened = freshStoreEachTest(database);

    const publication = async () =>
      opened.store.db
        .insertInto('publications')
        .values({ authority_urn: '80451', authority_name: 'Wakefield', type: 'inspection', title: "Children's services inspection", publication_date: '2026-11-20', file_id: '1', url: 'http://127.0.0.1:9/v1/file/1', first_seen_at: new Date().toISOString(), found_by: 'poll', announced: 1 })
        .returningAll()
        .executeTakeFirstOrThrow();

    const deps = (answer: () => FetchResult<Uint8Array>, calls: { n: number }): LetterDeps => ({
      db: opened.store.db,
      client: { getBytes: async () => { calls.n++; return answer(); } },
      logger: silentLogger,
      now: () => new Date(),
      limits: { maxBytes: 1e7, maxPages: 100, timeoutMs: 10_000, summaryBudget: 1000 },
    });

    it('a file that is gone (404) is settled at once: announced with "summary unavailable", never downloaded again', async () => {
      const p = await publication();
      const calls = { n: 0 };
      const d = deps(() => ({ ok: false, error: { kind: 'http', status: 404, message: 'HTTP 404 from the files host', attempts: 1 } }), calls);
      const first = await ensureLetter(d, p);
      expect(first.state).toBe('ready');
      if (first.state === 'ready') {
        expect(first.letter.failure_kind).toBe('gone');
        expect(isSettled(first.letter, p.file_id)).toBe(true);
      }
      await ensureLetter(d, p);
      expect(calls.n).toBe(1);
    });

    it('a transient failure is retried up to three downloads, then settled', async () => {
      const p = await publication();
      const calls = { n: 0 };
      const d = deps(() => ({ ok: false, error: { kind: 'network', message: 'connection reset', attempts: 5 } }), calls);
      expect((await ensureLetter(d, p)).state).toBe('retry-later');
      expect((await ensureLetter(d, p)).state).toBe('retry-later');
      expect((await ensureLetter(d, p)).state).toBe('ready');
      expect((await ensureLetter(d, p)).state).toBe('ready');
      expect(calls.n).toBe(3);
    });
  });
});
