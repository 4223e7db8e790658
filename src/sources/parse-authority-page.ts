// A council's page (/provider/44/{urn}) to an AuthorityPage: its name, URN and publication links.
// Documented markup first (../shared/docs/ofsted-site.md §2); when that finds no publications, any link to an
// Ofsted file with its hidden text, flagged with usedFallback, so a small markup change degrades gracefully.
import * as cheerio from 'cheerio';
import type { CheerioAPI, Cheerio } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import type { AuthorityPage, PagePublication } from './types.ts';
import { findDate } from './dates.ts';
import { nearestDate } from './nearest-date.ts';
import { cleanText, looksTruncated } from './html-text.ts';
import { absoluteUrl, fileIdFromUrl, urnFromProviderUrl } from './ofsted-links.ts';
import { publicationTypeFromTitle } from './publication-type.ts';

interface LinkText {
  /** the screen-reader text, "<title>, pdf - <date>" */
  hidden: string;
  /** the text a sighted reader sees */
  visible: string;
}

/** "Children's services inspection, pdf - 18 July 2025" → its title and ISO date (either may be null). */
function splitLinkText(text: string): { title: string | null; date: string | null } {
  const flat = cleanText(text);
  if (!flat) return { title: null, date: null };
  const dash = flat.lastIndexOf(' - ');
  const dateAfterDash = dash >= 0 ? findDate(flat.slice(dash + 3)) : null;
  const titlePart = dateAfterDash ? flat.slice(0, dash) : flat;
  const title = titlePart.replace(/[\s,]*(?:\bas\s+)?\bpdf\s*$/i, '').trim();
  return { title: title || null, date: dateAfterDash ?? findDate(flat) };
}

function readLink(
  $: CheerioAPI,
  link: Cheerio<Element>,
  text: LinkText,
  pageUrl: string,
  warnings: string[],
): PagePublication | null {
  const url = absoluteUrl(link.attr('href') ?? '', pageUrl);
  const fileId = url ? fileIdFromUrl(url) : null;
  if (!url || !fileId) return null;
  const hidden = splitLinkText(text.hidden);
  const visible = splitLinkText(text.visible);
  const hiddenType = hidden.title ? publicationTypeFromTitle(hidden.title) : 'other';
  const type = hiddenType !== 'other' || !visible.title ? hiddenType : publicationTypeFromTitle(visible.title);
  const title = cleanText(text.visible) || hidden.title || '';
  const keyOf = (href: string): string | null => fileIdFromUrl(absoluteUrl(href, pageUrl) ?? '');
  const publicationDate = hidden.date ?? visible.date ?? nearestDate($, link[0]!, { keyOf, ownKey: fileId, anyText: false });
  if (!publicationDate) {
    warnings.push(`the link to file ${fileId} ("${title}") has no publication date; skipped`);
    return null;
  }
  if (!title) warnings.push(`the link to file ${fileId} has no title`);
  else if (type === 'other') warnings.push(`"${title}" (file ${fileId}) is not a known publication type: read as 'other'`);
  return { type, title, publicationDate, fileId, url };
}

function isModifierDay(item: Cheerio<AnyNode>): boolean {
  return (item.attr('class') ?? '').split(/\s+/).some((c) => c.startsWith('timeline__day--'));
}

function readDocumented($: CheerioAPI, pageUrl: string, warnings: string[]): PagePublication[] {
  const publications: PagePublication[] = [];
  $('ol.timeline li.timeline__day').each((_, li) => {
    const item = $(li);
    if (isModifierDay(item)) return;
    item.find('a.publication-link[href]').each((_, a) => {
      const link = $(a);
      const hidden = link.find('span.nonvisual').text();
      const visible = link.clone().find('span.nonvisual').remove().end().text();
      const publication = readLink($, link, { hidden, visible }, pageUrl, warnings);
      if (publication) publications.push(publication);
    });
  });
  return publications;
}

/** Any link to an Ofsted file: the text of its child elements is taken as hidden, its own text nodes as visible. */
function readFallback($: CheerioAPI, pageUrl: string, warnings: string[]): PagePublication[] {
  const publications: PagePublication[] = [];
  $('a[href]').each((_, a) => {
    const link = $(a);
    const hidden = link.children().text();
    const visible = link.contents().filter((_, node) => node.type === 'text').text();
    const publication = readLink($, link, { hidden, visible }, pageUrl, warnings);
    if (publication) publications.push(publication);
  });
  return publications;
}

function dedupeByFileId(publications: PagePublication[]): PagePublication[] {
  const byId = new Map<string, PagePublication>();
  for (const p of publications) if (!byId.has(p.fileId)) byId.set(p.fileId, p);
  return [...byId.values()];
}

/** File links outside the documented timeline's publications (not in modifier items): a sign the markup moved. */
function strayFileLinks($: CheerioAPI, pageUrl: string, known: Set<string>): string[] {
  const stray = new Set<string>();
  $('a[href]').each((_, a) => {
    const link = $(a);
    if (link.closest('li.timeline__day').toArray().some((li) => isModifierDay($(li)))) return;
    const url = absoluteUrl(link.attr('href') ?? '', pageUrl);
    const id = url ? fileIdFromUrl(url) : null;
    if (id && !known.has(id)) stray.add(id);
  });
  return [...stray];
}

function readName($: CheerioAPI, warnings: string[]): string | null {
  const documented = cleanText($('h1.heading--title').first().text());
  if (documented) return documented;
  const anyHeading = cleanText($('main h1, h1').first().text());
  if (anyHeading) warnings.push('no h1.heading--title: the name was read from the first h1');
  return anyHeading || null;
}

function readUrn($: CheerioAPI, pageUrl: string, warnings: string[]): string | null {
  const documented = /\b(\d{4,})\b/.exec(cleanText($('.title-block__subheading').first().text()))?.[1] ?? null;
  const written = documented ?? /URN:?\s*(\d{4,})\b/i.exec(cleanText($('main').text() || $('body').text()))?.[1] ?? null;
  const fromUrl = urnFromProviderUrl(pageUrl);
  if (written && fromUrl && written !== fromUrl) warnings.push(`the page says URN ${written} but its address is /provider/44/${fromUrl}`);
  return written ?? fromUrl;
}

/** Reads one council's page. `pageUrl` is the page's own URL, used to make links absolute. */
export function parseAuthorityPage(html: string, pageUrl: string): AuthorityPage {
  const $ = cheerio.load(html);
  const warnings: string[] = [];
  if (looksTruncated(html)) warnings.push('the page looks cut short (it does not end with </html>)');

  let publications = dedupeByFileId(readDocumented($, pageUrl, warnings));
  let usedFallback = false;
  if (publications.length === 0) {
    publications = dedupeByFileId(readFallback($, pageUrl, warnings));
    usedFallback = publications.length > 0;
    if (usedFallback) {
      warnings.push(`no publications in ol.timeline: read ${publications.length} from links to Ofsted files instead (has the markup changed?)`);
    } else {
      warnings.push('no links to Ofsted files were found on the page');
    }
  } else {
    const stray = strayFileLinks($, pageUrl, new Set(publications.map((p) => p.fileId)));
    if (stray.length > 0) warnings.push(`links to files ${stray.join(', ')} sit outside the documented timeline and were not read`);
  }
  return { name: readName($, warnings), urn: readUrn($, pageUrl, warnings), publications, usedFallback, warnings };
}

