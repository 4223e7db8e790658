// Rendering digests: Slack parts (a summary message, then thread replies) always within Block Kit's
// limits, for a 40-letter week and for random digests of any size; every publication shown exactly
// once; text shortened only at a sentence or word, with "…". And the plain-text form.
import { describe, expect, it } from 'vitest';
import { renderDigestParts, renderDigestPublications, renderDigestSummary } from '../../adapters/slack/render/render-digest.ts';
import { blockChars, limitViolations, SLACK_LIMITS } from '../../adapters/slack/render/limits.ts';
import type { Block, SlackMessage } from '../../adapters/slack/render/blocks.ts';
import { renderDigestText } from '../../adapters/console/render-digest.ts';
import { buildDigest, lateness, publicationData, type PublicationData } from '../../src/digests/build-digest.ts';
import type { Digest } from '../../src/digests/types.ts';
import { JUDGEMENT_AREAS, type ClassifiedSentence, type Grade, type Judgements, type LetterStructure, type LetterSummary, type PublicationType } from '../../src/letters/types.ts';
import type { Letter, Publication } from '../../src/store/schema.ts';
import { loadBundledAuthorities } from '../../src/authorities/registry.ts';
import { THEME_IDS } from '../../src/themes/taxonomy.ts';
import { xorshift32 as rng } from '../helpers/seeded-random.ts';

const WORDS = 'social workers children families leaders managers plans assessments visits timely effective consistently partners oversight supervision placements care leavers independent reviewing officers quality assurance audits caseloads recruitment'.split(' ');
const GRADES: Grade[] = ['outstanding', 'good', 'requires improvement', 'inadequate'];
const TYPES: PublicationType[] = ['inspection', 'focused-visit', 'monitoring-visit', 'jtai', 'send', 'other'];
const COUNCILS = loadBundledAuthorities();

function sentence(r: () => number, words: number): string {
  const w = Array.from({ length: words }, () => WORDS[Math.floor(r() * WORDS.length)]!);
  w[0] = w[0]!.charAt(0).toUpperCase() + w[0]!.slice(1);
  return `${w.join(' ')}.`;
}

/** A publication with a letter of random size; `long` makes sentences of up to 400 words and names of 200 characters. */
function randomPublication(r: () => number, id: number, opts: { long?: boolean } = {}): PublicationData {
  const council = COUNCILS[Math.floor(r() * COUNCILS.length)]!;
  const type = r() < 0.5 ? 'inspection' : TYPES[Math.floor(r() * TYPES.length)]!;
  const len = () => (opts.long && r() < 0.2 ? 100 + Math.floor(r() * 300) : 8 + Math.floor(r() * 40));
  const sentences: ClassifiedSentence[] = Array.from({ length: 5 + Math.floor(r() * 60) }, () => ({
    text: sentence(r, len()),
    section: r() < 0.1 ? 'improvements' : 'main-findings',
    themes: [THEME_IDS[Math.floor(r() * THEME_IDS.length)]!],
    polarity: r() < 0.45 ? 'concern' : r() < 0.85 ? 'strength' : 'neutral',
    cues: [],
    score: r() * 5,
  }));
  const judgements = Object.fromEntries(JUDGEMENT_AREAS.map((a) => [a, type === 'inspection' && r() < 0.9 ? GRADES[Math.floor(r() * 4)]! : null])) as Judgements;
  const structure: LetterStructure = {
    type, authority: council.name, letterDate: null, visitDates: { start: '2026-01-12', end: `2026-01-${String(13 + (id % 15)).padStart(2, '0')}` }, inspectors: [],
    sections: [], improvements: [], judgements,
  };
  const summary: LetterSummary = { headline: 'h', overview: [sentence(r, len()), sentence(r, len())], improvements: [], themes: [], truncated: false };
  const name = opts.long && r() < 0.3 ? `${council.name} ${'and Somewhere Else '.repeat(10)}`.trim() : council.name;
  const day = 2 + Math.floor(r() * 6);
  const iso = `2026-03-0${day}T${String(Math.floor(r() * 24)).padStart(2, '0')}:00:00.000Z`;
  const publication: Publication = {
    id, authority_urn: council.urn, authority_name: name, type, title: opts.long ? sentence(r, 30) : `Children's services ${type}`,
    publication_date: `2026-03-0${day}`, file_id: `f${id}`, url: `https://files.ofsted.gov.uk/v1/file/${id}${opts.long ? 'x'.repeat(Math.floor(r() * 200)) : ''}`,
    first_seen_at: iso, found_by: 'poll', announced: 1,
  };
  const letter: Letter = {
    publication_id: id, file_id: `f${id}`, status: r() < 0.05 ? 'failed' : 'ok', failure_kind: null, reason: 'the PDF is damaged', pages: 4, text: '',
    structure: JSON.stringify(structure), sentences: JSON.stringify(sentences), summary: JSON.stringify(summary), read_at: iso, attempts: 1,
  };
  const prev = type === 'inspection' && r() < 0.6 ? { publicationId: id + 10_000, publicationDate: '2023-01-01', url: 'https://files.ofsted.gov.uk/v1/file/old', judgements: Object.fromEntries(JUDGEMENT_AREAS.map((a) => [a, GRADES[Math.floor(r() * 4)]!])) as Judgements } : null;
  return publicationData({ publication, letter, announcedAt: iso, republished: r() < 0.1, regionCode: council.regionCode, settled: true, previousInspection: prev, baseUrl: 'https://reports.ofsted.gov.uk' });
}

function randomDigest(seed: number, n: number, opts: { long?: boolean; late?: boolean } = {}): Digest {
  const r = rng(seed);
  const pubs = Array.from({ length: n }, (_, i) => randomPublication(r, i + 1, opts));
  const window = { start: Date.parse('2026-03-02T08:00:00Z'), end: Date.parse('2026-03-09T08:00:00Z') };
  return buildDigest({ mode: 'weekly', window, late: opts.late ? lateness(Date.parse('2026-03-09T08:00:00Z'), 2, 'weekly') : null, publications: pubs, themeFocus: null })!;
}

const texts = (b: Block): string[] => {
  if (b.type === 'header') return [b.text.text];
  if (b.type === 'section') return [...(b.text ? [b.text.text] : []), ...(b.fields ?? []).map((f) => f.text)];
  if (b.type === 'context') return b.elements.map((e) => e.text);
  return [];
};

function checkParts(parts: SlackMessage[]) {
  for (const [i, p] of parts.entries()) {
    expect(limitViolations(p), `part ${i}`).toEqual([]);
    expect(p.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    expect(blockChars(p.blocks)).toBeLessThanOrEqual(SLACK_LIMITS.totalChars);
    expect(p.text.length).toBeGreaterThan(0);
    for (const b of p.blocks) {
      for (const t of texts(b)) {
        // shortened text ends "…" after a whole word or sentence, never inside a word
        if (t.endsWith('…') && !t.endsWith(' …')) expect(t.slice(-2, -1)).toMatch(/[\p{L}\p{N}.,;:!?)”’_*]/u);
        expect(t).not.toMatch(/<[^>]*$/); // no cut link
      }
    }
  }
}

/** Publication ids that the thread replies show (from the letter buttons' action ids). */
function shownIds(parts: SlackMessage[]): number[] {
  const out: number[] = [];
  for (const p of parts) for (const b of p.blocks) if (b.type === 'section' && b.accessory?.action_id.startsWith('ofsted_digest_letter_')) out.push(Number(b.accessory.action_id.split('_').pop()));
  return out;
}

describe('Slack rendering', () => {
  it('a 40-letter week: a summary message and thread replies, each within the limits, every publication once', () => {
    const d = randomDigest(40, 40);
    expect(d.totals.publications).toBe(40);
    const parts = renderDigestParts(d);
    checkParts(parts);
    expect(parts.length).toBeGreaterThanOrEqual(3); // the summary, publications over more than one reply, themes
    const summary = parts[0]!;
    expect(summary.blocks[0]).toMatchObject({ type: 'header' });
    expect((summary.blocks[0] as { text: { text: string } }).text.text).toMatch(/^Weekly digest: 40 publications about \d+ councils$/);
    expect(summary.text).toBe(d.text);
    const ids = shownIds(parts);
    expect(ids.sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    // the replies say which publications they hold
    const heads = renderDigestPublications(d).map((p) => texts(p.blocks[0]!)[0]);
    expect(heads[0]).toMatch(/^\*Publications 1 to \d+ of 40\*/);
  });

  it('random digests of any size, with very long sentences, names and links, always fit', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const n = 1 + ((seed * 7) % 60);
      const d = randomDigest(seed, n, { long: true, late: seed % 3 === 0 });
      const parts = renderDigestParts(d);
      checkParts(parts);
      expect(shownIds(parts)).toHaveLength(n);
    }
  });

  it('a late digest says so at the top', () => {
    const d = randomDigest(3, 2, { late: true });
    const summary = renderDigestSummary(d);
    const all = summary.blocks.flatMap(texts).join('\n');
    expect(all).toContain('*This digest is late:* it was due at 08:00 on Monday 9 March 2026');
  });

  it('a small digest shows its publications in the summary message itself; the thread only adds the themes', () => {
    for (const n of [1, 3, 5]) {
      const d = randomDigest(5 + n, n);
      const parts = renderDigestParts(d);
      checkParts(parts);
      expect(shownIds([parts[0]!]).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
      expect(shownIds(parts.slice(1))).toEqual([]);
      expect(parts.slice(1).every((p) => p.text === 'Every theme across the letters')).toBe(true);
    }
    // six publications: the summary lists councils, the publications are in the thread
    const six = renderDigestParts(randomDigest(11, 6));
    expect(shownIds([six[0]!])).toEqual([]);
    expect(shownIds(six)).toHaveLength(6);
  });
});

describe('plain text', () => {
  it('shows every publication, the changes and the themes, wrapped at words', () => {
    const d = randomDigest(7, 6, { late: true });
    const text = renderDigestText(d);
    expect(text).toContain('WEEKLY DIGEST: 08:00 Monday 2 March to 08:00 Monday 9 March 2026 (UK time)');
    expect(text).toContain('This digest is late');
    for (const c of d.councils) for (const p of c.publications) expect(text).toContain(p.url);
    expect(text).toContain('THEMES ACROSS THE LETTERS');
    for (const line of text.split('\n')) if (!line.includes('http')) expect(line.length).toBeLessThanOrEqual(100);
  });
});
