import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handleCommand } from '../../src/commands/handle-command.ts';
import type { Reply } from '../../src/chat/types.ts';
import type { LetterDeps } from '../../src/pipeline/ensure-letter.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { addLetter, addPublication, BASE_URL, caller, commandDeps, LEEDS, okLetter, openTestStore, WAKEFIELD, type TestStore } from './helpers/store.ts';
import type { CommandDeps } from '../../src/commands/command-deps.ts';
import { testDatabases } from '../helpers/test-database.ts';

describe.each(testDatabases())('$name', (database) => {
  let s: TestStore;
  let deps: CommandDeps;
  const now = () => new Date('2026-03-02T09:00:00Z');

  beforeEach(async () => {
    s = await openTestStore(database);
    deps = commandDeps(s, now);
  });
  afterEach(async () => s.close());

  const run = (text: string) => handleCommand(deps, caller('C1'), text);
  const of = <K extends Reply['kind']>(r: Reply, kind: K): Extract<Reply, { kind: K }> => {
    expect(r.kind, 'text' in r ? r.text : '').toBe(kind);
    return r as Extract<Reply, { kind: K }>;
  };

  describe('latest, history, themes', () => {
    it('latest shows the newest publication with its letter, privately unless public', async () => {
      await addPublication(s.db, { ...WAKEFIELD, type: 'focused-visit', date: '2025-05-01' }, now());
      const p = await addPublication(s.db, { ...WAKEFIELD, type: 'inspection', date: '2026-01-20' }, now());
      await addLetter(s.db, p, okLetter({ sentences: [{ themes: ['care-leavers'], polarity: 'strength' }] }), now());
      const r = of(await run('latest wakefeild'), 'publication');
      expect(r.visibility).toBe('private');
      expect(r.publication).toEqual({
        id: p.id, authority: 'Wakefield', urn: WAKEFIELD.urn, type: 'inspection', title: p.title, publicationDate: '2026-01-20', url: p.url,
        authorityPageUrl: `${BASE_URL}/provider/44/${WAKEFIELD.urn}`,
      });
      expect(r.letter.status).toBe('ok');
      if (r.letter.status === 'ok') {
        expect(r.letter.judgements.overall_effectiveness).toBe('good');
        expect(r.letter.visitDates).toEqual({ start: '2025-12-01', end: '2025-12-12' });
        expect(r.letter.themeDetails[0]).toMatchObject({ id: 'care-leavers', name: 'Care leavers', strengths: 1 });
      }
      expect(of(await run('public latest Wakefield'), 'publication').visibility).toBe('public');
      expect(of(await run('latest Wakefield public'), 'publication').visibility).toBe('public');
    });

    it('history lists the publications newest first; themes shows the latest letter by theme', async () => {
      await addPublication(s.db, { ...WAKEFIELD, type: 'focused-visit', date: '2025-05-01' }, now());
      await addPublication(s.db, { ...WAKEFIELD, type: 'inspection', date: '2026-01-20' }, now());
      const h = of(await run('history Wakefield'), 'history');
      expect(h.authority).toBe('Wakefield');
      expect(h.publications.map((x) => x.publicationDate)).toEqual(['2026-01-20', '2025-05-01']);
      expect(h.text).toMatch(/2026-01-20: Inspection/);
      const t = of(await run('themes Wakefield'), 'themes');
      expect(t.publication.publicationDate).toBe('2026-01-20');
      expect(t.letter).toEqual({ status: 'unavailable', reason: 'the letter has not been read yet' });
    });

    it('a council without publications, a region, an unknown name', async () => {
      expect(of(await run('latest Leeds'), 'text').text).toMatch(/Nothing from Ofsted about Leeds is recorded yet/);
      expect(of(await run('latest London'), 'text').text).toMatch(/region of 33 councils; name one council/);
      const r = of(await run('latest Sussex public'), 'did-you-mean');
      expect(r.visibility).toBe('private');
      expect(r.suggestions).toEqual(expect.arrayContaining(['East Sussex', 'West Sussex']));
    });

    it('reads a letter not read yet at most once, even for concurrent lookups', async () => {
      const p = await addPublication(s.db, { ...LEEDS, date: '2026-02-02' }, now());
      let downloads = 0;
      const letters: LetterDeps = {
        db: s.db,
        logger: silentLogger,
        now,
        client: {
          getBytes: async () => {
            downloads++;
            await new Promise((r) => setTimeout(r, 20));
            // a permanent failure that isSettled() counts as settled (NB: a 404 is stored as a 'download' failure with
            // 1 attempt, which isSettled() does not count as settled, so ensureLetter would try it again)
            return { ok: false, error: { kind: 'too-large', message: 'the file is 90 MB, more than the limit', attempts: 0 } };
          },
        },
        limits: { maxBytes: 1_000_000, maxPages: 50, timeoutMs: 5_000, summaryBudget: 3000 },
      };
      deps = commandDeps(s, now, { letters });
      const replies = await Promise.all([run('latest Leeds'), run('themes Leeds'), run('latest Leeds public')]);
      expect(downloads).toBe(1);
      for (const r of replies) {
        const letter = r.kind === 'publication' || r.kind === 'themes' ? r.letter : null;
        expect(letter?.status).toBe('unavailable');
      }
      await run('latest Leeds');
      expect(downloads).toBe(1);
      const stored = await s.db.selectFrom('letters').selectAll().where('publication_id', '=', p.id).executeTakeFirstOrThrow();
      expect(stored.status).toBe('failed');
    });
  });

  describe('search', () => {
    it('finds stored letters; nothing found is a private text', async () => {
      const p = await addPublication(s.db, { ...WAKEFIELD, date: '2026-01-20' }, now());
      await addLetter(s.db, p, okLetter({ text: 'Care leavers live in suitable accommodation and are supported by personal advisers.' }), now());
      const r = of(await run('search care leavers accommodation public'), 'search');
      expect(r.visibility).toBe('public');
      expect(r.hits).toHaveLength(1);
      expect(r.hits[0]!.publication).toMatchObject({ id: p.id, authority: 'Wakefield', authorityPageUrl: `${BASE_URL}/provider/44/${WAKEFIELD.urn}` });
      expect(r.hits[0]!.snippet).toMatch(/\*accommodation\*/);
      const none = of(await run('search unicorns public'), 'search');
      expect(none.hits).toEqual([]);
      expect(none.visibility).toBe('private');
      expect(of(await run('search ***'), 'search').hits).toEqual([]);
    });
  });
});
