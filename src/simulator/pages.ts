// The simulated site's HTML pages: the listing of councils and a council's page, in the documented markup
// (or the renamed markup of the 'changed-markup' fault), inside the real site's shell.
import { formatLongDate } from '../sources/dates.ts';
import type { SimAuthority } from './authorities.ts';
import { pick } from './hash.ts';
import { escapeHtml as e } from './html.ts';
import type { Markup } from './markup.ts';
import type { Shell } from './shell.ts';
import type { SimPublication } from './site-history.ts';

export interface ListingRow {
  authority: SimAuthority;
  latestReportDate: string | null;
}

export interface ListingView {
  rows: readonly ListingRow[];
  total: number;
  start: number;
  pageSize: number;
  /** the href of the page that starts at `start` (same query otherwise) */
  hrefFor(start: number): string;
}

function resultItem(row: ListingRow, m: Markup): string {
  const { urn, name } = row.authority;
  const latest = row.latestReportDate ? `\n        <li>Latest report: <strong><time>${formatLongDate(row.latestReportDate)}</time></strong></li>` : '';
  return `      <li class="${m.searchResult}">
        <h3 class="${m.resultTitle}"><a href="/provider/44/${urn}">${e(name)}</a></h3>
        <ul class="${m.providerInfo}"><li>Category: <strong>Local authority children&#039;s services</strong></li></ul>
        <address class="${m.address}">${e(name)}</address>
        <ul class="${m.providerInfo}">${latest}
          <li>URN: <strong>${urn}</strong></li>
        </ul>
      </li>`;
}

function pagination(view: ListingView, m: Markup): string {
  const pages = Math.max(1, Math.ceil(view.total / view.pageSize));
  const current = Math.floor(view.start / view.pageSize) + 1;
  const prev = view.start > 0 ? `<a class="${m.paginationPrev}" href="${e(view.hrefFor(Math.max(0, view.start - view.pageSize)))}">Previous page</a>` : '';
  const next = view.start + view.pageSize < view.total ? `<a class="${m.paginationNext}" href="${e(view.hrefFor(view.start + view.pageSize))}">Next page</a>` : '';
  return `<div class="${m.pagination}">${prev}<span class="${m.paginationNumbers}">${current} of ${pages}</span>${next}</div>`;
}

export function renderListing(shell: Shell, m: Markup, view: ListingView): string {
  const main = `  <div class="container">
    <div class="row">
      <div class="col">
        <div class="module title-block title-block--flat title-block--clear">
          <h1 class="${m.heading}">Find an inspection report</h1>
        </div>
        <div class="${m.resultsHeading}"><p><strong class="${m.resultsCount}">${view.total}</strong> results</p></div>
        <ul class="${m.resultsList}">
${view.rows.map((r) => resultItem(r, m)).join('\n')}
        </ul>
        ${pagination(view, m)}
      </div>
    </div>
  </div>`;
  return shell.render({ title: 'Search results', crumbs: ['Search results'], main });
}

function publicationLink(p: SimPublication, fileUrl: string, m: Markup): string {
  const pdf = pick(['pdf', 'PDF'], `${p.fileId}`);
  const hidden = `${p.title}, ${pdf} - ${formatLongDate(p.publicationDate)}`;
  return `<a class="${m.publicationLink}" href="${e(fileUrl)}" target="_blank">
        ${e(p.title)} <span class="${m.nonvisual}">${e(hidden)}</span></a>`;
}

export function renderAuthorityPage(
  shell: Shell,
  m: Markup,
  authority: SimAuthority,
  publications: readonly SimPublication[],
  fileUrl: (fileId: string) => string,
): string {
  const byDate = new Map<string, SimPublication[]>();
  for (const p of publications) byDate.set(p.publicationDate, [...(byDate.get(p.publicationDate) ?? []), p]);
  const days = [...byDate.entries()].map(
    ([date, pubs]) => `    <li class="${m.timelineDay}">
      <p class="${m.timelineDate}"><time>${formatLongDate(date)}</time></p>
      ${pubs.map((p) => publicationLink(p, fileUrl(p.fileId), m)).join('\n      ')}
    </li>`,
  );
  const opened = `    <li class="${m.timelineDayOpened}">
      <p class="${m.timelineDate}"><time>1 April 2009</time></p>
      <p>Registered as a local authority children&#039;s services provider</p>
    </li>`;
  const main = `  <div class="container">
    <div class="row">
      <div class="col two-thirds-sm">
        <div class="module title-block title-block--flat title-block--clear title-block--large">
          <h1 class="${m.heading}">${e(authority.name)}</h1>
          <p class="${m.subheading}">URN: ${authority.urn}</p>
        </div>
        <div class="flat-content">
          <p>Local authority children&#039;s services</p>
        </div>
        <h2 class="heading--sub">Reports</h2>
        <ol class="${m.timeline}">
${[...days, opened].join('\n')}
        </ol>
      </div>
    </div>
  </div>`;
  return shell.render({ title: authority.name, crumbs: ['Search results', authority.name], main });
}
