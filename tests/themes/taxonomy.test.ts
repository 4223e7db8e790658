import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createClassifier } from '../../src/themes/classify.ts';
import { compileTaxonomy, parseTaxonomy, TAXONOMY, TAXONOMY_URL, THEME_IDS, THEME_NAMES } from '../../src/themes/taxonomy.ts';

const raw = () => JSON.parse(readFileSync(TAXONOMY_URL, 'utf8'));

/** The ids of ../shared/docs/themes.md: summaries, filters and digests speak these. */
const DOC_IDS = [
  'front-door', 'early-help', 'child-protection', 'assessment-and-planning', 'neglect-and-domestic-abuse', 'exploitation-and-missing',
  'disabled-children', 'children-in-care', 'permanence-and-legal', 'care-leavers', 'education', 'homeless-16-17', 'allegations',
  'out-of-hours', 'workforce', 'management-oversight', 'leadership-and-governance', 'quality-assurance', 'partnerships',
  'voice-of-the-child', 'covid-19',
];

describe('taxonomy.json', () => {
  it('validates against the schema', () => {
    expect(() => parseTaxonomy(raw())).not.toThrow();
  });

  it('has exactly the taxonomy doc’s themes, each named and with cues', () => {
    expect([...THEME_IDS]).toEqual(DOC_IDS);
    expect(THEME_NAMES['care-leavers']).toBe('Care leavers');
    for (const t of TAXONOMY.data.themes) {
      expect(t.name.length, t.id).toBeGreaterThan(0);
      expect(t.cues.length, t.id).toBeGreaterThanOrEqual(3);
    }
  });

  it('holds negation, contrast and blocking data, not just word lists', () => {
    const d = TAXONOMY.data;
    expect(d.polarity.concern.map((c) => c.p)).toEqual(expect.arrayContaining(['not always', 'not consistently']));
    expect(d.polarity.negators.map((n) => n.p)).toContain('not');
    expect(d.clauses.some((c) => c.p.includes('although') && c.atStart && c.atStart.polarity < 1)).toBe(true);
    expect(d.clauses.some((c) => c.p.includes('however') && (c.before ?? 1) < 1)).toBe(true);
    expect(d.themes.some((t) => t.cues.some((c) => c.unless))).toBe(true);
    expect(d.themes.some((t) => t.cues.some((c) => c.if))).toBe(true);
  });

  it('rejects bad data with the path of each problem', () => {
    const bad = raw();
    bad.themes[0].cues.push({ p: 'multi-agency', w: 2 });
    bad.themes[1].cues.push({ p: 'family hub', w: 2, also: { 'no-such-theme': 1 } });
    bad.themes[2].id = bad.themes[3].id;
    bad.settings.maxThemes = 5;
    let message = '';
    try {
      parseTaxonomy(bad);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/themes\.0\.cues\.\d+\.p: pattern "multi-agency"/);
    expect(message).toContain('unknown theme id "no-such-theme"');
    expect(message).toContain('duplicate theme id');
    expect(message).toContain('settings.maxThemes');
  });

  it('is the classifier: a cue added to the data changes classification with no code change', () => {
    const text = 'The zebra crossing rota is well organised.';
    expect(createClassifier(TAXONOMY).classifyText(text).themes).not.toContain('workforce');
    const data = raw();
    data.themes.find((t: { id: string }) => t.id === 'workforce').cues.push({ p: 'zebra crossing rota', w: 3 });
    expect(createClassifier(compileTaxonomy(data)).classifyText(text).themes).toEqual(['workforce']);
  });

  it('reweighting in the data moves the cut: a weak cue alone does not add a theme', () => {
    const data = raw();
    const cue = data.themes.find((t: { id: string }) => t.id === 'workforce').cues.find((c: { p: string }) => c.p === 'caseload*');
    const text = 'Caseloads are reviewed.';
    expect(createClassifier(compileTaxonomy(data)).classifyText(text).themes).toEqual(['workforce']);
    cue.w = 0.5;
    expect(createClassifier(compileTaxonomy(data)).classifyText(text).themes).toEqual([]);
  });
});
