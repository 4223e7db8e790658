// Full-text search over the letters, behind one interface on both engines: FTS5 on SQLite, a tsvector
// (english) with a GIN index on Postgres. Same matching rules (every word, any order; quotes for a phrase;
// punctuation ignored; plurals and other endings stemmed), same result shape and snippet style, ranking
// by relevance then newest first.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { searchLetters, saveLetter, searchPhrases, toFtsQuery } from '../../src/store/letters.ts';
import type { Publication } from '../../src/store/schema.ts';
import { addPublication, BARNET, LEEDS, okLetter, openTestStore, unreadableLetter, WAKEFIELD, type TestStore } from '../domain/helpers/store.ts';
import { testDatabases } from '../helpers/test-database.ts';

const now = new Date('2026-03-02T09:00:00Z');
const FILLER = 'The local authority has a clear plan and senior leaders know their services well. ';

describe.each(testDatabases())('$name', (database) => {
  let s: TestStore;
  beforeEach(async () => {
    s = await openTestStore(database);
  });
  afterEach(async () => s.close());

  async function letterFor(a: { urn: string; name: string }, text: string, date: string): Promise<Publication> {
    const p = await addPublication(s.db, { ...a, date }, now);
    await saveLetter(s.db, p, okLetter({ text }), now);
    return p;
  }

  it('every word must appear, in any order, punctuation ignored; a quoted phrase must appear as written', async () => {
    const w = await letterFor(WAKEFIELD, 'Care leavers live in suitable accommodation and are supported by personal advisers.', '2026-01-20');
    const l = await letterFor(LEEDS, 'Young people leaving care are not always in suitable accommodation.', '2026-01-21');
    const ids = async (q: string) => (await searchLetters(s.db, q)).map((h) => h.publicationId).sort((a, b) => a - b);
    expect(await ids('accommodation suitable')).toEqual([w.id, l.id].sort((a, b) => a - b));
    expect(await ids('accommodation, care-leavers!')).toEqual([w.id]);
    expect(await ids('"care leavers"')).toEqual([w.id]);
    expect(await ids('“leaving care”')).toEqual([l.id]);
    expect(await ids('"leavers care"')).toEqual([]);
    expect(await ids('accommodation unicorns')).toEqual([]);
    expect(await searchLetters(s.db, '*** ,,, ""')).toEqual([]);
    expect(await searchLetters(s.db, '')).toEqual([]);
  });

  it('endings are stemmed (advisers ~ adviser, supported ~ support)', async () => {
    const w = await letterFor(WAKEFIELD, 'Care leavers are supported by personal advisers.', '2026-01-20');
    expect((await searchLetters(s.db, 'adviser support')).map((h) => h.publicationId)).toEqual([w.id]);
    expect((await searchLetters(s.db, 'Leaver')).map((h) => h.publicationId)).toEqual([w.id]);
  });

  it('a hit has the publication and a snippet with the match between asterisks, "…" where the text goes on', async () => {
    const text = `${FILLER.repeat(4)}Care leavers live in suitable accommodation. ${FILLER.repeat(4)}`;
    const w = await letterFor(WAKEFIELD, text, '2026-01-20');
    const [hit, ...rest] = await searchLetters(s.db, 'care leavers');
    expect(rest).toEqual([]);
    expect(hit).toEqual({
      publicationId: w.id,
      authority: 'Wakefield',
      urn: WAKEFIELD.urn,
      type: 'inspection',
      title: w.title,
      publicationDate: '2026-01-20',
      url: w.url,
      snippet: expect.any(String),
    });
    expect(hit!.snippet).toMatch(/\*care\* \*leavers\* live in/i);
    // a phrase: FTS5 marks it as one (*care leavers*), Postgres each word (*care* *leavers*)
    expect((await searchLetters(s.db, '"care leavers"'))[0]!.snippet).toMatch(/\*care(\* \*| )leavers\* live in/i);
    expect(hit!.snippet.startsWith('…')).toBe(true);
    expect(hit!.snippet.endsWith('…')).toBe(true);
    expect(hit!.snippet.split(/\s+/).length).toBeLessThanOrEqual(18);
    // a short letter is shown whole: no "…"
    await letterFor(LEEDS, 'Care leavers are well supported.', '2026-01-21');
    const short = (await searchLetters(s.db, 'supported')).find((h) => h.authority === 'Leeds')!;
    expect(short.snippet).toBe('Care leavers are well *supported*.');
  });

  it('the council and the title are searched too (the snippet then shows the start of the letter)', async () => {
    const b = await letterFor(BARNET, `Children are safe. ${FILLER.repeat(3)}`, '2026-01-20');
    await letterFor(LEEDS, `Children are safe. ${FILLER.repeat(3)}`, '2026-01-21');
    const hits = await searchLetters(s.db, 'barnet');
    expect(hits.map((h) => h.publicationId)).toEqual([b.id]);
    expect(hits[0]!.snippet).toMatch(/^Children are safe\. The local authority/);
    expect(hits[0]!.snippet.endsWith('…')).toBe(true);
    expect((await searchLetters(s.db, "children's services inspection barnet")).map((h) => h.publicationId)).toEqual([b.id]);
  });

  it('ranks the letter that is most about the words first; equal ones newest first', async () => {
    const once = await letterFor(WAKEFIELD, `Workforce stability is improving. ${FILLER.repeat(6)}`, '2026-03-01');
    const often = await letterFor(LEEDS, `Workforce stability is a concern. The workforce is stretched and workforce turnover is high. ${FILLER.repeat(5)}`, '2026-01-01');
    expect((await searchLetters(s.db, 'workforce')).map((h) => h.publicationId)).toEqual([often.id, once.id]);

    const same = `Early help is offered to families. ${FILLER.repeat(3)}`;
    const older = await letterFor(WAKEFIELD, same, '2025-06-01');
    const newer = await letterFor(BARNET, same, '2025-09-01');
    expect((await searchLetters(s.db, 'early help families')).map((h) => h.publicationId)).toEqual([newer.id, older.id]);
  });

  it('filters by council and stops at the limit', async () => {
    const w = await letterFor(WAKEFIELD, 'Front door decisions are timely.', '2026-01-20');
    const l = await letterFor(LEEDS, 'Front door decisions are timely.', '2026-01-21');
    await letterFor(BARNET, 'Front door decisions are timely.', '2026-01-22');
    expect((await searchLetters(s.db, 'front door', { urns: [WAKEFIELD.urn, LEEDS.urn] })).map((h) => h.publicationId).sort((a, b) => a - b)).toEqual([w.id, l.id]);
    expect(await searchLetters(s.db, 'front door', { limit: 2 })).toHaveLength(2);
    expect(await searchLetters(s.db, 'front door', { urns: ['99999'] })).toEqual([]);
  });

  it('reading a letter again replaces it in the index; a letter that could not be read leaves it', async () => {
    const p = await addPublication(s.db, WAKEFIELD, now);
    await saveLetter(s.db, p, okLetter({ text: 'Private fostering arrangements are checked.' }), now);
    expect(await searchLetters(s.db, 'fostering')).toHaveLength(1);
    await saveLetter(s.db, p, okLetter({ text: 'Missing children are found quickly.' }), now);
    expect(await searchLetters(s.db, 'fostering')).toEqual([]);
    expect(await searchLetters(s.db, 'missing children')).toHaveLength(1);
    await saveLetter(s.db, p, unreadableLetter(), now);
    expect(await searchLetters(s.db, 'missing children')).toEqual([]);
    const row = await s.db.selectFrom('letters').select(['status', 'attempts']).where('publication_id', '=', p.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'failed', attempts: 3 });
  });

  it('a NUL character in a letter (as PDFs sometimes give) is stored and searchable', async () => {
    const p = await letterFor(WAKEFIELD, 'Independent reviewing officers\u0000 challenge plans.', '2026-01-20');
    expect((await searchLetters(s.db, 'reviewing officers')).map((h) => h.publicationId)).toEqual([p.id]);
  });
});

describe('what people type, as search phrases', () => {
  it('words and quoted phrases, lower-cased, punctuation dropped', () => {
    expect(searchPhrases('Care-leavers "front door"  accommodation!')).toEqual([['care', 'leavers'], ['front', 'door'], ['accommodation']]);
    expect(searchPhrases('*** ""')).toEqual([]);
    expect(toFtsQuery('care leavers "front door"')).toBe('"care" AND "leavers" AND "front door"');
    expect(toFtsQuery('!!!')).toBeNull();
  });
});
