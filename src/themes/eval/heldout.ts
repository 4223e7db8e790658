// The honest number: leave one letter out. The cues are written by hand, not fitted, so what
// this estimates is how general the written knowledge is: for each letter, the classifier is rebuilt
// without the taxonomy elements that could only have been learned from that letter, its thresholds
// (minThemeScore, relativeCut) are re-chosen on the other letters, and then that letter is scored.
// An element is specific to a letter when it helps that letter and its evidence lies in that letter
// alone:
// - a cue: the only labelled points where it fires and one of its themes is acceptable are that
//   letter's (cues whose words are in the taxonomy doc's own description of the theme are prior
//   knowledge and always kept);
// - an "unless" condition or an absorbing phrase: removing it hurts that letter and no other.
// Nothing else is re-learned: cue weights, clause factors and the other settings are taken as they
// are (where one of them was chosen on the corpus, check it is chosen the same way without each
// council). It errs on both sides: a general term that happens to occur in one labelled letter
// ("multi-agency safeguarding hub") is treated as learned from it, while a weight tuned on many
// letters is not questioned.
// The strict variant ({ strict: true }) closes three gaps of the default one, so that it cannot be
// raised by how the data is written rather than by what the classifier knows:
// - a cue is prior knowledge only if every reading of it is in the taxonomy doc's own words (the
//   theme's name and description, not the keyword list kept beside them in taxonomy.json): a rare
//   phrase grouped with a doc word, "(mash|some rare phrase)", is then judged on its evidence;
// - "if" conditions and "also" weights are elements too (removing an "if" lets the cue fire
//   everywhere; removing an "also" drops that second theme);
// - clause markers are elements too, judged like "unless" conditions and absorbing phrases.
// With { byCouncil: true } a council's letters are held out together (see HeldOutOptions).
// Used by bench/eval-themes.ts and tests/themes/eval.test.ts.
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
  /** each item's themes as predicted with its own letter held out (same order as the items): for reports */
  predictions: string[][];
  /** the thresholds chosen without each letter */
  settingsByLetter: Record<string, Pick<Settings, 'minThemeScore' | 'relativeCut'>>;
}

export interface HeldOutOptions {
  /** the stricter variant described above */
  strict?: boolean;
  /**
   * Hold out a council's letters together (the letter id's leading number) rather than one letter:
   * a council's letters reuse its wording from one visit to the next, so a cue fitted to that
   * wording has "evidence in two letters" without being general.
   */
  byCouncil?: boolean;
}

/** The council of a letter id such as "80451-wakefield-ilacs-2016-09-20": its leading number. */
export function councilOf(letter: string): string {
  return /^\d+/.exec(letter)?.[0] ?? letter;
}

export function leaveOneLetterOut(items: readonly LabelledText[], data: TaxonomyData, opts: HeldOutOptions = {}): HeldOut {
  const full = createClassifier(compileTaxonomy(data));
  const tokens = items.map((i) => tokenize(i.text));
  const ranked: Ranked[] = items.map((i) => full.analyse(i.text, { improvementPoint: true }).ranked);
  const predict = (r: Ranked, s: Settings) => selectThemes(r, s);
  const base = items.map((_, k) => predict(ranked[k]!, data.settings));
  // the unit held out: a letter, or a council's letters
  const unit = items.map((i) => (opts.byCouncil ? councilOf(i.letter) : i.letter));
  const letters = [...new Set(unit)];

  // which letters each element helps, and where its evidence lies
  const letterSpecific: LetterSpecific[] = [];
  let generalElements = 0;
  const all = elements(data, opts.strict === true);
  for (const el of all) {
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
      gain.set(unit[k]!, (gain.get(unit[k]!) ?? 0) + d);
    }
    const helped = [...gain.entries()].filter(([, g]) => g > 0).map(([l]) => l);
    const evidence = el.themes
      ? new Set(affected.filter((k) => el.themes!.some((t) => items[k]!.acceptable.includes(t) || items[k]!.themes.includes(t))).map((k) => unit[k]!))
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
  const predictions: string[][] = items.map(() => []);
  const settingsByLetter: HeldOut['settingsByLetter'] = {};
  for (const letter of letters) {
    const mine = items.map((_, k) => (unit[k] === letter ? k : -1)).filter((k) => k >= 0);
    const others = items.map((_, k) => (unit[k] !== letter ? k : -1)).filter((k) => k >= 0);
    const settings = bestSettings(grid, others.map((k) => [items[k]!, ranked[k]!] as const));
    settingsByLetter[letter] = { minThemeScore: settings.minThemeScore, relativeCut: settings.relativeCut };
    const removals = letterSpecific.filter((l) => l.letter === letter).map((l) => l.element);
    let heldRanked = mine.map((k) => ranked[k]!);
    if (removals.length) {
      const reduced = structuredClone(data);
      for (const el of all) if (removals.includes(el.id)) el.remove(reduced);
      const c = createClassifier(compileTaxonomy(reduced));
      heldRanked = mine.map((k) => c.analyse(items[k]!.text, { improvementPoint: true }).ranked);
    }
    mine.forEach((k, j) => {
      predictions[k] = predict(heldRanked[j]!, settings);
      lolo = addCounts(lolo, countOne(items[k]!, predictions[k]!));
      thresholdsOnly = addCounts(thresholdsOnly, countOne(items[k]!, predict(ranked[k]!, settings)));
    });
  }
  return { leaveOneLetterOut: micro(lolo), thresholdsOnly: micro(thresholdsOnly), letterSpecific, generalElements, predictions, settingsByLetter };
}

function elements(data: TaxonomyData, strict: boolean): Element[] {
  const out: Element[] = [];
  for (const theme of data.themes) {
    const doc = tokenize(strict ? `${theme.name}. ${theme.description}` : `${theme.name}. ${theme.description}. ${theme.keywords.join('. ')}`);
    const find = (d: TaxonomyData) => d.themes.find((t) => t.id === theme.id)!;
    const cueIn = (d: TaxonomyData, p: string) => find(d).cues.find((c) => c.p === p);
    for (const cue of theme.cues) {
      out.push({
        id: `cue ${theme.id}/${cue.p}`,
        patterns: [cue.p],
        themes: [theme.id, ...Object.keys(cue.also ?? {})],
        prior: strict ? everyReadingIn(cue.p, doc) : matchesAnywhere(compilePattern(cue.p), doc),
        remove: (d) => void (find(d).cues = find(d).cues.filter((c) => c.p !== cue.p)),
      });
      for (const u of cue.unless ?? []) {
        out.push({
          id: `unless ${theme.id}/${cue.p} ~ ${u}`,
          patterns: [cue.p, u],
          remove: (d) => {
            const c = cueIn(d, cue.p);
            if (c?.unless) {
              c.unless = c.unless.filter((x) => x !== u);
              if (c.unless.length === 0) delete c.unless;
            }
          },
        });
      }
      if (!strict) continue;
      for (const u of cue.if ?? []) {
        out.push({
          id: `if ${theme.id}/${cue.p} ~ ${u}`,
          patterns: [cue.p],
          remove: (d) => {
            const c = cueIn(d, cue.p);
            if (c?.if) {
              c.if = c.if.filter((x) => x !== u);
              if (c.if.length === 0) delete c.if;
            }
          },
        });
      }
      for (const other of Object.keys(cue.also ?? {})) {
        out.push({
          id: `also ${theme.id}/${cue.p} -> ${other}`,
          patterns: [cue.p],
          themes: [other],
          remove: (d) => {
            const c = cueIn(d, cue.p);
            if (c?.also) {
              delete c.also[other];
              if (Object.keys(c.also).length === 0) delete c.also;
            }
          },
        });
      }
    }
  }
  for (const a of data.absorb) out.push({ id: `absorb ${a.p}`, patterns: [a.p], remove: (d) => void (d.absorb = d.absorb.filter((x) => x.p !== a.p)) });
  if (strict) for (const c of data.clauses) out.push({ id: `clause ${c.p}`, patterns: [c.p], remove: (d) => void (d.clauses = d.clauses.filter((x) => x.p !== c.p)) });
  return out;
}

/**
 * True if every reading of a cue pattern (each alternative, each optional word present and
 * absent) occurs in the tokens. Too many readings to check: false.
 */
export function everyReadingIn(source: string, doc: Token[]): boolean {
  let readings: string[][] = [[]];
  for (const part of topLevelParts(source)) {
    const optional = part.endsWith('?');
    const body = optional ? part.slice(0, -1) : part;
    const choices = body.startsWith('(') ? body.slice(1, -1).split('|').map((x) => x.trim()) : body.split('|');
    if (optional) choices.push('');
    readings = readings.flatMap((r) => choices.map((c) => (c ? [...r, c] : r)));
    if (readings.length > 512) return false;
  }
  return readings.every((r) => {
    const words = r.join(' ').split(' ');
    while (words[0] === '..') words.shift();
    while (words[words.length - 1] === '..') words.pop();
    const text = words.filter((w, i) => !(w === '..' && words[i - 1] === '..')).join(' ');
    return text !== '' && matchesAnywhere(compilePattern(text), doc);
  });
}

/** A pattern's top-level parts: words (with their "|" alternatives), "..", "(…)" groups. */
function topLevelParts(source: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of source) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ' ' && depth === 0) {
      if (cur) parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur) parts.push(cur);
  return parts;
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
