// What was read from each publication's file, and full-text search over it. Search goes through this
// one module (FTS5 on SQLite), so a Postgres tsvector implementation can replace it behind the same functions.
import { sql } from 'kysely';
import type { Db } from './db.ts';
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
  await db.transaction().execute(async (tx) => {
    const previous = await tx.selectFrom('letters').select('attempts').where('publication_id', '=', publication.id).executeTakeFirst();
    const row = result.ok
      ? {
          status: 'ok', failure_kind: null, reason: null, pages: result.pages, text: result.text,
          structure: JSON.stringify(result.structure), sentences: JSON.stringify(result.sentences), summary: JSON.stringify(result.summary),
        }
      : { status: 'failed', failure_kind: result.kind, reason: result.reason, pages: null, text: null, structure: null, sentences: null, summary: null };
    const values = { ...row, file_id: publication.file_id, read_at: now.toISOString(), attempts: (previous?.attempts ?? 0) + 1 };
    await tx
      .insertInto('letters')
      .values({ publication_id: publication.id, ...values })
      .onConflict((oc) => oc.column('publication_id').doUpdateSet(values))
      .execute();
    await sql`DELETE FROM letters_fts WHERE publication_id = ${publication.id}`.execute(tx);
    if (result.ok) {
      await sql`INSERT INTO letters_fts (publication_id, authority, title, body) VALUES (${publication.id}, ${publication.authority_name}, ${publication.title}, ${result.text})`.execute(tx);
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

/** Words are matched as words (all of them, any order); quotes group a phrase. Punctuation is ignored, never an error. */
export function toFtsQuery(words: string): string | null {
  const phrases: string[] = [];
  const text = words.replace(/[\u201c\u201d]/g, '"');
  const re = /"([^"]*)"|(\S+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const tokens = (m[1] ?? m[2] ?? '').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
    if (tokens.length) phrases.push(`"${tokens.join(' ')}"`);
  }
  return phrases.length ? phrases.join(' AND ') : null;
}

export async function searchLetters(db: Db, words: string, opts: { limit?: number; urns?: string[] } = {}): Promise<SearchHit[]> {
  const q = toFtsQuery(words);
  if (!q) return [];
  const urnFilter = opts.urns?.length ? sql`AND p.authority_urn IN (${sql.join(opts.urns)})` : sql``;
  const rows = await sql<SearchHit>`
    SELECT p.id AS "publicationId", p.authority_name AS authority, p.authority_urn AS urn, p.type AS type, p.title AS title,
           p.publication_date AS "publicationDate", p.url AS url,
           snippet(letters_fts, 3, '*', '*', '…', 16) AS snippet
    FROM letters_fts JOIN publications p ON p.id = letters_fts.publication_id
    WHERE letters_fts MATCH ${q} ${urnFilter}
    ORDER BY bm25(letters_fts), p.publication_date DESC
    LIMIT ${opts.limit ?? 10}`.execute(db);
  return rows.rows;
}
