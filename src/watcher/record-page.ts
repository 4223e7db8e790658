// Records what one council's page shows, in ONE transaction with the watcher's state for that council:
// new publications (and their events), re-publications (a new file id for a known identity), and the
// page's validators and listing date. A crash before commit leaves the council to be read again; after
// commit, the events exist for every consumer. Nothing is announced twice: events have unique keys.
import type { Db } from '../store/db.ts';
import type { PagePublication } from '../sources/types.ts';
import { shouldAnnounce, type AnnounceContext } from './announce-policy.ts';
import type { PublicationEvent } from './publication-event.ts';

export interface RecordPageInput {
  urn: string;
  authorityName: string;
  gss: string | null;
  publications: PagePublication[];
  foundBy: 'poll' | 'sweep';
  /** the listing's latest-report date to remember, or undefined to leave it as it is */
  listingLatestDate?: string | null;
  etag: string | null;
  lastModified: string | null;
  announce: Omit<AnnounceContext, 'authorityBaselined'>;
  now: Date;
}

export interface RecordPageResult {
  announced: PublicationEvent[];
  recordedSilently: number;
  republished: PublicationEvent[];
}

export async function recordAuthorityPage(db: Db, input: RecordPageInput): Promise<RecordPageResult> {
  const nowIso = input.now.toISOString();
  return db.transaction().execute(async (tx) => {
    const state = await tx.selectFrom('watch_state').selectAll().where('urn', '=', input.urn).executeTakeFirst();
    const policy: AnnounceContext = { ...input.announce, authorityBaselined: Boolean(state?.baselined_at) };
    const result: RecordPageResult = { announced: [], recordedSilently: 0, republished: [] };

    for (const p of input.publications) {
      const existing = await tx
        .selectFrom('publications')
        .selectAll()
        .where('authority_urn', '=', input.urn)
        .where('type', '=', p.type)
        .where('publication_date', '=', p.publicationDate)
        .executeTakeFirst();

      if (!existing) {
        const announce = shouldAnnounce(p.publicationDate, policy);
        const row = await tx
          .insertInto('publications')
          .values({
            authority_urn: input.urn,
            authority_name: input.authorityName,
            type: p.type,
            title: p.title,
            publication_date: p.publicationDate,
            file_id: p.fileId,
            url: p.url,
            first_seen_at: nowIso,
            found_by: input.foundBy,
            announced: announce ? 1 : 0,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await tx
          .insertInto('publication_files')
          .values({ publication_id: row.id, file_id: p.fileId, url: p.url, first_seen_at: nowIso })
          .execute();
        if (announce) {
          const event = toEvent(row.id, input, p);
          await tx
            .insertInto('events')
            .values({ kind: 'publication.new', dedupe_key: `new:${row.id}`, publication_id: row.id, created_at: nowIso, payload: JSON.stringify(event) })
            .onConflict((oc) => oc.column('dedupe_key').doNothing())
            .execute();
          result.announced.push(event);
        } else {
          result.recordedSilently++;
        }
        continue;
      }

      if (existing.file_id !== p.fileId) {
        const known = await tx
          .selectFrom('publication_files')
          .select('id')
          .where('publication_id', '=', existing.id)
          .where('file_id', '=', p.fileId)
          .executeTakeFirst();
        if (known) continue; // an older file id seen again: the page shows both; keep the newest we recorded
        await tx
          .insertInto('publication_files')
          .values({ publication_id: existing.id, file_id: p.fileId, url: p.url, first_seen_at: nowIso })
          .execute();
        await tx.updateTable('publications').set({ file_id: p.fileId, url: p.url, title: p.title }).where('id', '=', existing.id).execute();
        const event: PublicationEvent = { ...toEvent(existing.id, input, p), previousFileId: existing.file_id };
        await tx
          .insertInto('events')
          .values({
            kind: 'publication.republished',
            dedupe_key: `republished:${existing.id}:${p.fileId}`,
            publication_id: existing.id,
            created_at: nowIso,
            payload: JSON.stringify(event),
          })
          .onConflict((oc) => oc.column('dedupe_key').doNothing())
          .execute();
        result.republished.push(event);
      }
    }

    const count = await tx
      .selectFrom('publications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('authority_urn', '=', input.urn)
      .executeTakeFirstOrThrow();
    const values = {
      urn: input.urn,
      listing_latest_date: input.listingLatestDate === undefined ? (state?.listing_latest_date ?? null) : input.listingLatestDate,
      page_etag: input.etag,
      page_last_modified: input.lastModified,
      baselined_at: state?.baselined_at ?? nowIso,
      last_fetched_at: nowIso,
      publications_seen: Number(count.n),
      updated_at: nowIso,
    };
    await tx
      .insertInto('watch_state')
      .values(values)
      .onConflict((oc) => oc.column('urn').doUpdateSet(values))
      .execute();
    return result;
  });
}

/** Only the listing date moved (the page answered 304): remember the date so the next poll is idle. */
export async function recordListingDate(db: Db, urn: string, listingLatestDate: string | null, now: Date): Promise<void> {
  await db
    .updateTable('watch_state')
    .set({ listing_latest_date: listingLatestDate, last_fetched_at: now.toISOString(), updated_at: now.toISOString() })
    .where('urn', '=', urn)
    .execute();
}

/** --announce-since: writes the missing events for stored publications on or after a date (idempotent). */
export async function backfillAnnouncements(db: Db, since: string, now: Date, gssOf: (urn: string) => string | null): Promise<PublicationEvent[]> {
  return db.transaction().execute(async (tx) => {
    const rows = await tx
      .selectFrom('publications')
      .selectAll()
      .where('publication_date', '>=', since)
      .where('announced', '=', 0)
      .orderBy('publication_date')
      .execute();
    const events: PublicationEvent[] = [];
    for (const r of rows) {
      const event: PublicationEvent = {
        publicationId: r.id,
        authority: r.authority_name,
        urn: r.authority_urn,
        gss: gssOf(r.authority_urn),
        type: r.type as PublicationEvent['type'],
        title: r.title,
        publicationDate: r.publication_date,
        url: r.url,
        fileId: r.file_id,
      };
      await tx
        .insertInto('events')
        .values({ kind: 'publication.new', dedupe_key: `new:${r.id}`, publication_id: r.id, created_at: now.toISOString(), payload: JSON.stringify(event) })
        .onConflict((oc) => oc.column('dedupe_key').doNothing())
        .execute();
      await tx.updateTable('publications').set({ announced: 1 }).where('id', '=', r.id).execute();
      events.push(event);
    }
    return events;
  });
}

function toEvent(publicationId: number, input: RecordPageInput, p: PagePublication): PublicationEvent {
  return {
    publicationId,
    authority: input.authorityName,
    urn: input.urn,
    gss: input.gss,
    type: p.type,
    title: p.title,
    publicationDate: p.publicationDate,
    url: p.url,
    fileId: p.fileId,
  };
}
