import { describe, expect, it } from 'vitest';
import { classifyText } from '../../src/themes/classify.ts';
import { explain } from '../../src/themes/explain.ts';
import { THEME_IDS } from '../../src/themes/taxonomy.ts';

describe('classifyText: themes and polarity of sentences written for these tests', () => {
  it('reads a front-door failing as a front-door concern, not a strength', () => {
    const c = classifyText('Too many contacts to the front door are not screened in a timely way.');
    expect(c.themes[0]).toBe('front-door');
    expect(c.polarity).toBe('concern');
  });

  it('reads settled care leavers as a care-leavers strength', () => {
    const c = classifyText('Care leavers live in suitable accommodation and are well supported by personal advisers.');
    expect(c.themes).toEqual(['care-leavers']);
    expect(c.polarity).toBe('strength');
  });

  it('reads a methodology sentence as neutral', () => {
    for (const text of [
      'This visit was carried out in line with the inspection of local authority children’s services framework.',
      'Inspectors looked at the local authority’s arrangements for children in need and spoke to social workers and managers.',
    ]) {
      const c = classifyText(text);
      expect(c.polarity, text).toBe('neutral');
      expect(c.score, text).toBeLessThan(1);
    }
  });

  it('flips a strength to a concern under "not always" / "not consistently" negation', () => {
    expect(classifyText('Assessments are timely and thorough.').polarity).toBe('strength');
    expect(classifyText('Assessments are not always timely or thorough.').polarity).toBe('concern');
    expect(classifyText('Strategy meetings are effective.').polarity).toBe('strength');
    expect(classifyText('Strategy meetings are not consistently effective.').polarity).toBe('concern');
  });

  it('flips a concern when it is negated or avoided', () => {
    expect(classifyText('Permanence plans are progressed with no delay.').polarity).toBe('strength');
    expect(classifyText('Managers track plans closely to avoid drift.').polarity).toBe('strength');
    expect(classifyText('Plans drift for some children.').polarity).toBe('concern');
  });

  it('lets the clause after "but"/"however" outweigh the one before, and the main clause outweigh "although"', () => {
    expect(classifyText('Although most assessments are thorough, too many plans drift.').polarity).toBe('concern');
    expect(classifyText('Some records lack detail, but children are well supported and their plans are effective.').polarity).toBe('strength');
    expect(classifyText('Supervision is regular, however it is not reflective and does not challenge drift.').polarity).toBe('concern');
  });

  it('makes improvement points concerns whatever their wording', () => {
    const c = classifyText('Ensure that strategy meetings are effective and timely.', { improvementPoint: true });
    expect(c.polarity).toBe('concern');
    expect(c.themes[0]).toBe('child-protection');
  });

  it('tells plans apart by what they are plans for', () => {
    expect(classifyText('Pathway plans are detailed and updated regularly.').themes).toEqual(['care-leavers']);
    expect(classifyText('Child protection plans are detailed and updated regularly.').themes).toEqual(['child-protection']);
    expect(classifyText('Care plans are detailed and updated regularly.').themes[0]).toBe('children-in-care');
    expect(classifyText('Plans are detailed and updated regularly.').themes).toEqual(['assessment-and-planning']);
  });

  it('reads the head noun of the point: placements, accommodation for care leavers, oversight, audits, lived experience', () => {
    expect(classifyText('The stability of placements for older children.', { improvementPoint: true }).themes[0]).toBe('children-in-care');
    expect(classifyText('The availability of suitable accommodation for care leavers.', { improvementPoint: true }).themes).toEqual(['care-leavers']);
    expect(classifyText('The impact of management oversight and supervision.', { improvementPoint: true }).themes).toEqual(['management-oversight']);
    expect(classifyText('The quality of case audits and quality assurance.', { improvementPoint: true }).themes).toEqual(['quality-assurance']);
    expect(classifyText('Direct work that captures the child’s lived experience.', { improvementPoint: true }).themes).toEqual(['voice-of-the-child']);
  });

  it('does not add a theme for an incidental mention in a subordinate clause', () => {
    const c = classifyText('The quality of supervision, so that social workers are clear about next steps when plans change.', { improvementPoint: true });
    expect(c.themes).toEqual(['management-oversight']);
    // recruiting carers is placement sufficiency, not the workforce
    expect(classifyText('Recruit more foster carers for older children.', { improvementPoint: true }).themes).toEqual(['children-in-care']);
  });

  it('returns at most three known themes, strongest first, each explained by a cue', () => {
    const text =
      'Strategy meetings with the police and health, return home interviews for children missing from care, pathway plans for care leavers, case audits and the supervision of social workers all need to improve.';
    const c = classifyText(text);
    expect(c.themes.length).toBeGreaterThan(0);
    expect(c.themes.length).toBeLessThanOrEqual(3);
    for (const t of c.themes) {
      expect(THEME_IDS).toContain(t);
      expect(c.cues.some((cue) => cue.target === t && cue.weight > 0)).toBe(true);
    }
    const themeWeight = (t: string) => c.cues.filter((cue) => cue.target === t).reduce((a, cue) => Math.max(a, cue.weight), 0);
    expect(themeWeight(c.themes[0]!)).toBeGreaterThan(0);
    for (const cue of c.cues) expect(cue.target === 'polarity:strength' || cue.target === 'polarity:concern' || THEME_IDS.includes(cue.target)).toBe(true);
  });

  it('returns no theme for text with no children’s social care content', () => {
    const c = classifyText('The weather was mild and the trains ran on time.');
    expect(c.themes).toEqual([]);
  });

  it('is deterministic: same input, same output, whatever was classified before', () => {
    const texts = ['Too many re-referrals to the MASH.', 'Care leavers are well supported.', 'Leaders know their services well.', 'Placements are stable.'];
    const first = texts.map((t) => classifyText(t));
    const again = [...texts].reverse().map((t) => classifyText(t)).reverse();
    expect(again).toEqual(first);
    expect(JSON.stringify(classifyText(texts[0]!))).toBe(JSON.stringify(first[0]));
  });
});

describe('explain', () => {
  it('names the cues that placed the text, with their themes, and the polarity cues', () => {
    const text = explain('Too many pathway plans are not updated when circumstances change.');
    expect(text).toContain('care-leavers');
    expect(text).toContain('"pathway plans"');
    expect(text).toContain('subject of the main clause');
    expect(text).toMatch(/polarity: concern/);
    expect(text).toContain('"Too many"');
  });

  it('says why a theme was not kept', () => {
    const text = explain('The quality of supervision, so that social workers are clear about next steps when plans change.', { improvementPoint: true });
    expect(text).toMatch(/not kept: assessment-and-planning .*(below the minimum|under)/);
    expect(text).toContain('(a "what needs to improve" point)');
  });
});
