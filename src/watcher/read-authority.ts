// Reads one council's page (conditionally, when we hold its validators) and records what it shows.
import { parseAuthorityPage } from '../sources/parse-authority-page.ts';
import { recordAuthorityPage, recordListingDate } from './record-page.ts';
import { authorityPageUrl } from './urls.ts';
import { bodyText } from './deps.ts';
import type { WatchRun } from './watch-run.ts';

export interface ReadAuthorityInput {
  urn: string;
  /** the name the listing gave, used when the page gives none */
  listedName?: string;
  /** the listing's latest-report date (poll), or undefined (sweep leaves it as it is) */
  listingLatestDate?: string | null;
  foundBy: 'poll' | 'sweep';
  announceSince: string | null;
  signal?: AbortSignal;
}

/** Returns true when the council's state is now up to date, false after a fault (it will be read again). */
export async function readAuthority(run: WatchRun, input: ReadAuthorityInput): Promise<boolean> {
  const { db, client, now, baseUrl, authorities } = run.deps;
  const url = authorityPageUrl(baseUrl, input.urn);
  const state = await db.selectFrom('watch_state').selectAll().where('urn', '=', input.urn).executeTakeFirst();
  const res = await client.get(url, { etag: state?.page_etag, lastModified: state?.page_last_modified, signal: input.signal });
  if (!res.ok) {
    if (res.error.kind === 'aborted') {
      run.aborted = true;
      return false;
    }
    await run.fault('http', url, `council page ${input.urn} could not be read after ${res.error.attempts} attempt(s): ${res.error.message}`);
    return false;
  }
  run.result.pagesFetched++;
  if (res.status === 304) {
    if (input.listingLatestDate !== undefined && state) await recordListingDate(db, input.urn, input.listingLatestDate, now());
    await run.resolve(['http', 'page-empty'], url);
    return true;
  }

  const page = parseAuthorityPage(bodyText(res.body), url);
  const known = authorities.lookup(input.urn);
  const name = known?.name ?? page.name ?? input.listedName ?? `URN ${input.urn}`;
  if (page.publications.length === 0) {
    const hadSome = (state?.publications_seen ?? 0) > 0;
    const listingSaysSome = Boolean(input.listingLatestDate);
    if (hadSome || listingSaysSome) {
      await run.fault(
        'page-empty',
        url,
        `council page for ${name} answered ${res.bytes} bytes but no publications could be read ` +
          `(${hadSome ? `${state?.publications_seen} were seen before` : 'the listing shows a latest report'}): the page may be truncated or its markup changed`,
      );
      return false;
    }
  }
  if (page.usedFallback) {
    await run.fault('markup-changed', 'council-page', `council page markup changed: the documented selectors found nothing on ${url}; read by the fallback (${page.publications.length} links)`);
  } else {
    await run.resolve(['markup-changed'], 'council-page');
  }
  for (const w of page.warnings) run.deps.logger.warn({ url }, w);

  const recorded = await recordAuthorityPage(db, {
    urn: input.urn,
    authorityName: name,
    gss: known?.gss ?? null,
    publications: page.publications,
    foundBy: input.foundBy,
    listingLatestDate: input.listingLatestDate,
    etag: res.etag,
    lastModified: res.lastModified,
    announce: { baselineCompletedAt: run.baselineCompletedAt, announceSince: input.announceSince },
    now: now(),
  });
  run.result.announced.push(...recorded.announced);
  run.result.republished.push(...recorded.republished);
  run.result.recordedSilently += recorded.recordedSilently;
  for (const e of recorded.announced) run.deps.logger.info({ urn: e.urn, type: e.type, date: e.publicationDate, url: e.url }, `new publication: ${e.authority} ${e.title}`);
  for (const e of recorded.republished) run.deps.logger.info({ urn: e.urn, type: e.type, date: e.publicationDate, fileId: e.fileId, previousFileId: e.previousFileId }, `re-published: ${e.authority} ${e.title}`);
  await run.resolve(['http', 'page-empty'], url);
  return true;
}
