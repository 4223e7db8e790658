// Classifies every sentence of a letter's sections, and every "what needs to improve" point
// (section 'improvements', always a concern), in letter order. Pure.
import { classifyText, type ClassifyOptions } from '../themes/classify.ts';
import { splitSentences } from './sentences.ts';
import type { Classification, ClassifiedSentence, LetterStructure } from './types.ts';

export type Classify = (text: string, opts?: ClassifyOptions) => Classification;

export function classifyLetter(structure: LetterStructure, classify: Classify = classifyText): ClassifiedSentence[] {
  // sections that list points: each parsed point is classified whole, as a concern
  const points = new Map<string, string[]>([
    ['priority-actions', structure.priorityActions ?? []],
    ['improvements', structure.improvements],
  ]);
  const out: ClassifiedSentence[] = [];
  const emitPoints = (section: string) => {
    for (const text of points.get(section) ?? []) out.push({ text, section, ...classify(text, { improvementPoint: true }) });
    points.delete(section);
  };
  const parsed = new Set([...points].filter(([, list]) => list.length > 0).map(([id]) => id));
  for (const section of structure.sections) {
    if (parsed.has(section.id)) {
      emitPoints(section.id); // the parsed points stand for the section's text, in its (first) place
      continue;
    }
    const isPointSection = section.id === 'improvements' || section.id === 'priority-actions';
    for (const text of splitSentences(section.text)) out.push({ text, section: section.id, ...classify(text, { improvementPoint: isPointSection }) });
  }
  for (const section of [...points.keys()]) emitPoints(section);
  return out;
}
