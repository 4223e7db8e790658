// How the classifier reads points where themes overlap or compete: sentences written for these
// tests (not copied from any letter), one behaviour each.
import { describe, expect, it } from 'vitest';
import { analyseText, classifyText } from '../../src/themes/classify.ts';

const point = (text: string) => classifyText(text, { improvementPoint: true }).themes;
const ranked = (text: string) => analyseText(text, { improvementPoint: true }).ranked.map((r) => r.id);

describe('precedence between overlapping themes', () => {
  it('reads the children a corporate parenting board is for as its remit, not a further theme', () => {
    expect(point('The corporate parenting board’s oversight of outcomes for children in care and care leavers.')).toEqual(['leadership-and-governance']);
    expect(point('Ensure that elected members understand their role as corporate parents of looked after children.')).toEqual(['leadership-and-governance']);
    // a service for those children is still theirs
    expect(point('Placement sufficiency for children in care, overseen by the corporate parenting board.')).toEqual(['children-in-care', 'leadership-and-governance']);
    // without corporate parenting, the children are the subject
    expect(point('Emotional health support for children in care and care leavers.')).toEqual(expect.arrayContaining(['children-in-care', 'care-leavers']));
  });

  it('reads children missing from care as children in care too, children missing from home or care as all children who go missing', () => {
    expect(point('Return home interviews for children missing from care.')).toEqual(['exploitation-and-missing', 'children-in-care']);
    expect(point('Return home interviews for children missing from home or care.')).toEqual(['exploitation-and-missing']);
    expect(point('Return home interviews for children missing from home.')).toEqual(['exploitation-and-missing']);
  });

  it('keeps the words of one theme’s overlapping phrases with that theme', () => {
    // "early permanence" and "permanence planning" overlap: "planning" is permanence planning, not planning in general
    expect(ranked('Early permanence planning for all children.')).toEqual(['permanence-and-legal']);
    expect(point('Early permanence planning for all children.')).toEqual(['permanence-and-legal']);
    // a phrase of another theme still takes its own words
    expect(point('Pathway planning for care leavers.')).toEqual(['care-leavers']);
  });

  it('reads the three judgement areas’ groups named together as all children', () => {
    expect(point('The quality of assessments for children in need of help and protection, children in care and care leavers.')).toEqual(['assessment-and-planning']);
    expect(point('The quality of assessments for children in care and care leavers.')).toEqual(
      expect.arrayContaining(['assessment-and-planning', 'children-in-care', 'care-leavers']),
    );
  });
});

describe('scope: what a point is about', () => {
  it('counts the practice named in a stated purpose ("so that …", "in order to …")', () => {
    expect(point('Strengthen management oversight so that thresholds are applied consistently.')).toEqual(['management-oversight', 'front-door']);
    expect(point('Supervision needs to improve in order to reduce drift in children’s plans.')).toEqual(['management-oversight', 'assessment-and-planning']);
  });

  it('still discounts an infinitive of purpose that only says who benefits', () => {
    expect(point('The quality of supervision, to help social workers reflect on their practice.')).toEqual(['management-oversight']);
  });

  it('tells the record (quality assurance) from the act of recording something', () => {
    expect(point('The recording of screening decisions in the front door.')).toEqual(['front-door', 'quality-assurance']);
    expect(point('Seeking and recording parental consent.')).toEqual(['front-door']);
    // recording supervision is supervision practice
    expect(point('The recording of supervision.')).toEqual(['management-oversight']);
  });

  it('reads a board’s or a panel’s oversight as governance, not management oversight of casework', () => {
    expect(point('The oversight and impact of the corporate parenting panel.')).toEqual(['leadership-and-governance']);
    expect(ranked('The oversight and impact of the corporate parenting panel.')).not.toContain('management-oversight');
    expect(ranked('Strategic oversight of the sufficiency strategy.')).not.toContain('management-oversight');
    expect(point('The oversight of casework by team managers.')).toEqual(['management-oversight']);
  });

  it('reads senior managers listed as staff to recruit as a workforce point, not leadership', () => {
    expect(point('Recruit sufficient experienced social workers, managers and senior managers.')).toEqual(['workforce']);
    expect(point('Senior leaders’ self-evaluation and governance of services.')).toEqual(['leadership-and-governance']);
  });
});

describe('terms of art that Ofsted uses for a theme', () => {
  it.each([
    ['Referrals of victims of trafficking through the national referral mechanism.', 'exploitation-and-missing'],
    ['Arrivals through the national transfer scheme.', 'children-in-care'],
    ['Children subject to deprivation of liberty orders.', 'children-in-care'],
    ['The use of strengths and difficulties questionnaires to understand emotional health.', 'children-in-care'],
    ['The tracking of EHE and CME.', 'education'],
    ['Duties under the Southwark judgment.', 'homeless-16-17'],
    ['Actions from MARAC meetings.', 'neglect-and-domestic-abuse'],
    ['Services co-produced with children and young people.', 'voice-of-the-child'],
    ['Dip sampling of case files by senior managers.', 'quality-assurance'],
    ['Access to children’s centres for families needing early support.', 'early-help'],
  ])('%s -> %s', (text, theme) => {
    expect(point(text)[0]).toBe(theme);
  });
});
