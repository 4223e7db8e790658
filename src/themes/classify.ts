// The theme and polarity classifier: deterministic, offline, explainable. All its knowledge is in
// taxonomy.json; this file only weighs what the data says. Pure (apart from reading the taxonomy once).
import type { Classification, Cue } from '../letters/types.ts';
import { clauseWeights } from './clauses.ts';
import { candidates, ContextCache, resolveOverlaps, spanText } from './matching.ts';
import { Lexicon } from './lexicon.ts';
import { PolarityScorer, type PolarityResult } from './polarity.ts';
import { TAXONOMY, type CompiledCue, type CompiledTaxonomy, type Settings } from './taxonomy.ts';
import { tokenize } from './tokens.ts';
import { round } from './numbers.ts';

export interface ClassifyOptions {
  /** a "what needs to improve" point: always a concern */
  improvementPoint?: boolean;
}

export interface ThemeHit {
  text: string;
  cue: CompiledCue;
  start: number;
  /** clause multiplier at the cue */
  factor: number;
  /** the clause markers in force ('' = main clause) */
  clause: string;
  /** true for the first theme cue of the main clause: what the text is about */
  head: boolean;
}

export interface Analysis extends Classification {
  text: string;
  /** every theme with a positive score, best first */
  ranked: Array<{ id: string; score: number }>;
  hits: ThemeHit[];
  polarityDetail: PolarityResult;
}

export interface Classifier {
  taxonomy: CompiledTaxonomy;
  analyse(text: string, opts?: ClassifyOptions): Analysis;
  classifyText(text: string, opts?: ClassifyOptions): Classification;
}

export function createClassifier(tax: CompiledTaxonomy): Classifier {
  const lexicon = new Lexicon(tax);
  const polarity = new PolarityScorer(tax, lexicon);
  const order = new Map(tax.themes.map((t, i) => [t.id, i]));
  const heaviest = new Map(tax.cues.map((c) => [c, maxWeight(c)]));
  const weightOf = (c: CompiledCue) => heaviest.get(c) ?? maxWeight(c);
  const { settings } = tax;

  function analyse(text: string, opts: ClassifyOptions = {}): Analysis {
    const tokens = tokenize(text);
    const words = lexicon.entries(tokens);
    const context = new ContextCache(tokens);
    const clauses = clauseWeights(tokens, tax, (i) => words[i]!.clauses);
    const spans = resolveOverlaps(candidates(tokens, (i) => words[i]!.cues, context), weightOf, tokens.length, sameHome);

    const hits: ThemeHit[] = [];
    let headFound = false;
    for (const s of spans) {
      if (s.item.home === '') continue; // an absorbing phrase: its words count for no theme
      const factor = clauses.theme[s.start] ?? 1;
      const head = !headFound && factor >= 1 && clauses.sentence[s.start] === 0;
      if (head) headFound = true;
      hits.push({ text: spanText(tokens, text, s.start, s.end), cue: s.item, start: s.start, factor, clause: clauses.label[s.start] ?? '', head });
    }

    // each theme: its cues' contributions, strongest first, each further one counting less
    const parts = new Map<string, number[]>();
    for (const h of hits) {
      for (const theme of Object.keys(h.cue.weights)) {
        const list = parts.get(theme) ?? [];
        list.push(contribution(h, theme, settings.headFactor));
        parts.set(theme, list);
      }
    }
    const ranked = [...parts.entries()]
      .map(([id, list]) => ({ id, score: round(list.sort((a, b) => b - a).reduce((sum, c, i) => sum + c * settings.repeatDecay ** i, 0)) }))
      .filter((t) => t.score > 0)
      .sort((a, b) => b.score - a.score || (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
    const themes = selectThemes(ranked, settings);

    const pol = polarity.score(text, tokens, words, clauses, context, opts.improvementPoint === true);
    return { text, themes, polarity: pol.polarity, score: pol.score, cues: cueList(themes, hits, pol, opts, settings.headFactor), ranked, hits, polarityDetail: pol };
  }

  return {
    taxonomy: tax,
    analyse,
    classifyText: (text, opts) => {
      const { themes, polarity: p, cues, score } = analyse(text, opts);
      return { themes, polarity: p, cues, score };
    },
  };
}

/** Keeps the themes whose score reaches the minimum and a share of the best one: weak incidental mentions add nothing. */
export function selectThemes(ranked: ReadonlyArray<{ id: string; score: number }>, s: Pick<Settings, 'minThemeScore' | 'relativeCut' | 'maxThemes'>): string[] {
  const top = ranked[0]?.score ?? 0;
  return ranked
    .filter((t) => t.score >= s.minThemeScore && t.score >= s.relativeCut * top)
    .slice(0, s.maxThemes)
    .map((t) => t.id);
}

/** Two theme cues of the same theme (absorbing phrases belong to none). */
function sameHome(a: CompiledCue, b: CompiledCue): boolean {
  return a.home !== '' && a.home === b.home;
}

function maxWeight(c: CompiledCue): number {
  return Math.max(0, ...Object.values(c.weights));
}

/** What one cue adds to one theme before repetition is discounted. */
function contribution(h: ThemeHit, theme: string, headFactor: number): number {
  const w = h.cue.weights[theme] ?? 0;
  return w * h.factor * (h.head && h.cue.home === theme ? headFactor : 1);
}

function cueList(themes: string[], hits: ThemeHit[], pol: PolarityResult, opts: ClassifyOptions, headFactor: number): Cue[] {
  const cues: Cue[] = [];
  for (const theme of themes) {
    const forTheme: Cue[] = [];
    for (const h of hits) {
      if (h.cue.weights[theme] === undefined) continue;
      const head = h.head && h.cue.home === theme;
      forTheme.push({ cue: h.text, target: theme, weight: round(contribution(h, theme, headFactor)), pattern: h.cue.pattern.source, ...(h.clause ? { clause: h.clause } : {}), ...(head ? { head: true } : {}) });
    }
    cues.push(...forTheme.sort((a, b) => b.weight - a.weight));
  }
  if (opts.improvementPoint) cues.push({ cue: '(a "what needs to improve" point)', target: 'polarity:concern', weight: 1 });
  for (const h of pol.hits) {
    const cue = h.flippedBy.length ? `${h.flippedBy.join(' … ')} … ${h.text}` : h.text;
    cues.push({ cue, target: `polarity:${h.counts}`, weight: round(h.weight) });
  }
  return cues;
}

/** The project's classifier, built from src/themes/taxonomy.json. */
export const defaultClassifier: Classifier = createClassifier(TAXONOMY);

/** Themes (0–3, strongest first), polarity and the cues behind them. */
export function classifyText(text: string, opts?: ClassifyOptions): Classification {
  return defaultClassifier.classifyText(text, opts);
}

export function analyseText(text: string, opts?: ClassifyOptions): Analysis {
  return defaultClassifier.analyse(text, opts);
}
