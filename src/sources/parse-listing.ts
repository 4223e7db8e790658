// The listing of all local authority children's services (/search?...&start=N&rows=100) to a ListingPage.
// Documented markup first (../shared/docs/ofsted-site.md §1); when that finds no results, any link to
// /provider/44/{urn} with the nearest date, flagged with usedFallback.
import * as cheerio from 'cheerio';
import type { CheerioAPI, Cheerio } from 'cheerio';
import type { Element } from 'domhandler';
import type { ListingEntry, ListingPage } from './types.ts';
import { parseDate } from './dates.ts';
import { nearestDate } from './nearest-date.ts';
import { cleanText, looksTruncated, parseCount } from './html-text.ts';
import { absoluteUrl, urnFromProviderUrl } from './ofsted-links.ts';

/** The text after "<label>:" in the result's info list (the <strong> or <time> in it when there is one), or null. */
function labelled($: CheerioAPI, item: Cheerio<Element>, label: string): string | null {
  const prefix = label.toLowerCase() + ':';
  for (const li of item.find('li').toArray()) {
    const row = $(li);
    if (!cleanText(row.text()).toLowerCase().startsWith(prefix)) continue;
    const inner = row.find('time').first().text() || row.find('strong').first().text();
    return cleanText(inner || cleanText(row.text()).slice(prefix.length));
  }
  return null;
}

function readDocumented($: CheerioAPI, pageUrl: string, warnings: string[]): ListingEntry[] {
  const entries: ListingEntry[] = [];
  $('li.search-result').each((index, el) => {
    const item = $(el);
    const link = item.find('h3.search-result__title a[href]').first();
    const href = link.attr('href');
    const linkUrl = href ? absoluteUrl(href, pageUrl) : null;
    const linkUrn = linkUrl ? urnFromProviderUrl(linkUrl) : null;
    const urnText = labelled($, item, 'URN');
    const urn = (urnText && /^\d+$/.test(urnText) ? urnText : null) ?? linkUrn;
    if (!urn) {
      warnings.push(`result ${index + 1} has neither a URN nor a link to a council's page; skipped`);
      return;
    }
    if (linkUrn && urn !== linkUrn) warnings.push(`result ${index + 1} says URN ${urn} but links to /provider/44/${linkUrn}`);
    const dateText = labelled($, item, 'Latest report');
    const latestReportDate = dateText ? parseDate(dateText) : null;
    if (dateText && !latestReportDate) warnings.push(`result ${index + 1} (URN ${urn}): "Latest report: ${dateText}" is not a date`);
    entries.push({
      urn,
      name: cleanText(link.text()),
      latestReportDate,
      providerUrl: linkUrl ?? new URL(`/provider/44/${urn}`, pageUrl).toString(),
    });
  });
  return entries;
}

function readFallback($: CheerioAPI, pageUrl: string): ListingEntry[] {
  const byUrn = new Map<string, ListingEntry>();
  $('a[href]').each((_, a) => {
    const url = absoluteUrl($(a).attr('href')!, pageUrl);
    const urn = url ? urnFromProviderUrl(url) : null;
    if (!url || !urn || byUrn.has(urn)) return;
    const latestReportDate = nearestDate($, a, { keyOf: urnFromProviderUrl, ownKey: urn, anyText: true });
    byUrn.set(urn, { urn, name: cleanText($(a).text()), latestReportDate, providerUrl: url });
  });
  return [...byUrn.values()];
}

function readCount($: CheerioAPI): number | null {
  const documented = $('strong.results-count').first();
  if (documented.length > 0) return parseCount(documented.text());
  const written = /(\d[\d,]*)\s+results?\b/i.exec(cleanText($('main').text() || $('body').text()));
  return written ? parseCount(written[1]!) : null;
}

function readNext($: CheerioAPI, pageUrl: string): string | null {
  const documented = $('a.pagination__next[href]').first().attr('href');
  const fallback =
    $('a[rel~="next"][href]').first().attr('href') ??
    $('a[href]')
      .filter((_, a) => /^next\b/i.test(cleanText($(a).text())))
      .first()
      .attr('href');
  const href = documented ?? fallback;
  return href ? absoluteUrl(href, pageUrl) : null;
}

function queryNumber(pageUrl: string, name: string): number | null {
  try {
    const value = new URL(pageUrl).searchParams.get(name);
    return value !== null && /^\d+$/.test(value) ? Number(value) : null;
  } catch {
    return null;
  }
}

/** What the page claims against what was read: facts worth a health fault. */
function consistencyWarnings(page: Omit<ListingPage, 'warnings'>, pageUrl: string): string[] {
  const warnings: string[] = [];
  const read = page.entries.length;
  const total = page.totalCount;
  const start = queryNumber(pageUrl, 'start') ?? 0;
  const rows = queryNumber(pageUrl, 'rows');
  if (read === 0) {
    warnings.push(
      total === 0
        ? 'the page answered but says 0 results: where councils were expected, this is a fault, not "nothing new"'
        : 'the page answered but no results could be read from it',
    );
  }
  if (total !== null && read > 0) {
    const expected = rows !== null ? Math.max(0, Math.min(rows, total - start)) : page.nextUrl ? null : total - start;
    if (expected !== null && read !== expected) {
      warnings.push(`results-count says ${total} (so ${expected} on this page from result ${start + 1}) but ${read} results were read`);
    }
    if (!page.nextUrl && start + read < total) {
      warnings.push(`results-count says ${total} but there is no link to the next page after result ${start + read}`);
    }
  }
  return warnings;
}

/** Reads one page of the listing. `pageUrl` is the page's own URL, used to make links absolute and to know start/rows. */
export function parseListing(html: string, pageUrl: string): ListingPage {
  const $ = cheerio.load(html);
  const warnings: string[] = [];
  if (looksTruncated(html)) warnings.push('the page looks cut short (it does not end with </html>)');

  let entries = readDocumented($, pageUrl, warnings);
  let usedFallback = false;
  if (entries.length === 0) {
    const fallback = readFallback($, pageUrl);
    if (fallback.length > 0) {
      entries = fallback;
      usedFallback = true;
      warnings.push(`no li.search-result on the page: read ${fallback.length} councils from links to /provider/44/{urn} instead (has the markup changed?)`);
    }
  }
  const page = { entries, totalCount: readCount($), nextUrl: readNext($, pageUrl), usedFallback };
  return { ...page, warnings: [...warnings, ...consistencyWarnings(page, pageUrl)] };
}
