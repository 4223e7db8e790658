import { describe, expect, it } from 'vitest';
import { parseListing } from '../../src/sources/parse-listing.ts';
import { sitePage } from './fixtures.ts';

const BASE = 'https://reports.ofsted.gov.uk';
const LISTING = `${BASE}/search?q=&location=&lat=&lon=&radius=&level_1_types=3&level_2_types%5B%5D=12&start=0&rows=100`;

describe('parseListing, documented markup', () => {
  const page = parseListing(sitePage('listing-single-page.html'), LISTING);

  it('reads every result with its URN, name, latest report date and page', () => {
    expect(page.usedFallback).toBe(false);
    expect(page.totalCount).toBe(7);
    expect(page.nextUrl).toBeNull();
    expect(page.warnings).toEqual([]);
    expect(page.entries.map((e) => e.urn)).toEqual(['80486', '80426', '80441', '80438', '80560', '80451', '80518']);
    expect(page.entries[5]).toEqual({
      urn: '80451',
      name: 'Wakefield',
      latestReportDate: '2025-07-18',
      providerUrl: `${BASE}/provider/44/80451`,
    });
  });

  it('reads long, short and numeric dates', () => {
    const byUrn = Object.fromEntries(page.entries.map((e) => [e.urn, e.latestReportDate]));
    expect(byUrn['80486']).toBe('2021-05-10');
    expect(byUrn['80441']).toBe('2025-07-18'); // "18 Jul 2025"
    expect(byUrn['80438']).toBe('2015-06-22'); // "22/06/2015"
  });

  it('gives null where a council has no latest report, and takes the URN from the link where the URN line is missing', () => {
    expect(page.entries.find((e) => e.urn === '80426')?.latestReportDate).toBeNull();
    expect(page.entries.find((e) => e.name === 'St. Helens')?.urn).toBe('80560');
  });

  it('decodes entities and keeps commas in names', () => {
    expect(page.entries.find((e) => e.urn === '80441')?.name).toBe('Bristol, City of');
  });

  it('follows a.pagination__next to an absolute URL, and finds nothing amiss on a full page', () => {
    const url = `${BASE}/search?q=&level_1_types=3&level_2_types%5B%5D=12&start=0&rows=3`;
    const first = parseListing(sitePage('listing-first-of-three.html'), url);
    expect(first.entries).toHaveLength(3);
    expect(first.totalCount).toBe(8);
    expect(first.nextUrl).toBe(`${BASE}/search?q=&level_1_types=3&level_2_types%5B%5D=12&start=3&rows=3`);
    expect(first.warnings).toEqual([]);
  });
});

describe('parseListing, warnings', () => {
  it('warns when the count claimed and the results read differ', () => {
    const page = parseListing(sitePage('listing-single-page.html').replace('<strong class="results-count">7</strong>', '<strong class="results-count">153</strong>'), LISTING);
    expect(page.totalCount).toBe(153);
    expect(page.warnings.join('\n')).toMatch(/results-count says 153 .* but 7 results were read/);
    expect(page.warnings.join('\n')).toMatch(/no link to the next page after result 7/);
  });

  it('warns when a page answers but yields no results', () => {
    const page = parseListing(sitePage('listing-empty.html'), LISTING);
    expect(page.entries).toEqual([]);
    expect(page.totalCount).toBe(0);
    expect(page.usedFallback).toBe(false);
    expect(page.warnings.join('\n')).toMatch(/0 results/);
  });

  it('warns when the page is cut short', () => {
    const html = sitePage('listing-single-page.html');
    const cut = html.slice(0, html.indexOf('Wakefield'));
    const page = parseListing(cut, LISTING);
    expect(page.entries.length).toBeLessThan(7);
    expect(page.warnings.join('\n')).toMatch(/cut short/);
  });

  it('warns about a result it cannot identify, and skips it', () => {
    const html = sitePage('listing-single-page.html')
      .replace('<a href="/provider/44/80518">Wandsworth</a>', 'Wandsworth')
      .replace('<li>URN: <strong>80518</strong></li>', '');
    const page = parseListing(html, LISTING);
    expect(page.entries.map((e) => e.urn)).not.toContain('80518');
    expect(page.warnings.join('\n')).toMatch(/result 7 has neither a URN nor a link/);
  });
});

describe('parseListing, changed markup', () => {
  it('falls back to links to /provider/44/{urn} with the nearest date, and says so', () => {
    const page = parseListing(sitePage('listing-changed-markup.html'), LISTING);
    expect(page.usedFallback).toBe(true);
    expect(page.entries).toEqual([
      { urn: '80486', name: 'Barking and Dagenham', latestReportDate: '2021-05-10', providerUrl: `${BASE}/provider/44/80486` },
      { urn: '80426', name: 'Barnsley', latestReportDate: null, providerUrl: `${BASE}/provider/44/80426` },
      { urn: '80451', name: 'Wakefield', latestReportDate: '2025-07-18', providerUrl: `${BASE}/provider/44/80451` },
    ]);
    expect(page.totalCount).toBe(3); // "3 results", read from the text
    expect(page.warnings.join('\n')).toMatch(/markup changed/);
  });
});
