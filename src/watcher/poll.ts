// The fast path: read the listing (two pages for 153 councils, conditionally when the server allows),
// and read a council's page only where its latest-report date moved or the council is new. An idle poll
// costs two requests. A listing page's validators are saved only once every change it revealed has
// been recorded, so a failure part-way makes the next poll look again instead of missing a publication.
import { parseListing } from '../sources/parse-listing.ts';
import { getMeta, setMeta } from '../store/meta.ts';
import { backfillAnnouncements } from './record-page.ts';
import { readAuthority } from './read-authority.ts';
import { bodyText, type WatcherDeps } from './deps.ts';
import { LISTING_PAGE_SIZE, listingUrl, sameSite } from './urls.ts';
import { completeBaselineIfDone, withWatchRun, type WatchRun, type WatchRunResult } from './watch-run.ts';

const MAX_LISTING_PAGES = 20;
const LISTING_TOTAL_KEY = 'listing_total';

export interface PollOptions {
  announceSince?: string | null;
  signal?: AbortSignal;
}

export function runPoll(deps: WatcherDeps, opts: PollOptions = {}): Promise<WatchRunResult> {
  return withWatchRun(deps, 'poll', (run) => poll(run, opts));
}

async function poll(run: WatchRun, opts: PollOptions): Promise<void> {
  const { db, client, baseUrl, now } = run.deps;
  const announceSince = opts.announceSince ?? null;
  const seen = new Set<string>();
  const states = new Map((await db.selectFrom('watch_state').select(['urn', 'listing_latest_date']).execute()).map((s) => [s.urn, s]));
  const knownTotal = Number((await getMeta(db, LISTING_TOTAL_KEY)) ?? 0);
  let listingComplete = true;

  let url: string | null = listingUrl(baseUrl, 0);
  let start = 0;
  for (let pageNo = 0; url && pageNo < MAX_LISTING_PAGES; pageNo++) {
    if (opts.signal?.aborted) { run.aborted = true; break; }
    const validators = await db.selectFrom('http_validators').selectAll().where('url', '=', url).executeTakeFirst();
    const res = await client.get(url, { etag: validators?.etag, lastModified: validators?.last_modified, signal: opts.signal });
    if (!res.ok) {
      if (res.error.kind === 'aborted') { run.aborted = true; break; }
      await run.fault('http', 'listing', `listing page ${pageNo + 1} could not be read after ${res.error.attempts} attempt(s): ${res.error.message}`);
      listingComplete = false;
      break;
    }
    run.result.pagesFetched++;
    if (res.status === 304) {
      // Unchanged since we last read and fully processed it. Page on by the total we last saw.
      start += LISTING_PAGE_SIZE;
      url = start < knownTotal ? listingUrl(baseUrl, start) : null;
      continue;
    }

    const page = parseListing(bodyText(res.body), url);
    if (page.entries.length === 0) {
      await run.fault('listing-empty', 'listing', `listing page ${pageNo + 1} answered 200 (${res.bytes} bytes) but no councils could be read from it: the site may have changed; this is not "nothing new"`);
      listingComplete = false;
      break;
    }
    await run.resolve(['listing-empty'], 'listing');
    if (page.usedFallback) {
      await run.fault('markup-changed', 'listing', `listing markup changed: the documented selectors found nothing on page ${pageNo + 1}; ${page.entries.length} councils read by the fallback`);
    } else {
      await run.resolve(['markup-changed'], 'listing');
    }
    let pageComplete = page.warnings.length === 0;
    if (!pageComplete) await run.fault('listing-incomplete', 'listing', `listing page ${pageNo + 1}: ${page.warnings.join('; ')}`);
    else await run.resolve(['listing-incomplete'], 'listing');

    for (const entry of page.entries) {
      if (opts.signal?.aborted) { run.aborted = true; break; }
      seen.add(entry.urn);
      await noteNewCouncil(run, entry.urn, entry.name, entry.providerUrl);
      const state = states.get(entry.urn);
      if (state && state.listing_latest_date === entry.latestReportDate) continue;
      const ok = await readAuthority(run, {
        urn: entry.urn,
        listedName: entry.name,
        listingLatestDate: entry.latestReportDate,
        foundBy: 'poll',
        announceSince,
        signal: opts.signal,
      });
      if (!ok) pageComplete = false;
      await run.renewLease();
    }
    if (run.aborted) break;

    if (pageComplete) {
      await db
        .insertInto('http_validators')
        .values({ url, etag: res.etag, last_modified: res.lastModified, updated_at: now().toISOString() })
        .onConflict((oc) => oc.column('url').doUpdateSet({ etag: res.etag, last_modified: res.lastModified, updated_at: now().toISOString() }))
        .execute();
    } else {
      listingComplete = false;
      await db.deleteFrom('http_validators').where('url', '=', url).execute();
    }
    if (page.totalCount !== null) await setMeta(db, LISTING_TOTAL_KEY, String(page.totalCount));

    start += LISTING_PAGE_SIZE;
    const next: string | null = page.nextUrl && sameSite(baseUrl, page.nextUrl) ? page.nextUrl : null;
    url = next ?? (page.totalCount !== null && start < page.totalCount ? listingUrl(baseUrl, start) : null);
  }

  if (listingComplete && !run.aborted) {
    await run.resolve(['http'], 'listing');
    await completeBaselineIfDone(run, seen);
  }
  if (announceSince && !run.aborted) {
    run.result.announced.push(...(await backfillAnnouncements(db, announceSince, now(), (urn) => run.deps.authorities.lookup(urn)?.gss ?? null)));
  }
}

/** A council in the listing that the registry does not know: remember it, so it appears without a release. */
async function noteNewCouncil(run: WatchRun, urn: string, name: string, providerUrl: string): Promise<void> {
  if (run.deps.authorities.lookup(urn)) return;
  const { db, now, logger } = run.deps;
  const r = await db
    .insertInto('listed_authorities')
    .values({ urn, name, provider_url: providerUrl, first_seen_at: now().toISOString() })
    .onConflict((oc) => oc.column('urn').doNothing())
    .executeTakeFirst();
  if (Number(r.numInsertedOrUpdatedRows ?? 0n) > 0) logger.warn({ urn, name }, `a council new to the registry appeared in Ofsted's listing: ${name} (URN ${urn})`);
}
