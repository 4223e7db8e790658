import { describe, expect, it } from 'vitest';
import { parseAuthorityPage } from '../../src/sources/parse-authority-page.ts';
import { sitePage } from './fixtures.ts';

const PAGE = 'https://reports.ofsted.gov.uk/provider/44/80451';
const F = 'https://files.ofsted.gov.uk/v1/file/';

describe('parseAuthorityPage, documented markup', () => {
  const page = parseAuthorityPage(sitePage('authority-page.html'), PAGE);
  const byId = Object.fromEntries(page.publications.map((p) => [p.fileId, p]));

  it('reads the name and URN', () => {
    expect(page.name).toBe('Wakefield');
    expect(page.urn).toBe('80451');
    expect(page.usedFallback).toBe(false);
  });

  it('reads each publication link with its type, title, date, id and URL, newest first, once per file', () => {
    expect(page.publications.map((p) => p.fileId)).toEqual([
      '50282475', '50217411', '50217499', '50210001', '50174905', '50158650', '50004490', '2760660', '2345678',
    ]);
    expect(byId['50282475']).toEqual({
      type: 'inspection',
      title: "Children's services inspection",
      publicationDate: '2025-07-18',
      fileId: '50282475',
      url: `${F}50282475`,
    });
  });

  it('recognises every kind of title, older variants and curly apostrophes included', () => {
    expect(byId['50217411']?.type).toBe('focused-visit');
    expect(byId['50217499']?.type).toBe('jtai');
    expect(byId['50210001']?.type).toBe('send');
    expect(byId['50174905']).toMatchObject({ type: 'inspection', title: 'Children\u2019s services inspection', publicationDate: '2022-01-05' });
    expect(byId['50004490']).toMatchObject({ type: 'inspection', title: "Children's services inspection, pdf", publicationDate: '2018-07-17' });
    expect(byId['2760660']).toMatchObject({
      type: 'inspection',
      title: "Single inspection of LA children's services as pdf",
      publicationDate: '2016-09-20',
      url: 'https://files.api.ofsted.gov.uk/v1/file/2760660',
    });
  });

  it('takes the date from the <time> when the link has no hidden text', () => {
    expect(byId['50158650']).toMatchObject({ type: 'focused-visit', publicationDate: '2020-12-18' });
  });

  it('reads the date from a <time datetime> when that is all there is', () => {
    const html = sitePage('authority-page.html').replace('<time>18 December 2020</time>', '<time datetime="2020-12-18"></time>');
    const found = parseAuthorityPage(html, PAGE).publications.find((p) => p.fileId === '50158650');
    expect(found?.publicationDate).toBe('2020-12-18');
  });

  it("reads an unknown title as 'other' and says so", () => {
    expect(byId['2345678']?.type).toBe('other');
    expect(page.warnings).toEqual(['"Review of the local safeguarding children board" (file 2345678) is not a known publication type: read as \'other\'']);
  });

  it('skips timeline items with modifier classes such as timeline__day--opened', () => {
    expect(byId['1000001']).toBeUndefined();
  });
});

describe('parseAuthorityPage, changed markup', () => {
  it('falls back to any link to an Ofsted file, reading its hidden text, and says so', () => {
    const page = parseAuthorityPage(sitePage('authority-page-changed-markup.html'), PAGE);
    expect(page.usedFallback).toBe(true);
    expect(page.name).toBe('Wakefield');
    expect(page.urn).toBe('80451');
    expect(page.publications).toEqual([
      { type: 'inspection', title: "Children's services inspection", publicationDate: '2025-07-18', fileId: '50282475', url: `${F}50282475` },
      { type: 'focused-visit', title: "Children's services focused visit", publicationDate: '2023-05-09', fileId: '50217411', url: `${F}50217411` },
      { type: 'focused-visit', title: "Children's services focused visit", publicationDate: '2020-12-18', fileId: '50158650', url: `${F}50158650` },
    ]);
    expect(page.warnings.join('\n')).toMatch(/markup changed/);
  });

  it('reads links on the simulator’s own host (any /v1/file/{id})', () => {
    const html = sitePage('authority-page-changed-markup.html').replaceAll(F, 'http://127.0.0.1:8089/v1/file/');
    const page = parseAuthorityPage(html, 'http://127.0.0.1:8089/provider/44/80451');
    expect(page.publications.map((p) => p.url)[0]).toBe('http://127.0.0.1:8089/v1/file/50282475');
  });
});

describe('parseAuthorityPage, faults', () => {
  it('warns when a page has no file links at all', () => {
    const page = parseAuthorityPage(sitePage('listing-empty.html'), PAGE);
    expect(page.publications).toEqual([]);
    expect(page.usedFallback).toBe(false);
    expect(page.warnings.join('\n')).toMatch(/no links to Ofsted files/);
  });

  it('warns when the page is cut short, and reads what arrived', () => {
    const html = sitePage('authority-page.html');
    const page = parseAuthorityPage(html.slice(0, html.indexOf('5 January 2022')), PAGE);
    expect(page.publications.map((p) => p.fileId)).toEqual(['50282475', '50217411', '50217499', '50210001']);
    expect(page.warnings.join('\n')).toMatch(/cut short/);
  });

  it('warns when the page says another URN than its address', () => {
    const page = parseAuthorityPage(sitePage('authority-page.html'), 'https://reports.ofsted.gov.uk/provider/44/80518');
    expect(page.warnings.join('\n')).toMatch(/says URN 80451 but its address is \/provider\/44\/80518/);
  });

  it('warns about file links outside the documented timeline', () => {
    const html = sitePage('authority-page.html').replace('</main>', '<p><a href="https://files.ofsted.gov.uk/v1/file/777">Annex, pdf - 1 May 2025</a></p></main>');
    const page = parseAuthorityPage(html, PAGE);
    expect(page.publications.map((p) => p.fileId)).not.toContain('777');
    expect(page.warnings.join('\n')).toMatch(/files 777 sit outside the documented timeline/);
  });
});
