// Block Kit limits: text cut at sentences or words (never mid-word), lists that say "…and N more", and
// a property test: random letters of any size always render within every limit.
import { describe, expect, it } from 'vitest';
import { cutList, cutText, fitMessage, limitViolations, SLACK_LIMITS, blockChars } from '../../adapters/slack/render/limits.ts';
import { section } from '../../adapters/slack/render/blocks.ts';
import { renderAlertParts } from '../../adapters/slack/render/render-alert.ts';
import { renderReply } from '../../adapters/slack/render/render-reply.ts';
import { blockProblem } from '../fakes/fake-slack.ts';
import { okLetter, randomAlert, rng, sentence, WAKEFIELD } from './fixtures.ts';

describe('cutText', () => {
  it('leaves short text alone', () => {
    expect(cutText('Short.', 10)).toBe('Short.');
  });

  it('cuts at the last sentence end that keeps at least half the room', () => {
    const text = 'Leaders know their services well. Social workers visit children often. Plans are not always timely.';
    const cut = cutText(text, 80);
    expect(cut).toBe('Leaders know their services well. Social workers visit children often. …');
    expect(cut.length).toBeLessThanOrEqual(80);
  });

  it('falls back to a word boundary, never mid-word', () => {
    const text = 'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda';
    for (let max = 8; max < text.length; max++) {
      const cut = cutText(text, max);
      expect(cut.length).toBeLessThanOrEqual(max);
      const kept = cut.replace(/ ?…$/, '');
      expect(text.startsWith(kept)).toBe(true);
      expect(text[kept.length] === ' ' || kept.length === text.length).toBe(true);
    }
  });

  it('cuts a single word longer than the room hard, and keeps surrogate pairs whole', () => {
    expect(cutText('x'.repeat(100), 10)).toBe(`${'x'.repeat(8)}…`);
    const emoji = '👍'.repeat(20);
    const cut = cutText(emoji, 10);
    expect(cut.length).toBeLessThanOrEqual(10);
    expect(cut).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });

  it('does not split a link or an entity', () => {
    const text = `see ${'word '.repeat(5)}<https://example.org/very/long/path|the letter> and more words here`;
    const cut = cutText(text, 50);
    expect(cut).not.toMatch(/<[^>]*$/);
    expect(cutText('a b c &amp;&amp;&amp;&amp;&amp;&amp;', 12)).not.toMatch(/&[a-z]*…$/);
  });

  it('uses a custom suffix with a space', () => {
    expect(cutText('one two three four five six', 20, '(more)')).toBe('one two three (more)');
  });
});

describe('cutList', () => {
  it('keeps whole items and says how many are left out', () => {
    const items = Array.from({ length: 30 }, (_, i) => `${i + 1}. ${'point '.repeat(10).trim()}`);
    const { text, shown, hidden } = cutList(items, 500);
    expect(text.length).toBeLessThanOrEqual(500);
    expect(shown + hidden).toBe(30);
    expect(hidden).toBeGreaterThan(0);
    expect(text).toMatch(new RegExp(`…and ${hidden} more`));
  });

  it('cuts the first item rather than showing nothing', () => {
    const { text, shown } = cutList([sentence(rng(1), 2000)], 300);
    expect(shown).toBe(1);
    expect(text.length).toBeLessThanOrEqual(300);
    expect(text.endsWith('…')).toBe(true);
  });
});

describe('fitMessage', () => {
  it('drops body blocks past 50 and says so', () => {
    const body = Array.from({ length: 80 }, (_, i) => section(`Block ${i}`));
    const m = fitMessage({ text: 't', head: [section('head')], body, tail: [section('tail')] });
    expect(m.blocks.length).toBeLessThanOrEqual(50);
    expect(limitViolations(m)).toEqual([]);
    expect(JSON.stringify(m.blocks)).toMatch(/…and \d+ more/);
    expect(m.blocks.at(-1)).toEqual(section('tail'));
  });

  it('keeps the total under 12,000 characters', () => {
    const body = Array.from({ length: 20 }, () => section(sentence(rng(2), 450).slice(0, 2900)));
    const m = fitMessage({ text: 't', head: [], body, tail: [] });
    expect(blockChars(m.blocks)).toBeLessThanOrEqual(SLACK_LIMITS.totalChars);
    expect(limitViolations(m)).toEqual([]);
  });
});

describe('a huge letter', () => {
  it('renders within every limit, with notes for what was left out', () => {
    const long = (seed: number) => sentence(rng(seed), 400);
    const themes = Array.from({ length: 21 }, (_, i) => ({
      id: `t${i}`, name: `Theme number ${i}`, strengths: 9, concerns: 7, neutral: 0, strengthSentence: long(i), concernSentence: long(100 + i),
    }));
    const letter = okLetter({
      overview: Array.from({ length: 40 }, (_, i) => long(200 + i)),
      improvements: Array.from({ length: 60 }, (_, i) => ({ text: long(300 + i), themes: [] })),
      themes,
    }, { overall_effectiveness: 'good', impact_of_leaders: 'good', help_and_protection: 'requires improvement', children_in_care: 'good', care_leavers: 'inadequate' });
    const parts = renderAlertParts({ publication: { ...WAKEFIELD, authority: 'A'.repeat(10) + ' ' + 'Council name '.repeat(20) }, letter });
    expect(parts).toHaveLength(2);
    for (const part of parts) {
      expect(limitViolations(part)).toEqual([]);
      expect(blockProblem(part.blocks)).toBeNull();
    }
    const main = JSON.stringify(parts[0]!.blocks);
    expect(main).toMatch(/…and \d+ more/);
    expect((parts[0]!.blocks[0] as { text: { text: string } }).text.text.length).toBeLessThanOrEqual(150);
    // every theme still appears in the thread (each sentence shortened instead of themes dropped)
    const details = JSON.stringify(parts[1]!.blocks);
    for (const t of themes) expect(details).toContain(t.name);
  });
});

describe('property: random letters always fit', () => {
  it('holds for 400 random alerts and their lookups', () => {
    const r = rng(20250307);
    for (let i = 0; i < 400; i++) {
      const alert = randomAlert(r);
      const parts = renderAlertParts(alert);
      for (const part of parts) {
        const problems = limitViolations(part);
        if (problems.length) throw new Error(`alert ${i}: ${problems.join('; ')}`);
        expect(blockProblem(part.blocks)).toBeNull();
        expect(part.text.length).toBeGreaterThan(0);
      }
      for (const kind of ['publication', 'themes'] as const) {
        const reply = renderReply({ kind, visibility: 'private', authority: alert.publication.authority, publication: alert.publication, letter: alert.letter } as never);
        const problems = limitViolations(reply);
        if (problems.length) throw new Error(`reply ${kind} ${i}: ${problems.join('; ')}`);
        expect(blockProblem(reply.blocks)).toBeNull();
      }
    }
  });
});
