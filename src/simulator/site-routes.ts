// What the simulated site answers for each public address: the listing (/search), a council's page
// (/provider/44/{urn}) and files (/v1/file/{id}); everything else is the site's "Report not found" page.
import type { PublicationType } from '../letters/types.ts';
import type { Markup } from './markup.ts';
import type { PdfBytes } from './pdf-bytes.ts';
import { renderAuthorityPage, renderListing, type ListingRow } from './pages.ts';
import type { Shell } from './shell.ts';
import type { SiteHistory } from './site-history.ts';
import type { ResourceKind } from './faults.ts';
import { etagOf } from './validators.ts';

/** Which publications move the listing's "Latest report" date: all, all but visits, or none (never shown). */
export type LatestReportMode = 'all' | 'inspections' | 'none';

export const LISTING_MAX_ROWS = 100;

export interface SiteContext {
  history: SiteHistory;
  shell: Shell;
  pdfs: PdfBytes;
  baseUrl: string;
  latestReportMode: LatestReportMode;
}

/** How the faults in force change this answer. */
export interface Variant {
  markup: Markup;
  /** 'empty': a page with no results / no publications */
  empty: boolean;
  /** 'truncated': the HTML cut mid-way (sent with the complete page's ETag, as a cut transfer would be) */
  truncated: boolean;
  /** 'file-html': a file id answers the "Report not found" HTML */
  fileHtml: boolean;
}

export interface Answer {
  status: number;
  contentType: string;
  body: string | Uint8Array;
  /** for Last-Modified; null sends no validators */
  lastModified: number | null;
  /** when not the hash of `body` */
  etag?: string;
  headers?: Record<string, string>;
}

const HTML = 'text/html; charset=UTF-8';
const VISITS: readonly PublicationType[] = ['focused-visit', 'monitoring-visit'];
const PROVIDER = /^\/provider\/44\/(\d+)\/?$/;
const FILE = /^\/v1\/file\/([^/]+)\/?$/;

export function resourceKind(pathname: string): ResourceKind {
  if (pathname === '/search') return 'listing';
  if (PROVIDER.test(pathname)) return 'authority';
  if (FILE.test(pathname)) return 'file';
  return 'other';
}

export function latestReportDate(ctx: SiteContext, urn: string): string | null {
  if (ctx.latestReportMode === 'none') return null;
  const moving = ctx.history.publications(urn).filter((p) => ctx.latestReportMode === 'all' || !VISITS.includes(p.type));
  return moving[0]?.publicationDate ?? null;
}

/** dd-mm-yyyy (the listing's date filters) → yyyy-mm-dd, or null. */
function filterDate(value: string | null): string | null {
  const m = /^(\d{2})-(\d{2})-(\d{4})$/.exec(value ?? '');
  return m ? `${m[3]}-${m[2]}-${m[1]}` : null;
}

function listing(ctx: SiteContext, url: URL, variant: Variant): Answer {
  const q = (url.searchParams.get('q') ?? '').trim().toLowerCase();
  const from = filterDate(url.searchParams.get('latest_report_date_start'));
  const to = filterDate(url.searchParams.get('latest_report_date_end'));
  const start = Math.max(0, Number.parseInt(url.searchParams.get('start') ?? '0', 10) || 0);
  const rows = Math.min(LISTING_MAX_ROWS, Math.max(1, Number.parseInt(url.searchParams.get('rows') ?? '', 10) || LISTING_MAX_ROWS));

  const all: ListingRow[] = variant.empty
    ? []
    : ctx.history
        .authorities()
        .filter((a) => !q || a.name.toLowerCase().includes(q) || a.urn === q)
        .map((authority) => ({ authority, latestReportDate: latestReportDate(ctx, authority.urn) }))
        .filter((r) => (!from || (r.latestReportDate !== null && r.latestReportDate >= from)) && (!to || (r.latestReportDate !== null && r.latestReportDate <= to)));
  const hrefFor = (at: number): string => {
    const params = new URLSearchParams(url.searchParams);
    params.set('start', String(at));
    params.set('rows', String(rows));
    return `/search?${params.toString()}`;
  };
  const body = renderListing(ctx.shell, variant.markup, { rows: all.slice(start, start + rows), total: all.length, start, pageSize: rows, hrefFor });
  return { status: 200, contentType: HTML, body, lastModified: ctx.history.modifiedAt() };
}

function authorityPage(ctx: SiteContext, urn: string, variant: Variant): Answer {
  const authority = ctx.history.authority(urn);
  if (!authority) return notFound(ctx, 404);
  const publications = variant.empty ? [] : ctx.history.publications(urn);
  const body = renderAuthorityPage(ctx.shell, variant.markup, authority, publications, (id) => `${ctx.baseUrl}/v1/file/${id}`);
  return { status: 200, contentType: HTML, body, lastModified: ctx.history.modifiedAt(urn) };
}

async function file(ctx: SiteContext, fileId: string, variant: Variant): Promise<Answer> {
  const found = ctx.history.file(fileId);
  if (!found) return notFound(ctx, 404);
  // A retired id answers the "Report not found" page with 200, as the real site does (ofsted-site.md §3).
  if (found.retired || variant.fileHtml) return notFound(ctx, 200);
  const { publication } = found;
  const name = ctx.history.authority(publication.urn)?.name ?? publication.urn;
  try {
    const body = await ctx.pdfs.get(publication, name);
    const filename = `${name} ${publication.type} ${publication.publicationDate}.pdf`.replace(/[^\w. -]/g, '');
    return {
      status: 200,
      contentType: 'application/pdf',
      body,
      lastModified: publication.publishedAt,
      headers: { 'content-disposition': `inline; filename="${filename}"` },
    };
  } catch (error) {
    return { status: 500, contentType: 'text/plain; charset=UTF-8', body: `the simulator could not read the PDF for file ${fileId}: ${(error as Error).message}\n`, lastModified: null };
  }
}

function notFound(ctx: SiteContext, status: number): Answer {
  return { status, contentType: HTML, body: ctx.shell.notFound, lastModified: null };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function truncate(answer: Answer): Answer {
  if (typeof answer.body !== 'string') return answer;
  return { ...answer, etag: etagOf(answer.body), body: answer.body.slice(0, Math.floor(answer.body.length / 2)) };
}

export async function answer(ctx: SiteContext, url: URL, variant: Variant): Promise<Answer> {
  const provider = PROVIDER.exec(url.pathname);
  const fileMatch = FILE.exec(url.pathname);
  let result: Answer;
  if (url.pathname === '/search') result = listing(ctx, url, variant);
  else if (provider) result = authorityPage(ctx, provider[1]!, variant);
  else if (fileMatch) result = await file(ctx, safeDecode(fileMatch[1]!), variant);
  else result = notFound(ctx, 404);
  return variant.truncated ? truncate(result) : result;
}

