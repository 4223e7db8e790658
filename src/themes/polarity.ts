// Polarity of a text: strength and concern cues, flipped by negation ("not always effective") or,
// for concerns, by mitigation ("to avoid delay"), weighted by clause, damped in methodology sentences. Pure.
import type { Polarity } from '../letters/types.ts';
import type { ClauseWeights } from './clauses.ts';
import { candidates, ContextCache, resolveOverlaps, spanText, type Span } from './matching.ts';
import type { Lexicon, WordEntry } from './lexicon.ts';
import type { CompiledPolarityCue, CompiledTaxonomy } from './taxonomy.ts';
import type { Token } from './tokens.ts';
import { round } from './numbers.ts';

export interface PolarityHit {
  text: string;
  key: string;
  /** what the cue says on its own */
  base: 'strength' | 'concern';
  /** what it counts for after negation */
  counts: 'strength' | 'concern';
  /** the negating or mitigating words, if it was flipped */
  flippedBy: string[];
  weight: number;
}

export interface PolarityResult {
  polarity: Polarity;
  strength: number;
  concern: number;
  score: number;
  hits: PolarityHit[];
  neutraliser: { text: string; factor: number } | null;
}

interface Flipper {
  start: number;
  end: number;
  text: string;
  weight: number;
  negates: boolean;
}

export class PolarityScorer {
  constructor(
    private readonly tax: CompiledTaxonomy,
    private readonly lexicon: Lexicon,
  ) {}

  /** words: the lexicon's entry for each token */
  score(text: string, tokens: Token[], words: readonly WordEntry[], clauses: ClauseWeights, context: ContextCache, improvementPoint: boolean): PolarityResult {
    const { settings } = this.tax;
    const spans = resolveOverlaps(candidates(tokens, (i) => words[i]!.polarityCues, context), (c) => c.weight, tokens.length);
    // negators, mitigators and neutralisers, looked for in one pass
    const found = this.lexicon.scans.findAllEach(tokens, (i) => words[i]!.scans);
    const { negators, mitigators, neutralisers } = this.tax;
    const flippers = this.flippers(text, tokens, found.slice(0, negators.length), found.slice(negators.length, negators.length + mitigators.length));
    const used = new Set<Flipper>();
    const hits: PolarityHit[] = [];
    let strength = 0;
    let concern = 0;
    // a flipper negates only the nearest cue after it ("does not readily identify weaknesses": "readily")
    const weighted = spans.filter((s) => s.item.weight > 0);
    const nearest = new Map<Flipper, Span<CompiledPolarityCue>>();
    for (const f of flippers) {
      const next = weighted.find((s) => s.start >= f.end && s.start - f.end <= settings.negationWindow && (f.negates || s.item.target === 'concern') && !breakBetween(tokens, f.end, s.start));
      if (next) nearest.set(f, next);
    }
    for (const s of weighted) {
      const applicable = flippers.filter((f) => nearest.get(f) === s);
      const flipped = applicable.length % 2 === 1;
      for (const f of applicable) used.add(f);
      const counts = flipped ? (s.item.target === 'strength' ? 'concern' : 'strength') : s.item.target;
      const factor = clauses.polarity[s.start] ?? 1;
      const weight = s.item.weight * factor * (flipped && s.item.target === 'concern' ? settings.negatedConcernFactor : 1);
      if (counts === 'strength') strength += weight;
      else concern += weight;
      hits.push({ text: spanText(tokens, text, s.start, s.end), key: s.item.key, base: s.item.target, counts, flippedBy: applicable.map((f) => f.text), weight });
    }
    // a negator that negates nothing still says something is missing ("do not have access to …")
    for (const f of flippers) {
      if (!f.negates || used.has(f) || f.weight === 0 || insideCue(spans, f)) continue;
      const weight = f.weight * (clauses.polarity[f.start] ?? 1);
      concern += weight;
      hits.push({ text: f.text, key: 'negator', base: 'concern', counts: 'concern', flippedBy: [], weight });
    }
    let neutraliser: PolarityResult['neutraliser'] = null;
    for (const [k, n] of neutralisers.entries()) {
      const first = found[negators.length + mitigators.length + k]![0];
      if (first && (!neutraliser || n.factor < neutraliser.factor)) neutraliser = { text: spanText(tokens, text, first[0], first[1]), factor: n.factor };
    }
    if (neutraliser) {
      strength *= neutraliser.factor;
      concern *= neutraliser.factor;
    }
    if (improvementPoint) return { polarity: 'concern', strength, concern, score: round(1 + concern), hits, neutraliser };
    const best = Math.max(strength, concern);
    const polarity: Polarity = best < settings.polarityMin ? 'neutral' : concern >= strength ? 'concern' : 'strength';
    return { polarity, strength, concern, score: round(Math.abs(strength - concern)), hits, neutraliser };
  }

  /** negatorSpans[k] and mitigatorSpans[k]: where the k-th negator and mitigator match */
  private flippers(text: string, tokens: Token[], negatorSpans: Array<Array<[number, number]>>, mitigatorSpans: Array<Array<[number, number]>>): Flipper[] {
    const raw: Span<Flipper>[] = [];
    this.tax.negators.forEach((n, k) => {
      for (const [start, end] of negatorSpans[k]!) raw.push({ item: { start, end, text: '', weight: n.weight, negates: true }, start, end });
    });
    for (const spans of mitigatorSpans) for (const [start, end] of spans) raw.push({ item: { start, end, text: '', weight: 0, negates: false }, start, end });
    return resolveOverlaps(raw, (f) => f.weight, tokens.length).map((s) => ({ ...s.item, text: spanText(tokens, text, s.start, s.end) }));
  }
}

/** True if punctuation (other than brackets) separates the words between `from` and `to` (inclusive). */
function breakBetween(tokens: Token[], from: number, to: number): boolean {
  for (let k = from; k <= to && k < tokens.length; k++) {
    const b = tokens[k]!.brk;
    if (b === ',' || b === ';' || b === ':' || b === '.') return true;
  }
  return false;
}

function insideCue(spans: Span<CompiledPolarityCue>[], f: Flipper): boolean {
  return spans.some((s) => s.item.weight > 0 && f.start >= s.start && f.end <= s.end);
}
