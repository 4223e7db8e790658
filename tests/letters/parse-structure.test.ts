import { describe, expect, it } from 'vitest';
import { haveLetters, readStructure } from './real-letters.ts';

describe.skipIf(!haveLetters)('reading real letters', () => {
  it('Wakefield focused visit, 18 December 2020: dates, inspectors and its two points to improve', async () => {
    const { structure: s, text } = await readStructure('80451-wakefield-focused-visit-2020-12-18.pdf');
    expect(s.type).toBe('focused-visit');
    expect(s.authority).toBe('Wakefield');
    expect(s.letterDate).toBe('2020-12-18');
    expect(s.visitDates).toEqual({ start: '2020-11-03', end: '2020-11-05' });
    expect(s.inspectors).toEqual(expect.arrayContaining(['Nigel Parkes', 'Neil Penswick', 'Lorna Schlechte', 'Tracey Scott', 'Jane Spilsbury']));
    expect(s.improvements).toHaveLength(2);
    expect(s.improvements[0]).toMatch(/^the response to more complex cases, particularly involving older children where chronic neglect is a key feature/);
    expect(s.improvements[1]).toBe(
      'the range, quality and availability of suitable accommodation for care leavers, including semi-independent accommodation.',
    );
    expect(Object.values(s.judgements).every((g) => g === null)).toBe(true);
    expect(s.sections.map((x) => x.id)).toEqual(['overview', 'headline', 'improvements', 'main-findings']);
    expect(s.sections.find((x) => x.id === 'main-findings')?.text).toContain('The MASH has managed to withstand the challenges');
    // nothing of Ofsted's address block is left
    expect(text).not.toMatch(/Piccadilly Gate|M1 2WD|0300 123 1231/);
  });

  it('Wakefield inspection of 2025: every grade from the table, care leavers graded separately', async () => {
    const { structure: s } = await readStructure('80451-wakefield-ilacs-2025-07-18.pdf');
    expect(s.type).toBe('inspection');
    expect(s.visitDates).toEqual({ start: '2025-03-24', end: '2025-03-28' });
    expect(s.letterDate).toBeNull();
    expect(s.inspectors).toEqual(['Christine Kennet']);
    expect(s.judgements).toEqual({
      overall_effectiveness: 'good',
      impact_of_leaders: 'good',
      help_and_protection: 'good',
      children_in_care: 'outstanding',
      care_leavers: 'requires improvement',
    });
    expect(s.improvements).toEqual([
      'Keeping in touch with care leavers aged 18 to 21 who are closed to the service. (Outcome four, National Framework)',
      'Keeping in touch with and offering support to care leavers aged 21 to 25 who are closed to the service. (Outcome four, National Framework)',
      'Response and support to care leavers in custody. (Outcome four, National Framework)',
    ]);
    expect(s.sections.map((x) => x.id)).toEqual(['overview', 'improvements', 'help-and-protection', 'children-in-care', 'care-leavers', 'leaders']);
    // the footnote about the National Framework is not part of any section
    expect(s.sections.some((x) => x.text.includes('cross-referenced'))).toBe(false);
  });

  it('an inspection of 2018-2022 grades children in care and care leavers together: care leavers stays null', async () => {
    const { structure: s } = await readStructure('80449-bradford-ilacs-2018-10-29.pdf');
    expect(s.judgements).toEqual({
      overall_effectiveness: 'inadequate',
      impact_of_leaders: 'requires improvement',
      help_and_protection: 'inadequate',
      children_in_care: 'requires improvement',
      care_leavers: null,
    });
    expect(s.improvements).toHaveLength(10);
    expect(s.improvements).toContain('clarity about what change is needed by families and by when during preproceedings');
  });

  it('Wakefield 2016 single inspection: older judgement names, its own 13 recommendations, not the safeguarding board’s', async () => {
    const { structure: s } = await readStructure('80451-wakefield-ilacs-2016-09-20.pdf');
    expect(s.type).toBe('inspection');
    expect(s.authority).toBe('Wakefield Metropolitan District Council');
    expect(s.letterDate).toBe('2016-09-20');
    expect(s.visitDates).toEqual({ start: '2016-07-05', end: '2016-07-27' });
    expect(s.judgements).toEqual({
      overall_effectiveness: 'requires improvement',
      impact_of_leaders: 'requires improvement',
      help_and_protection: 'requires improvement',
      children_in_care: 'requires improvement',
      care_leavers: 'good',
    });
    expect(s.improvements).toHaveLength(13);
    expect(s.improvements[0]).toMatch(/^Accelerate plans to improve the full utilisation of the electronic recording system/);
    expect(s.improvements[12]).toMatch(/^Ensure that senior managers establish closer and more effective working relationships/);
    expect(s.improvements.some((p) => /board's business unit/.test(p))).toBe(false);
    expect(s.sections.map((x) => x.id)).toContain('help-and-protection');
  });

  it('2013 looked-after-children inspection: the "adequate" scale gives no grade', async () => {
    const { structure: s } = await readStructure('80549-sandwell-ilacs-2013-08-02.pdf');
    expect(s.type).toBe('inspection');
    expect(s.judgements).toEqual({
      overall_effectiveness: 'inadequate',
      impact_of_leaders: 'inadequate',
      help_and_protection: null,
      children_in_care: null,
      care_leavers: null,
    });
    // bulleted points under "Immediately:", "Within three months:" and "Within six months:"
    expect(s.improvements).toHaveLength(18);
    expect(s.improvements.at(-1)).toMatch(/^Review the functionality of the electronic social care recording system/);
  });

  it('a 2014 report whose grades wrap around their labels, with numbered sub-lists', async () => {
    const { structure: s } = await readStructure('80474-herefordshire-ilacs-2014-06-30.pdf');
    expect(s.judgements.care_leavers).toBe('requires improvement');
    expect(s.judgements.overall_effectiveness).toBe('requires improvement');
    // "There are no areas of priority action." is not a point; the board's points are not the council's
    expect(s.improvements).toHaveLength(28);
    expect(s.improvements.some((p) => /There are no areas/.test(p) || /LSCB/.test(p))).toBe(false);
  });

  it('a 2018 focused visit keeps its areas for priority action apart from what needs to improve', async () => {
    const { structure: s } = await readStructure('80451-wakefield-focused-visit-2018-03-22.pdf');
    expect(s.priorityActions).toEqual([
      'delays in case allocation, assessment and seeing children at risk of harm',
      'management oversight and decision-making in relation to safeguarding practice, including supervision of staff',
      'social work recording, performance management and quality assurance arrangements.',
    ]);
    expect(s.improvements).toHaveLength(3);
    expect(s.improvements[0]).toMatch(/^Audits need to recognise good practice/);
  });

  it('a focused visit with no points to improve has none', async () => {
    const { structure: s } = await readStructure('80426-barnsley-focused-visit-2024-12-05.pdf');
    expect(s.type).toBe('focused-visit');
    expect(s.improvements).toEqual([]);
    expect(s.letterDate).toBe('2024-12-05');
  });
});
