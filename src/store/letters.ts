// What was read from each publication's file, and full-text search over it. Search goes through this one
// module, behind the same functions on both engines: FTS5 (letters_fts, migration 0002) on SQLite, a
// table of the same name with a stored tsvector and a GIN index (migration 0006) on Postgres.
import { sql } from 'kysely';
import type { Db } from './db.ts';
import { isPostgres } from './dialect.ts';
import type { Letter } from './schema.ts';
import type { LetterReadResult } from '../letters/types.ts';

export async function getLetter(db: Db, publicationId: number): Promise<Letter | undefined> {
  return db.selectFrom('letters').selectAll().where('publication_id', '=', publicationId).executeTakeFirst();
}

export async function saveLetter(
  db: Db,
  publication: { id: number; file_id: string; authority_name: string; title: string },
  result: LetterReadResult,
  now: Date,
): Promise<void> {
  // Postgres text cannot hold NUL characters (a PDF's extracted text occasionally has one); SQLite keeps them
  const text = (t: string) => (isPostgres(db) ? t.replaceAll('\u0000', '') : t);
  await db.transaction().execute(async (tx) => {
    const row = result.ok
      ? {
          status: 'ok', failure_kind: null, reason: null, pages: result.pages, text: text(result.text),
          structure: JSON.stringify(result.structure), sentences: JSON.stringify(result.sentences), summary: JSON.stringify(result.summary),
        }
      : { status: 'failed', failure_kind: result.kind, reason: text(result.reason), pages: null, text: null, structure: null, sentences: null, summary: null };
    const values = { ...row, file_id: publication.file_id, read_at: now.toISOString() };
    // one atomic upsert: two instances saving the same letter at once both count (the second waits for
    // the first's row lock on Postgres), and the letters row lock orders their letters_fts writes below
    await tx
      .insertInto('letters')
      .values({ publication_id: publication.id, ...values, attempts: 1 })
      .onConflict((oc) => oc.column('publication_id').doUpdateSet((eb) => ({ ...values, attempts: eb('letters.attempts', '+', 1) })))
      .execute();
    await sql`DELETE FROM letters_fts WHERE publication_id = ${publication.id}`.execute(tx);
    if (result.ok) {
      await sql`INSERT INTO letters_fts (publication_id, authority, title, body) VALUES (${publication.id}, ${publication.authority_name}, ${publication.title}, ${text(result.text)})`.execute(tx);
    }
  });
}

export interface SearchHit {
  publicationId: number;
  authority: string;
  urn: string;
  type: string;
  title: string;
  publicationDate: string;
  url: string;
  snippet: string;
}

/**
 * What a person typed as search phrases: words are matched as words (all of them, any order); quotes
 * group a phrase. Punctuation is ignored, never an error. Lower-case letters and digits only.
 */
export function searchPhrases(words: string): string[][] {
  const phrases: string[][] = [];
  const text = words.replace(/[\u201c\u201d]/g, '"');
  const re = /"([^"]*)"|(\S+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const tokens = (m[1] ?? m[2] ?? '').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
    if (tokens.length) phrases.push(tokens);
  }
  return phrases;
}

/** The FTS5 query for the words (SQLite): each phrase quoted, all of them required. */
export function toFtsQuery(words: string): string | null {
  const phrases = searchPhrases(words);
  return phrases.length ? phrases.map((p) => `"${p.join(' ')}"`).join(' AND ') : null;
}

export async function searchLetters(db: Db, words: string, opts: { limit?: number; urns?: string[] } = {}): Promise<SearchHit[]> {
  const phrases = searchPhrases(words);
  if (phrases.length === 0) return [];
  const limit = opts.limit ?? 10;
  const urnFilter = opts.urns?.length ? sql`AND p.authority_urn IN (${sql.join(opts.urns)})` : sql``;
  if (isPostgres(db)) return searchPostgres(db, phrases, limit, urnFilter);
  const rows = await sql<SearchHit>`
    SELECT p.id AS "publicationId", p.authority_name AS authority, p.authority_urn AS urn, p.type AS type, p.title AS title,
           p.publication_date AS "publicationDate", p.url AS url,
           snippet(letters_fts, 3, '*', '*', '…', 16) AS snippet
    FROM letters_fts JOIN publications p ON p.id = letters_fts.publication_id
    WHERE letters_fts MATCH ${toFtsQuery(words)} ${urnFilter}
    ORDER BY bm25(letters_fts), p.publication_date DESC
    LIMIT ${limit}`.execute(db);
  return rows.rows;
}

// ts_headline marks matches with these (characters a letter's text never has), turned into FTS5's look below
const START = '\u0001';
const STOP = '\u0002';
/** About FTS5's snippet(…, 16): some 16 words around the best match (the first ones when only the title or council matched). */
const HEADLINE = `StartSel=${START}, StopSel=${STOP}, MaxWords=16, MinWords=15, ShortWord=0, HighlightAll=false, MaxFragments=0`;
const MARKS = new RegExp(`[${START}${STOP}]`, 'g');

/**
 * Postgres: each phrase is a phraseto_tsquery (english: the same stemming idea as FTS5's porter
 * tokenizer), all of them required. Ranked by ts_rank (council and title weigh more than the letter's
 * text), then newest first. Snippets look like FTS5's: matched words between asterisks, "…" where the
 * text goes on before or after; computed for the page of hits only. (FTS5 marks a matched phrase as one,
 * `*care leavers*`; ts_headline marks each of its words, `*care* *leavers*`.)
 */
async function searchPostgres(db: Db, phrases: string[][], limit: number, urnFilter: ReturnType<typeof sql>): Promise<SearchHit[]> {
  const query = sql.join(
    phrases.map((p) => sql`phraseto_tsquery('english', ${p.join(' ')})`),
    sql` && `,
  );
  const rows = await sql<Omit<SearchHit, 'snippet'> & { headline: string; atStart: boolean; atEnd: boolean }>`
    WITH q AS (SELECT ${query} AS query),
    hits AS (
      SELECT p.id, p.authority_name, p.authority_urn, p.type, p.title, p.publication_date, p.url, f.body, q.query,
             ts_rank(f.document, q.query, 1) AS rank
      FROM letters_fts f CROSS JOIN q JOIN publications p ON p.id = f.publication_id
      WHERE numnode(q.query) > 0 AND f.document @@ q.query ${urnFilter}
      ORDER BY rank DESC, p.publication_date DESC, p.id DESC
      LIMIT ${limit}
    ),
    shown AS (
      SELECT hits.*, ts_headline('english', body, query, ${HEADLINE}) AS headline FROM hits
    )
    SELECT id AS "publicationId", authority_name AS authority, authority_urn AS urn, type, title,
           publication_date AS "publicationDate", url, headline,
           starts_with(ltrim(body), ltrim(translate(headline, ${START + STOP}, ''))) AS "atStart",
           right(rtrim(body), length(rtrim(translate(headline, ${START + STOP}, '')))) = rtrim(translate(headline, ${START + STOP}, '')) AS "atEnd"
    FROM shown
    ORDER BY rank DESC, publication_date DESC, id DESC`.execute(db);
  return rows.rows.map(({ headline, atStart, atEnd, ...hit }) => ({
    ...hit,
    snippet: `${atStart ? '' : '…'}${headline.trim().replace(MARKS, '*')}${atEnd ? '' : '…'}`,
  }));
}
