import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulatedOfsted, type SimulatedOfsted, type SimulatorOptions } from '../../src/simulator/ofsted-site.ts';
import { BUILT_IN_AUTHORITIES } from '../../src/simulator/authorities.ts';
import { loadBundledAuthorities } from '../../src/authorities/registry.ts';
import { findSharedDir } from '../../src/simulator/shared-dir.ts';
import { parseListing } from '../../src/sources/parse-listing.ts';
import { parseAuthorityPage } from '../../src/sources/parse-authority-page.ts';
import { OfstedClient } from '../../src/sources/ofsted-client.ts';

const SHARED = findSharedDir();
const LISTING = '/search?q=&location=&lat=&lon=&radius=&level_1_types=3&level_2_types%5B%5D=12&start=0&rows=100';

let sim: SimulatedOfsted | null = null;
afterEach(async () => {
  await sim?.close();
  sim = null;
});

async function start(options: SimulatorOptions = {}): Promise<SimulatedOfsted> {
  sim = await startSimulatedOfsted(options);
  return sim;
}

async function page(s: SimulatedOfsted, path: string, headers: Record<string, string> = {}) {
  const res = await fetch(new URL(path, s.url), { headers });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

async function listing(s: SimulatedOfsted, path = LISTING) {
  const { text } = await page(s, path);
  return parseListing(text, new URL(path, s.url).toString());
}

async function authority(s: SimulatedOfsted, urn: string) {
  const url = `${s.url}/provider/44/${urn}`;
  return parseAuthorityPage((await page(s, url)).text, url);
}

describe('the listing', () => {
  it.skipIf(!SHARED)('lists the 153 councils of ../shared over two pages of 100', async () => {
    const s = await start();
    const first = await listing(s);
    expect(first.totalCount).toBe(153);
    expect(first.entries).toHaveLength(100);
    expect(first.warnings).toEqual([]);
    expect(first.nextUrl).toMatch(/start=100&rows=100/);
    const second = parseListing((await page(s, first.nextUrl!)).text, first.nextUrl!);
    expect(second.entries).toHaveLength(53);
    expect(second.nextUrl).toBeNull();
    expect(second.warnings).toEqual([]);
    const urns = new Set([...first.entries, ...second.entries].map((e) => e.urn));
    expect(urns.size).toBe(153);
    expect(urns.has('80451')).toBe(true);
    expect(s.stats().byPath['/search']).toBe(2);
  });

  it('never shows more than 100 a page, pages by rows, and filters by q', async () => {
    const s = await start({ authorities: BUILT_IN_AUTHORITIES });
    const first = await listing(s, '/search?start=0&rows=5');
    expect(first.entries).toHaveLength(5);
    expect(first.totalCount).toBe(12);
    expect(first.nextUrl).toBe(`${s.url}/search?start=5&rows=5`);
    expect((await listing(s, '/search?start=0&rows=500')).entries).toHaveLength(12);
    const wakefield = await listing(s, '/search?q=wakefield&start=0&rows=100');
    expect(wakefield.entries.map((e) => e.urn)).toEqual(['80451']);
  });

  it('uses the real shell, with the documented result markup', async () => {
    const s = await start({ authorities: BUILT_IN_AUTHORITIES });
    const { text, headers } = await page(s, LISTING);
    expect(headers.get('content-type')).toMatch(/text\/html/);
    expect(text).toContain('<li class="search-result">');
    expect(text).toContain('class="results-count"');
    expect(text).toContain('<footer class="footer">');
    if (SHARED) expect(text).toContain('Ofsted&#039;s privacy notices');
  });
});

describe('publishing', () => {
  const wakefield = [{ urn: '80451', name: 'Wakefield' }];
  const history = [{ urn: '80451', type: 'inspection' as const, publicationDate: '2025-07-18' }];

  it("a visit changes the council's page; by default the listing's date moves only for inspections", async () => {
    const s = await start({ authorities: wakefield, history });
    expect((await listing(s)).entries[0]?.latestReportDate).toBe('2025-07-18');

    const visit = s.publish({ urn: '80451', type: 'focused-visit', publicationDate: '2026-02-03' });
    expect(visit).toMatchObject({ urn: '80451', type: 'focused-visit', title: "Children's services focused visit", url: `${s.url}/v1/file/${visit.fileId}` });
    const after = await authority(s, '80451');
    expect(after.publications[0]).toMatchObject({ type: 'focused-visit', publicationDate: '2026-02-03', fileId: visit.fileId, url: visit.url });
    expect((await listing(s)).entries[0]?.latestReportDate).toBe('2025-07-18');

    s.publish({ urn: '80451', type: 'inspection', publicationDate: '2026-03-01' });
    expect((await listing(s)).entries[0]?.latestReportDate).toBe('2026-03-01');
  });

  it("with latestReportMovesFor 'all' (or set later), visits move the listing's date too", async () => {
    const s = await start({ authorities: wakefield, history, latestReportMovesFor: 'all' });
    s.publish({ urn: '80451', type: 'focused-visit', publicationDate: '2026-02-03' });
    expect((await listing(s)).entries[0]?.latestReportDate).toBe('2026-02-03');
    s.setLatestReportMode('inspections');
    expect((await listing(s)).entries[0]?.latestReportDate).toBe('2025-07-18');
    s.setLatestReportMode('none');
    expect((await listing(s)).entries[0]?.latestReportDate).toBeNull();
  });

  it('re-publishing keeps the identity with a new file id; the old id answers "Report not found"', async () => {
    const s = await start({ authorities: wakefield, history });
    const before = s.publications('80451')[0]!;
    const again = s.republish('80451', 'inspection', '2025-07-18');
    expect(again).toMatchObject({ urn: '80451', type: 'inspection', publicationDate: '2025-07-18', title: before.title });
    expect(again.fileId).not.toBe(before.fileId);
    const shown = await authority(s, '80451');
    expect(shown.publications.map((p) => p.fileId)).toEqual([again.fileId]);
    const old = await page(s, before.url);
    expect(old.status).toBe(200);
    expect(old.headers.get('content-type')).toMatch(/text\/html/);
    expect(old.text).toContain('Report not found');
    expect((await fetch(again.url)).headers.get('content-type')).toBe('application/pdf');
  });

  it('refuses what it cannot publish, with a reason', async () => {
    const s = await start({ authorities: wakefield, history });
    expect(() => s.publish({ urn: '1', type: 'inspection', publicationDate: '2026-01-01' })).toThrow(/no council with URN 1/);
    expect(() => s.publish({ urn: '80451', type: 'inspection', publicationDate: '2025-07-18' })).toThrow(/already has/);
    expect(() => s.publish({ urn: '80451', type: 'inspection', publicationDate: 'soon' })).toThrow(/not a date/);
    expect(() => s.republish('80451', 'focused-visit', '2025-07-18')).toThrow(/no focused-visit/);
  });

  it('seeds every council the same way on every run', async () => {
    const a = await start({ authorities: BUILT_IN_AUTHORITIES, realPdfs: false });
    const first = BUILT_IN_AUTHORITIES.map((x) => a.publications(x.urn));
    await a.close();
    const b = await start({ authorities: BUILT_IN_AUTHORITIES, realPdfs: false });
    expect(BUILT_IN_AUTHORITIES.map((x) => b.publications(x.urn).map((p) => ({ ...p, url: '' })))).toEqual(first.map((ps) => ps.map((p) => ({ ...p, url: '' }))));
    for (const pubs of first) expect(pubs.map((p) => p.type).sort()).toEqual(['focused-visit', 'inspection']);
  });
});

describe('files', () => {
  it('serves a generated, valid PDF when there is no real letter', async () => {
    const s = await start({ authorities: BUILT_IN_AUTHORITIES, realPdfs: false });
    const file = s.publications('80451')[0]!;
    const res = await fetch(file.url);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(bytes.toString('latin1')).toContain('Wakefield');
  });

  it.skipIf(!SHARED)('serves the real letter from ../shared/corpus/letters, under its Ofsted file id', async () => {
    const s = await start();
    const inspection = s.publications('80451').find((p) => p.publicationDate === '2025-07-18')!;
    expect(inspection).toMatchObject({ type: 'inspection', fileId: '50282475' });
    const served = Buffer.from(await (await fetch(inspection.url)).arrayBuffer());
    const real = readFileSync(join(SHARED!, 'corpus/letters/80451-wakefield-ilacs-2025-07-18.pdf'));
    expect(served.equals(real)).toBe(true);
  });

  it('answers an unknown file id with 404', async () => {
    const s = await start({ authorities: BUILT_IN_AUTHORITIES });
    expect((await page(s, '/v1/file/999')).status).toBe(404);
  });

  it("works without ../shared: the bundled registry's councils (the same site as with it), shell and generated letters", async () => {
    const s = await start({ sharedDir: '/nonexistent/shared' });
    expect(s.authorities).toEqual(loadBundledAuthorities().map((a) => ({ urn: a.urn, name: a.name })));
    expect(s.authorities).toHaveLength(153);
    const first = await listing(s);
    expect(first.entries).toHaveLength(100); // the first of two pages, as with ../shared
    const pub = (await authority(s, '80451')).publications[0]!;
    const bytes = Buffer.from(await (await fetch(pub.url)).arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
  });
});

describe('conditional requests', () => {
  const one = [{ urn: '80451', name: 'Wakefield' }];

  it('answers 304 to a matching ETag, and 200 once the page changed', async () => {
    const s = await start({ authorities: one });
    const first = await page(s, '/provider/44/80451');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    expect((await page(s, '/provider/44/80451', { 'if-none-match': etag })).status).toBe(304);
    s.publish({ urn: '80451', type: 'monitoring-visit', publicationDate: '2026-04-01' });
    const changed = await page(s, '/provider/44/80451', { 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.text).toContain('Monitoring visit');
  });

  it("with 'last-modified' only, answers If-Modified-Since, and a publication moves Last-Modified on", async () => {
    const s = await start({ authorities: one, conditional: 'last-modified' });
    const first = await page(s, LISTING);
    expect(first.headers.get('etag')).toBeNull();
    const lastModified = first.headers.get('last-modified')!;
    expect((await page(s, LISTING, { 'if-modified-since': lastModified })).status).toBe(304);
    s.publish({ urn: '80451', type: 'inspection', publicationDate: '2026-04-01' });
    const changed = await page(s, LISTING, { 'if-modified-since': lastModified });
    expect(changed.status).toBe(200);
    expect(Date.parse(changed.headers.get('last-modified')!)).toBeGreaterThan(Date.parse(lastModified));
  });

  it("with 'none', sends no validators and never answers 304", async () => {
    const s = await start({ authorities: one, conditional: 'none' });
    const first = await page(s, LISTING);
    expect(first.headers.get('etag')).toBeNull();
    expect(first.headers.get('last-modified')).toBeNull();
    expect((await page(s, LISTING, { 'if-none-match': '*', 'if-modified-since': new Date().toUTCString() })).status).toBe(200);
  });
});

describe('faults', () => {
  it('fires `times` times on matching paths only, then is spent', async () => {
    const s = await start({ authorities: BUILT_IN_AUTHORITIES });
    s.injectFault({ kind: '503', path: '/provider/44/80451', times: 2 });
    expect((await page(s, '/provider/44/80518')).status).toBe(200);
    expect((await page(s, '/provider/44/80451')).status).toBe(503);
    expect((await page(s, '/provider/44/80451')).status).toBe(503);
    expect((await page(s, '/provider/44/80451')).status).toBe(200);
    expect(s.faults()).toEqual([]);
  });

  it('429 carries Retry-After; "always" lasts until cleared', async () => {
    const s = await start({ authorities: BUILT_IN_AUTHORITIES });
    s.injectFault({ kind: '429', retryAfter: 3, times: 'always' });
    for (let i = 0; i < 3; i++) {
      const res = await page(s, LISTING);
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('3');
    }
    s.clearFaults();
    expect((await page(s, LISTING)).status).toBe(200);
  });

  it('403 and reset: the polite client retries through them', async () => {
    const s = await start({ authorities: BUILT_IN_AUTHORITIES });
    s.injectFault({ kind: '403', path: '/search' });
    s.injectFault({ kind: 'reset', path: '/search' });
    s.injectFault({ kind: '429', path: '/search', retryAfter: 0 });
    const client = new OfstedClient({ baseUrl: s.url, userAgent: 'test', delayMs: 0, backoffBaseMs: 1, random: () => 0 });
    const result = await client.get(LISTING);
    await client.close();
    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(client.stats()).toMatchObject({ requests: 4, retries: 3 });
    expect(s.stats().byPath['/search']).toBe(4);
  });

  it('slow delays the answer', async () => {
    const s = await start({ authorities: BUILT_IN_AUTHORITIES });
    s.injectFault({ kind: 'slow', ms: 300 });
    const started = Date.now();
    expect((await page(s, LISTING)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
  });

  it('truncated cuts the HTML mid-way', async () => {
    const s = await start({ authorities: BUILT_IN_AUTHORITIES });
    s.injectFault({ kind: 'truncated', path: '/search' });
    const cut = await listing(s);
    expect(cut.warnings.join('\n')).toMatch(/cut short/);
    expect(cut.entries.length).toBeLessThan(BUILT_IN_AUTHORITIES.length);
  });

  it('changed-markup renames the documented classes: only the fallbacks read the pages, and read the same', async () => {
    const s = await start({ authorities: BUILT_IN_AUTHORITIES });
    const documentedListing = await listing(s);
    const documentedPage = await authority(s, '80451');
    s.injectFault({ kind: 'changed-markup', times: 2 });
    const fallbackListing = await listing(s);
    const fallbackPage = await authority(s, '80451');
    expect(fallbackListing.usedFallback).toBe(true);
    expect(fallbackListing.entries).toEqual(documentedListing.entries);
    expect(fallbackListing.totalCount).toBe(documentedListing.totalCount);
    expect(fallbackPage.usedFallback).toBe(true);
    expect(fallbackPage.publications).toEqual(documentedPage.publications);
    expect(fallbackPage.name).toBe('Wakefield');
  });

  it('empty answers 200 with no results', async () => {
    const s = await start({ authorities: BUILT_IN_AUTHORITIES });
    s.injectFault({ kind: 'empty', path: '/search' });
    const res = await page(s, LISTING);
    expect(res.status).toBe(200);
    const parsed = parseListing(res.text, s.url + LISTING);
    expect(parsed.entries).toEqual([]);
    expect(parsed.warnings.length).toBeGreaterThan(0);
  });

  it('file-html answers a file id with the "Report not found" HTML (200, text/html), and only files', async () => {
    const s = await start({ authorities: BUILT_IN_AUTHORITIES, realPdfs: false });
    s.injectFault({ kind: 'file-html' });
    expect((await page(s, LISTING)).status).toBe(200); // not spent on a page
    const res = await fetch(s.publications('80451')[0]!.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toContain('Report not found');
    expect(s.faults()).toEqual([]);
  });
});

describe('stats', () => {
  it('counts requests by path (not the control API) and bytes, and resets', async () => {
    const s = await start({ authorities: BUILT_IN_AUTHORITIES });
    await page(s, LISTING);
    await page(s, '/provider/44/80451');
    await page(s, '/provider/44/80451');
    await page(s, '/__sim/stats');
    const stats = s.stats();
    expect(stats.requests).toBe(3);
    expect(stats.byPath).toEqual({ '/search': 1, '/provider/44/80451': 2 });
    expect(stats.bytes).toBeGreaterThan(1000);
    s.resetStats();
    expect(s.stats()).toEqual({ requests: 0, byPath: {}, bytes: 0 });
  });
});
