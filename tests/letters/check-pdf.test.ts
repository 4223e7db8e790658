import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkPdf, htmlHeadline } from '../../src/letters/check-pdf.ts';
import { extractPdfText } from '../../src/letters/extract-text.ts';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/letters/${name}`, import.meta.url)));
const ascii = (s: string) => new TextEncoder().encode(s);

describe('checkPdf', () => {
  it("says what the site answered when a retired file link returns Ofsted's 'Report not found' page", () => {
    const r = checkPdf(fixture('report-not-found.html'), 'text/html; charset=UTF-8', 25 * 1024 * 1024);
    expect(r).toEqual({ ok: false, kind: 'not-pdf', reason: 'not a PDF: the site answered Report not found' });
  });

  it('reads the page by its magic bytes, whatever the content type claims', () => {
    const r = checkPdf(fixture('report-not-found.html'), 'application/pdf', 25 * 1024 * 1024);
    expect(r).toMatchObject({ ok: false, kind: 'not-pdf', reason: 'not a PDF: the site answered Report not found' });
    expect(checkPdf(ascii('{"error":"nope"}'), 'application/json', 1000)).toEqual({
      ok: false,
      kind: 'not-pdf',
      reason: 'not a PDF: the site answered with application/json content',
    });
    expect(checkPdf(new Uint8Array(0), null, 1000)).toMatchObject({ ok: false, kind: 'not-pdf' });
  });

  it('refuses files over the cap, saying both sizes', () => {
    const big = new Uint8Array(31 * 1024 * 1024);
    big.set(ascii('%PDF-1.7'));
    expect(checkPdf(big, 'application/pdf', 25 * 1024 * 1024)).toEqual({ ok: false, kind: 'too-large', reason: 'too large (31 MB > 25 MB cap)' });
  });

  it('calls a truncated download corrupt', () => {
    const r = checkPdf(fixture('truncated-letter.pdf'), 'application/pdf', 25 * 1024 * 1024);
    expect(r).toMatchObject({ ok: false, kind: 'corrupt' });
    expect(r.ok === false && r.reason).toMatch(/^corrupt: the PDF is truncated/);
  });

  it('accepts a well-formed PDF envelope', () => {
    expect(checkPdf(ascii('%PDF-1.7\n...\n%%EOF\n'), 'application/pdf', 1000)).toEqual({ ok: true });
  });

  it('takes a page’s h1, else its title without the site name', () => {
    expect(htmlHeadline('<title>Service unavailable - Ofsted</title>')).toBe('Service unavailable');
    expect(htmlHeadline('<h1 class="x">Report <b>not</b> found</h1>')).toBe('Report not found');
  });
});

describe('extractPdfText on bad input', () => {
  it('returns corrupt, never throws, for a PDF that pdf.js cannot open', async () => {
    const r = await extractPdfText(ascii('%PDF-1.7\nthis is not a real PDF body\n%%EOF\n'));
    expect(r).toMatchObject({ ok: false, kind: 'corrupt' });
    expect(r.ok === false && r.reason).toMatch(/^corrupt: /);
  });

  it('returns corrupt for a truncated letter', async () => {
    const r = await extractPdfText(fixture('truncated-letter.pdf'));
    expect(r.ok).toBe(false);
  });
});
