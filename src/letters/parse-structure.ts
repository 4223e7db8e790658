// Pure: reads a cleaned Ofsted letter (see clean-text.ts) into its structure.
import { extractImprovements, extractPoints } from './improvements.ts';
import { emptyJudgements, parseJudgements } from './judgements.ts';
import { detectAuthority, detectInspectors, detectLetterDate, detectType, detectVisitDates } from './letter-meta.ts';
import { paragraphs, splitSections, type RawSection } from './sections.ts';
import type { LetterSection, LetterStructure } from './types.ts';

export function parseLetter(cleanText: string): LetterStructure {
  const type = detectType(cleanText);
  const raw = splitSections(cleanText);
  const judgements = type === 'inspection' ? parseJudgements(cleanText) : emptyJudgements();
  return {
    type,
    authority: detectAuthority(cleanText),
    letterDate: detectLetterDate(cleanText),
    visitDates: detectVisitDates(cleanText),
    inspectors: detectInspectors(cleanText),
    sections: toSections(raw),
    improvements: extractImprovements(raw),
    priorityActions: extractPoints(raw, 'priority-actions'),
    judgements,
  };
}

/** Sections that carry the letter's findings, with the preamble's own prose kept as its opening. */
function toSections(raw: RawSection[]): LetterSection[] {
  const out: LetterSection[] = [];
  for (const s of raw) {
    if (s.id === 'sign-off' || s.id === 'other' || s.id === 'lscb') continue;
    const all = paragraphs(s.lines);
    const paras = s.id === 'preamble' ? prose(all) : s.id === 'improvements' ? all : all.filter(isText);
    if (paras.length === 0) continue;
    out.push({ id: s.id === 'preamble' ? 'overview' : s.id, heading: s.heading, text: paras.join('\n\n') });
  }
  return out;
}

/** The preamble's sentences: not the address, salutation, title lines or judgement table. */
function prose(paras: string[]): string[] {
  return paras.filter((p) => p.split(' ').length >= 12 && /[.?!]$/.test(p) && !/^Dear\b/.test(p));
}

/** Not a table row or label ("Grade 4 (Inadequate)", "Capacity to improve Adequate"). */
function isText(p: string): boolean {
  return /[.?!:;)]$/.test(p) || p.split(' ').length >= 8;
}
