// The honest number: leave one letter out. For each letter, the classifier is rebuilt without the
// taxonomy elements that could only have been learned from that letter, its thresholds are
// re-chosen on the other letters, and then that letter is scored. An element is specific to a letter
// when it helps that letter and its evidence lies in that letter alone:
// - a cue: the only labelled points where it fires and one of its themes is acceptable are that
//   letter's (cues whose words are in the taxonomy doc's own description of the theme are prior
//   knowledge and always kept);
// - an "unless" condition or an absorbing phrase: removing it hurts that letter and no other.
// Used by bench/eval-themes.ts.
import { createClassifier, selectThemes } from '../classify.ts';
import { compilePattern, matchesAnywhere } from '../patterns.ts';
import { compileTaxonomy, type Settings, type TaxonomyData } from '../taxonomy.ts';
import { tokenize, type Token } from '../tokens.ts';
import { addCounts, countOne, micro, utility, ZERO, type Counts, type LabelledText, type Micro } from './metrics.ts';
import { round } from '../numbers.ts';

type Ranked = Array<{ id: string; score: number }>;

interface Element {
  id: string;
  /** the element can only change points where all of these match */
  patterns: string[];
  remove(data: TaxonomyData): void;
  /** for cues: the themes it supports (its evidence is where one of them is acceptable) */
  themes?: string[];
  /** the taxonomy doc describes the theme in these words: not learned from any letter */
  prior?: boolean;
}

export interface LetterSpecific {
  element: string;
  letter: string;
}

export interface HeldOut {
  /** letter-specific elements removed and thresholds re-chosen without the letter */
  leaveOneLetterOut: Micro;
  /** thresholds re-chosen without the letter, all cues kept */
  thresholdsOnly: Micro;
  /** elements whose whole benefit is on one letter */
  letterSpecific: LetterSpecific[];
  /** elements that help and whose evidence spans two or more letters */
  generalElements: number;
}

export function leaveOneLetterOut(items: readonly LabelledText[], data: TaxonomyData): HeldOut {
  const full = createClassifier(compileTaxonomy(data));
  const tokens = items.map((i) => tokenize(i.text));
  const ranked: Ranked[] = items.map((i) => full.analyse(i.text, { improvementPoint: true }).ranked);
  const predict = (r: Ranked, s: Settings) => selectThemes(r, s);
  const base = items.map((_, k) => predict(ranked[k]!, data.settings));
  const letters = [...new Set(items.map((i) => i.letter))];

  // which letters each element helps, and where its evidence lies
  const letterSpecific: LetterSpecific[] = [];
  let generalElements = 0;
  for (const el of elements(data)) {
    if (el.prior) continue;
    const compiled = el.patterns.map(compilePattern);
    const affected = items.map((_, k) => k).filter((k) => compiled.every((p) => matchesAnywhere(p, tokens[k] as Token[])));
    if (affected.length === 0) continue;
    const reduced = structuredClone(data);
    el.remove(reduced);
    const without = createClassifier(compileTaxonomy(reduced));
    const gain = new Map<string, number>();
    for (const k of affected) {
      const item = items[k]!;
      const pred = predict(without.analyse(item.text, { improvementPoint: true }).ranked, data.settings);
      const d = utility(countOne(item, base[k]!)) - utility(countOne(item, pred));
      gain.set(item.letter, (gain.get(item.letter) ?? 0) + d);
    }
    const helped = [...gain.entries()].filter(([, g]) => g > 0).map(([l]) => l);
    const evidence = el.themes
      ? new Set(affected.filter((k) => el.themes!.some((t) => items[k]!.acceptable.includes(t) || items[k]!.themes.includes(t))).map((k) => items[k]!.letter))
      : new Set(helped);
    if (evidence.size === 1 && helped.length > 0) {
      const [letter] = [...evidence];
      if (helped.includes(letter!)) letterSpecific.push({ element: el.id, letter: letter! });
    } else if (evidence.size > 1 && helped.length > 0) generalElements++;
  }

  // score each letter without its letter-specific elements, with thresholds chosen on the others
  const grid = thresholdGrid(data.settings);
  let lolo: Counts = ZERO;
  let thresholdsOnly: Counts = ZERO;
  for (const letter of letters) {
    const mine = items.map((it, k) => (it.letter === letter ? k : -1)).filter((k) => k >= 0);
    const others = items.map((it, k) => (it.letter !== letter ? k : -1)).filter((k) => k >= 0);
    const settings = bestSettings(grid, others.map((k) => [items[k]!, ranked[k]!] as const));
    const removals = letterSpecific.filter((l) => l.letter === letter).map((l) => l.element);
    let heldRanked = mine.map((k) => ranked[k]!);
    if (removals.length) {
      const reduced = structuredClone(data);
      for (const el of elements(data)) if (removals.includes(el.id)) el.remove(reduced);
      const c = createClassifier(compileTaxonomy(reduced));
      heldRanked = mine.map((k) => c.analyse(items[k]!.text, { improvementPoint: true }).ranked);
    }
    mine.forEach((k, j) => {
      lolo = addCounts(lolo, countOne(items[k]!, predict(heldRanked[j]!, settings)));
      thresholdsOnly = addCounts(thresholdsOnly, countOne(items[k]!, predict(ranked[k]!, settings)));
    });
  }
  return { leaveOneLetterOut: micro(lolo), thresholdsOnly: micro(thresholdsOnly), letterSpecific, generalElements };
}

function elements(data: TaxonomyData): Element[] {
  const out: Element[] = [];
  for (const theme of data.themes) {
    const doc = tokenize(`${theme.name}. ${theme.description}. ${theme.keywords.join('. ')}`);
    const find = (d: TaxonomyData) => d.themes.find((t) => t.id === theme.id)!;
    for (const cue of theme.cues) {
      out.push({
        id: `cue ${theme.id}/${cue.p}`,
        patterns: [cue.p],
        themes: [theme.id, ...Object.keys(cue.also ?? {})],
        prior: matchesAnywhere(compilePattern(cue.p), doc),
        remove: (d) => void (find(d).cues = find(d).cues.filter((c) => c.p !== cue.p)),
      });
      for (const u of cue.unless ?? []) {
        out.push({
          id: `unless ${theme.id}/${cue.p} ~ ${u}`,
          patterns: [cue.p, u],
          remove: (d) => {
            const c = find(d).cues.find((c) => c.p === cue.p);
            if (c?.unless) {
              c.unless = c.unless.filter((x) => x !== u);
              if (c.unless.length === 0) delete c.unless;
            }
          },
        });
      }
    }
  }
  for (const a of data.absorb) out.push({ id: `absorb ${a.p}`, patterns: [a.p], remove: (d) => void (d.absorb = d.absorb.filter((x) => x.p !== a.p)) });
  return out;
}

function thresholdGrid(s: Settings): Settings[] {
  const grid: Settings[] = [];
  for (let m = 1.0; m <= 3.01; m += 0.2) for (let r = 0.25; r <= 0.751; r += 0.05) grid.push({ ...s, minThemeScore: round(m), relativeCut: round(r) });
  return grid;
}

function bestSettings(grid: Settings[], train: ReadonlyArray<readonly [LabelledText, Ranked]>): Settings {
  let best = grid[0]!;
  let bestF1 = -1;
  for (const s of grid) {
    const c = train.reduce((acc, [item, r]) => addCounts(acc, countOne(item, selectThemes(r, s))), ZERO);
    const f1 = micro(c).f1;
    if (f1 > bestF1) {
      bestF1 = f1;
      best = s;
    }
  }
  return best;
}
