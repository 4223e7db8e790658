// Scores predicted theme sets against labels, as ../shared/README.md says: recall against `themes`
// (where `themes` is empty, a hit on any one of `acceptable` counts), precision against `acceptable`. Pure.
import { round } from '../numbers.ts';

export interface LabelledText {
  letter: string;
  text: string;
  themes: string[];
  acceptable: string[];
}

export interface Counts {
  /** predicted themes that are acceptable */
  precisionHits: number;
  predicted: number;
  /** required themes found (or, for an empty `themes`, 1 if any acceptable one was found) */
  recallHits: number;
  required: number;
}

export interface Micro {
  precision: number;
  recall: number;
  f1: number;
}

export interface ThemeCounts {
  required: number;
  predicted: number;
  found: number;
  missed: number;
  /** predicted but not even acceptable */
  wrong: number;
}

export function countOne(item: LabelledText, predicted: readonly string[]): Counts {
  const acceptable = new Set(item.acceptable.length ? item.acceptable : item.themes);
  const precisionHits = predicted.filter((t) => acceptable.has(t)).length;
  if (item.themes.length === 0) {
    return { precisionHits, predicted: predicted.length, recallHits: precisionHits > 0 ? 1 : 0, required: 1 };
  }
  const required = new Set(item.themes);
  return { precisionHits, predicted: predicted.length, recallHits: predicted.filter((t) => required.has(t)).length, required: required.size };
}

export function addCounts(a: Counts, b: Counts): Counts {
  return {
    precisionHits: a.precisionHits + b.precisionHits,
    predicted: a.predicted + b.predicted,
    recallHits: a.recallHits + b.recallHits,
    required: a.required + b.required,
  };
}

export const ZERO: Counts = { precisionHits: 0, predicted: 0, recallHits: 0, required: 0 };

export function micro(c: Counts): Micro {
  const precision = c.predicted ? c.precisionHits / c.predicted : 1;
  const recall = c.required ? c.recallHits / c.required : 1;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision: round(precision, 3), recall: round(recall, 3), f1: round(f1, 3) };
}

export function scoreAll(items: readonly LabelledText[], predictions: readonly (readonly string[])[]): { counts: Counts; micro: Micro } {
  const counts = items.reduce((acc, item, i) => addCounts(acc, countOne(item, predictions[i] ?? [])), ZERO);
  return { counts, micro: micro(counts) };
}

export function perTheme(items: readonly LabelledText[], predictions: readonly (readonly string[])[], themeIds: readonly string[]): Record<string, ThemeCounts> {
  const out: Record<string, ThemeCounts> = Object.fromEntries(themeIds.map((id) => [id, { required: 0, predicted: 0, found: 0, missed: 0, wrong: 0 }]));
  items.forEach((item, i) => {
    const pred = new Set(predictions[i] ?? []);
    for (const id of themeIds) {
      const c = out[id]!;
      const req = item.themes.includes(id);
      const ok = item.acceptable.includes(id) || req;
      if (req) c.required++;
      if (pred.has(id)) c.predicted++;
      if (req && pred.has(id)) c.found++;
      if (req && !pred.has(id)) c.missed++;
      if (pred.has(id) && !ok) c.wrong++;
    }
  });
  return out;
}

/** Useful correct decisions minus wrong ones: how the held-out view judges whether a cue helps a letter. */
export function utility(c: Counts): number {
  return c.recallHits - (c.predicted - c.precisionHits);
}
