import { describe, expect, it } from 'vitest';
import { classifyLetter } from '../../src/letters/classify-letter.ts';
import { structure } from './fixtures/letter.ts';

describe('classifyLetter', () => {
  it('classifies every sentence of every section and each improvement point once, in letter order', () => {
    const out = classifyLetter(structure());
    expect(out.map((s) => [s.section, s.text])).toEqual([
      ['overview', 'This letter summarises the findings of the focused visit.'],
      ['overview', 'Inspectors looked at children in need.'],
      ['headline', 'Senior leaders have improved the timeliness of assessments.'],
      ['headline', 'Strategy meetings are effective.'],
      ['improvements', 'The consistency and quality of supervision.'],
      ['improvements', 'Direct work with children.'],
      ['main-findings', 'Pathway plans are detailed and care leavers are well supported by personal advisers.'],
      ['main-findings', 'Too many contacts to the front door are not screened in a timely way.'],
      ['main-findings', 'Management oversight is not always evident.'],
    ]);
  });

  it('makes every improvement point a concern and classifies prose by its words', () => {
    const out = classifyLetter(structure());
    for (const s of out.filter((x) => x.section === 'improvements')) expect(s.polarity).toBe('concern');
    const byText = new Map(out.map((s) => [s.text, s]));
    expect(byText.get('The consistency and quality of supervision.')!.themes).toEqual(['management-oversight']);
    expect(byText.get('Direct work with children.')!.themes).toEqual(['voice-of-the-child']);
    expect(byText.get('Strategy meetings are effective.')).toMatchObject({ polarity: 'strength', themes: ['child-protection'] });
    expect(byText.get('Too many contacts to the front door are not screened in a timely way.')).toMatchObject({ polarity: 'concern', themes: ['front-door'] });
    expect(byText.get('This letter summarises the findings of the focused visit.')!.polarity).toBe('neutral');
  });

  it('classifies the improvements section sentence by sentence, as concerns, when no points were parsed', () => {
    const out = classifyLetter(structure({ improvements: [] }));
    const points = out.filter((s) => s.section === 'improvements');
    expect(points.map((p) => p.text)).toEqual(['The consistency and quality of supervision.', 'Direct work with children.']);
    for (const p of points) expect(p.polarity).toBe('concern');
  });

  it('keeps points that have no section of their own, and priority actions as their own section', () => {
    const s = structure({ sections: [], priorityActions: ['Ensure that all children at risk are seen.'] });
    const out = classifyLetter(s);
    expect(out.map((x) => x.section)).toEqual(['priority-actions', 'improvements', 'improvements']);
    expect(out.every((x) => x.polarity === 'concern')).toBe(true);
  });
});
