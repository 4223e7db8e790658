import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createLetterPool } from '../../src/letters/letter-pool.ts';
import { readLetter } from '../../src/letters/read-letter.ts';
import { haveLetters, letterBytes } from './real-letters.ts';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/letters/${name}`, import.meta.url)));
const pool = createLetterPool({ size: 2 });
afterAll(() => pool.close());

describe('readLetter: files that are not letters', () => {
  it("stores why a 'Report not found' page could not be read", async () => {
    const r = await readLetter(fixture('report-not-found.html'), 'text/html', { pool });
    expect(r).toEqual({ ok: false, kind: 'not-pdf', reason: 'not a PDF: the site answered Report not found' });
  });

  it('calls a truncated download corrupt', async () => {
    const r = await readLetter(fixture('truncated-letter.pdf'), 'application/pdf', { pool });
    expect(r).toMatchObject({ ok: false, kind: 'corrupt' });
  });

  it('calls a PDF that cannot be opened corrupt, through the pool', async () => {
    const junk = new TextEncoder().encode('%PDF-1.7\nnot really a PDF\n%%EOF\n');
    const r = await readLetter(junk, 'application/pdf', { pool });
    expect(r).toMatchObject({ ok: false, kind: 'corrupt', reason: expect.stringMatching(/^corrupt: /) });
  });
});

describe.skipIf(!haveLetters)('readLetter: a real focused visit through the pool', () => {
  const bytes = haveLetters ? letterBytes('80451-wakefield-focused-visit-2020-12-18.pdf') : new Uint8Array();

  it('reads, classifies and summarises it', async () => {
    const r = await readLetter(bytes, 'application/pdf', { pool });
    if (!r.ok) throw new Error(r.reason);
    expect(r.pages).toBe(6);
    expect(r.structure.type).toBe('focused-visit');
    expect(r.structure.improvements).toHaveLength(2);
    // every improvement point is classified, and always as a concern
    const points = r.sentences.filter((s) => s.section === 'improvements');
    expect(points.length).toBeGreaterThanOrEqual(2);
    expect(points.every((s) => s.polarity === 'concern')).toBe(true);
    expect(r.summary.improvements.map((i) => i.text)).toEqual(r.structure.improvements);
    expect(r.timings?.total).toBeGreaterThan(0);
  });

  it('refuses a letter over the page cap and one that takes too long', async () => {
    expect(await readLetter(bytes, 'application/pdf', { pool, maxPages: 3 })).toEqual({
      ok: false,
      kind: 'too-many-pages',
      reason: 'too many pages (6 > 3 cap)',
    });
    expect(await readLetter(bytes, 'application/pdf', { pool, timeoutMs: 1 })).toMatchObject({ ok: false, kind: 'timeout' });
  });

  it('refuses a file over the size cap before reading it', async () => {
    expect(await readLetter(bytes, 'application/pdf', { maxBytes: 1000 })).toMatchObject({
      ok: false,
      kind: 'too-large',
      reason: expect.stringMatching(/^too large \(\d+ KB > 1000 bytes cap\)$/),
    });
  });
});
