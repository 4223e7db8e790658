import { describe, expect, it } from 'vitest';
import { splitSentences } from '../../src/letters/sentences.ts';

describe('splitSentences', () => {
  it('splits at full stops, question and exclamation marks followed by a capital', () => {
    expect(splitSentences('Plans are clear. Children are seen? Yes! Then more.')).toEqual(['Plans are clear.', 'Children are seen?', 'Yes!', 'Then more.']);
  });

  it('keeps abbreviations, initials and decimal numbers inside sentences', () => {
    expect(splitSentences('Some partners, e.g. Health, attend. Others, i.e. Police, do not. Mr. Smith and J. Bloggs met. Rates rose 3.5 per cent. See No. 4 and para. 12 for more.')).toEqual([
      'Some partners, e.g. Health, attend.',
      'Others, i.e. Police, do not.',
      'Mr. Smith and J. Bloggs met.',
      'Rates rose 3.5 per cent.',
      'See No. 4 and para. 12 for more.',
    ]);
  });

  it('ends a sentence at "no." or "etc." when a new sentence follows', () => {
    expect(splitSentences('The answer was no. The next step was agreed.')).toEqual(['The answer was no.', 'The next step was agreed.']);
    expect(splitSentences('Housing, health, etc. Leaders know this.')).toEqual(['Housing, health, etc.', 'Leaders know this.']);
  });

  it('treats bullets and numbered paragraphs as items and drops their markers', () => {
    const text = 'What needs to improve:\n◼ The timeliness of assessments.\n◼ The quality of plans\n• Supervision (paragraph 24). Its frequency.\n\n12. Children are safe.\n13. Leaders are effective.';
    expect(splitSentences(text)).toEqual([
      'What needs to improve:',
      'The timeliness of assessments.',
      'The quality of plans',
      'Supervision (paragraph 24).',
      'Its frequency.',
      'Children are safe.',
      'Leaders are effective.',
    ]);
  });

  it('splits inline bullets and sentences glued by extraction, and joins wrapped lines', () => {
    expect(splitSentences('Risks are managed well ◼ Plans are reviewed')).toEqual(['Risks are managed well', 'Plans are reviewed']);
    expect(splitSentences('shared with children.These are reviewed.')).toEqual(['shared with children.', 'These are reviewed.']);
    expect(splitSentences('Children are seen\nregularly by their social\nworkers.')).toEqual(['Children are seen regularly by their social workers.']);
  });

  it('keeps quotes and brackets with their sentence', () => {
    expect(splitSentences('They said it was ‘tokenistic’. (This was rare.) Plans improved.')).toEqual(['They said it was ‘tokenistic’.', '(This was rare.)', 'Plans improved.']);
  });

  it('never cuts a word: sentences are whole runs of the input, nothing lost', () => {
    const text = 'Care leavers’ accommodation is suitable. U.K. guidance applies, e.g. for No. 5.\n\n◼ Strategy meetings are timely.Plans are not.';
    const flat = text.replace(/\s+/g, ' ');
    const sentences = splitSentences(text);
    const strip = (s: string) => s.replace(/[\s◼•]/g, '');
    expect(strip(sentences.join(''))).toBe(strip(text));
    for (const s of sentences) {
      const at = flat.indexOf(s);
      expect(at, s).toBeGreaterThanOrEqual(0);
      expect(/[A-Za-z0-9]/.test(flat[at - 1] ?? ' '), `before "${s}"`).toBe(false);
      // a sentence ends at punctuation or at a word's end ("timely.Plans" was glued by extraction)
      expect(/[.!?]$/.test(s) || !/[A-Za-z0-9]/.test(flat[at + s.length] ?? ' '), `after "${s}"`).toBe(true);
    }
  });

  it('returns nothing for empty or punctuation-only text', () => {
    expect(splitSentences('')).toEqual([]);
    expect(splitSentences('  \n\n ◼ \n 3. ')).toEqual([]);
  });
});
