// Reading publications back for lookups (`publications`, `latest`, `history`).
import type { Db } from './db.ts';
import type { Publication } from './schema.ts';

export async function publicationsFor(db: Db, urns: string[], limit = 50): Promise<Publication[]> {
  if (urns.length === 0) return [];
  return db
    .selectFrom('publications')
    .selectAll()
    .where('authority_urn', 'in', urns)
    .orderBy('publication_date', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export async function publicationById(db: Db, id: number): Promise<Publication | undefined> {
  return db.selectFrom('publications').selectAll().where('id', '=', id).executeTakeFirst();
}
