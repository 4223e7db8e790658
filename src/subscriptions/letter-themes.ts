// The themes a letter is about, for theme filters: the themes of its improvement points and of its
// classified sentences that carry a concern or a strength (neutral context does not count). Pure.
// null = the letter could not be read (or is not there): no theme filter can match it.
import type { ClassifiedSentence, LetterSummary } from '../letters/types.ts';
import type { Letter } from '../store/schema.ts';

export function letterThemes(letter: Pick<Letter, 'status' | 'sentences' | 'summary'> | undefined | null): Set<string> | null {
  if (!letter || letter.status !== 'ok') return null;
  const themes = new Set<string>();
  try {
    const sentences = JSON.parse(letter.sentences ?? '[]') as ClassifiedSentence[];
    for (const s of Array.isArray(sentences) ? sentences : []) {
      if (!s || !Array.isArray(s.themes)) continue;
      if (s.section === 'improvements' || s.polarity === 'concern' || s.polarity === 'strength') {
        for (const t of s.themes) if (typeof t === 'string') themes.add(t);
      }
    }
    const summary = JSON.parse(letter.summary ?? 'null') as LetterSummary | null;
    for (const point of summary?.improvements ?? []) for (const t of point?.themes ?? []) if (typeof t === 'string') themes.add(t);
  } catch {
    return null; // stored JSON we cannot read: treat the letter as unreadable
  }
  return themes;
}
