import { describe, expect, it } from 'vitest';
import { extractText, getDocumentProxy } from 'unpdf';
import { writeTextPdf } from '../../src/simulator/pdf-writer.ts';
import { simulatedLetter } from '../../src/simulator/simulated-letter.ts';

function text(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('latin1');
}

describe('writeTextPdf', () => {
  it('writes a PDF whose cross-reference table points at each object', () => {
    const pdf = text(writeTextPdf(['Hello (world) \\ back', 'Second paragraph'], 'A title'));
    expect(pdf.startsWith('%PDF-1.4\n')).toBe(true);
    expect(pdf.trimEnd().endsWith('%%EOF')).toBe(true);
    const startxref = Number(/startxref\n(\d+)\n%%EOF/.exec(pdf)![1]);
    expect(pdf.slice(startxref, startxref + 4)).toBe('xref');
    const [, count] = /xref\n0 (\d+)\n/.exec(pdf.slice(startxref))!;
    const entries = pdf.slice(startxref).split('\n').slice(3, 2 + Number(count));
    entries.forEach((entry, i) => {
      expect(entry).toMatch(/^\d{10} 00000 n $/);
      expect(pdf.slice(Number(entry.slice(0, 10))).startsWith(`${i + 1} 0 obj`)).toBe(true);
    });
  });

  it('has text that pdf.js extracts, curly quotes and all, over as many pages as it needs', async () => {
    const paragraphs = simulatedLetter({ urn: '80451', authorityName: 'Wakefield', type: 'focused-visit', publicationDate: '2026-02-03' });
    const long = [...paragraphs, ...Array.from({ length: 80 }, (_, i) => `Filler line ${i}`)];
    const doc = await getDocumentProxy(writeTextPdf(long, 'Focused visit'));
    const { totalPages, text: extracted } = await extractText(doc, { mergePages: true });
    expect(totalPages).toBeGreaterThan(1);
    expect(extracted).toContain('Focused visit to Wakefield children\u2019s services');
    expect(extracted).toContain('What needs to improve in this area of social work practice?');
    expect(extracted).toContain('Filler line 79');
  });
});
