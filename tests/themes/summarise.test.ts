import { describe, expect, it } from 'vitest';
import { classifyLetter } from '../../src/letters/classify-letter.ts';
import { formatDateRange, headlineParts, renderSummaryText, summariseLetter, summaryLength } from '../../src/letters/summarise.ts';
import type { ClassifiedSentence, LetterStructure, LetterSummary } from '../../src/letters/types.ts';
import { haveLetters, readStructure } from '../letters/real-letters.ts';
import { structure } from './fixtures/letter.ts';

const inspection = (over: Partial<LetterStructure> = {}): LetterStructure =>
  structure({
    type: 'inspection',
    authority: 'Wakefield',
    visitDates: { start: '2025-03-24', end: '2025-03-28' },
    judgements: { overall_effectiveness: 'good', impact_of_leaders: 'good', help_and_protection: 'good', children_in_care: 'outstanding', care_leavers: 'requires improvement' },
    ...over,
  });

/** Every piece of text a summary shows must be the letter's own: a whole classified sentence or point. */
function expectExtractive(summary: LetterSummary, sentences: ClassifiedSentence[], fullHeadline: string[]) {
  const texts = new Set(sentences.map((s) => s.text));
  for (const s of summary.overview) expect(texts.has(s), s).toBe(true);
  for (const p of [...summary.improvements, ...(summary.priorityActions ?? [])]) expect(texts.has(p.text), p.text).toBe(true);
  for (const t of summary.themes) for (const s of [t.concernSentence, t.strengthSentence]) if (s) expect(texts.has(s), s).toBe(true);
  const parts = summary.headline ? summary.headline.split(' · ') : [];
  expect(parts).toEqual(fullHeadline.slice(0, parts.length));
}

describe('headline', () => {
  it('gives type, council, visit dates and the judgements', () => {
    expect(headlineParts(inspection()).join(' · ')).toBe(
      'Inspection of Wakefield: 24–28 March 2025 · overall effectiveness good · leaders good · help and protection good · children in care outstanding · care leavers requires improvement',
    );
    expect(headlineParts(structure())).toEqual(['Focused visit to Wokingham Borough Council: 20–21 February 2024']);
  });

  it('reports a missing overall grade as missing, never guessed, and leaves out judgements that did not exist', () => {
    const parts = headlineParts(inspection({ judgements: { overall_effectiveness: null, impact_of_leaders: 'good', help_and_protection: 'requires improvement', children_in_care: 'good', care_leavers: null } }));
    expect(parts).toEqual(['Inspection of Wakefield: 24–28 March 2025', 'overall effectiveness not graded', 'leaders good', 'help and protection requires improvement', 'children in care good']);
    const none = headlineParts(inspection({ judgements: { overall_effectiveness: null, impact_of_leaders: null, help_and_protection: null, children_in_care: null, care_leavers: null } }));
    expect(none).toEqual(['Inspection of Wakefield: 24–28 March 2025', 'no grades found']);
  });

  it('formats date ranges and falls back to the letter date, then to nothing', () => {
    expect(formatDateRange('2025-02-28', '2025-03-03')).toBe('28 February – 3 March 2025');
    expect(formatDateRange('2024-12-30', '2025-01-03')).toBe('30 December 2024 – 3 January 2025');
    expect(formatDateRange('2025-07-14', null)).toBe('14 July 2025');
    expect(formatDateRange('2025-07-14', '2025-07-14')).toBe('14 July 2025');
    expect(formatDateRange('not a date', null)).toBeNull();
    expect(headlineParts(structure({ visitDates: { start: null, end: null } }))[0]).toBe('Focused visit to Wokingham Borough Council: letter of 20 March 2024');
    expect(headlineParts(structure({ visitDates: { start: null, end: null }, letterDate: null, authority: null }))[0]).toBe('Focused visit');
  });
});

describe('summariseLetter', () => {
  const s = structure();
  const sentences = classifyLetter(s);
  const full = summariseLetter(s, sentences, { budget: 100_000 });

  it('holds the headline, the headline findings as overview, the points with themes, and per-theme counts', () => {
    expect(full.truncated).toBe(false);
    expect(full.headline).toBe('Focused visit to Wokingham Borough Council: 20–21 February 2024');
    // the letter's own headline findings, not its methodology
    expect(full.overview).toEqual(['Senior leaders have improved the timeliness of assessments.', 'Strategy meetings are effective.']);
    expect(full.improvements).toEqual([
      { text: 'The consistency and quality of supervision.', themes: ['management-oversight'] },
      { text: 'Direct work with children.', themes: ['voice-of-the-child'] },
    ]);
    const mo = full.themes.find((t) => t.id === 'management-oversight')!;
    expect(mo).toMatchObject({ name: 'Management oversight and supervision', concerns: 2, strengths: 0 });
    expect(mo.concernSentence).toBe('Management oversight is not always evident.'); // prose, not the point already listed
    expect(full.themes.find((t) => t.id === 'care-leavers')).toMatchObject({ strengths: 1, concerns: 0, strengthSentence: 'Pathway plans are detailed and care leavers are well supported by personal advisers.', concernSentence: null });
  });

  it('orders themes by how much the letter discusses them', () => {
    const extra = structure({
      sections: [...s.sections, { id: 'main-findings', heading: '', text: 'Care leavers have suitable homes. Care leavers are in education. Personal advisers know care leavers well.' }],
    });
    const summary = summariseLetter(extra, classifyLetter(extra), { budget: 100_000 });
    expect(summary.themes[0]!.id).toBe('care-leavers');
    expect(summary.themes[0]).toMatchObject({ strengths: 3, neutral: 1, concerns: 0 });
  });

  it('takes overview findings from the opening section when there are no headline findings, skipping methodology', () => {
    const noHeadline = structure({ sections: s.sections.filter((x) => x.id !== 'headline').map((x) => (x.id === 'overview' ? { ...x, text: `${x.text} Services for children remain good.` } : x)) });
    const summary = summariseLetter(noHeadline, classifyLetter(noHeadline), { budget: 100_000 });
    expect(summary.overview).toEqual(['Services for children remain good.']);
  });

  it('renders plain text whose length summaryLength reports', () => {
    const text = renderSummaryText(full);
    expect(text.startsWith('Focused visit to Wokingham Borough Council')).toBe(true);
    expect(text).toContain('What needs to improve:\n- The consistency and quality of supervision. [Management oversight and supervision]');
    expect(text).toMatch(/- Management oversight and supervision: 2 concerns, 0 strengths, 0 neutral\n {2}Concern: Management oversight is not always evident\./);
    expect(summaryLength(full)).toBe(text.length);
  });
});

describe('the budget', () => {
  const letters: Array<[string, LetterStructure]> = [
    ['focused visit', structure()],
    ['inspection', inspection({ priorityActions: ['Ensure that all children at risk of significant harm are seen promptly.'] })],
  ];

  for (const [name, s] of letters) {
    it(`is never exceeded, cuts whole items only, and says when it cut (${name})`, () => {
      const sentences = classifyLetter(s);
      const fullHeadline = headlineParts(s);
      const whole = summaryLength(summariseLetter(s, sentences, { budget: 1e9 }));
      for (let budget = 0; budget <= whole + 50; budget += 3) {
        const summary = summariseLetter(s, sentences, { budget });
        const length = summaryLength(summary);
        expect(length, `budget ${budget}`).toBeLessThanOrEqual(budget);
        expect(summary.truncated, `budget ${budget}`).toBe(budget < whole);
        expectExtractive(summary, sentences, fullHeadline);
      }
    });
  }

  it('keeps what matters most when space is short: headline, first finding and points before theme detail', () => {
    const s = inspection();
    const sentences = classifyLetter(s);
    const headline = headlineParts(s).join(' · ');
    const summary = summariseLetter(s, sentences, { budget: headline.length + 200 });
    expect(summary.headline).toBe(headline);
    expect(summary.improvements.length).toBeGreaterThan(0);
    expect(summary.themes.every((t) => t.concernSentence === null && t.strengthSentence === null)).toBe(true);
    expect(summary.truncated).toBe(true);
  });

  it('gives an empty summary rather than a cut word when even the headline does not fit', () => {
    const summary = summariseLetter(inspection(), classifyLetter(inspection()), { budget: 10 });
    expect(renderSummaryText(summary)).toBe('');
    expect(summary.truncated).toBe(true);
  });

  it.skipIf(!haveLetters)('holds on a real letter across many budgets', async () => {
    const { structure: real } = await readStructure('80451-wakefield-ilacs-2025-07-18.pdf');
    const sentences = classifyLetter(real);
    expect(sentences.length).toBeGreaterThan(100);
    const fullHeadline = headlineParts(real);
    for (const budget of [0, 40, 120, 300, 500, 800, 1200, 2000, 3000, 5000, 8000, 20000]) {
      const summary = summariseLetter(real, sentences, { budget });
      expect(summaryLength(summary), `budget ${budget}`).toBeLessThanOrEqual(budget);
      expectExtractive(summary, sentences, fullHeadline);
    }
    const roomy = summariseLetter(real, sentences, { budget: 3000 });
    expect(roomy.headline).toContain('children in care outstanding');
    expect(roomy.improvements.map((p) => p.themes[0])).toEqual(['care-leavers', 'care-leavers', 'care-leavers']);
    expect(roomy.themes[0]!.id).toBe('care-leavers');
  });
});
