// Polarity of a text: strength and concern cues, flipped by negation ("not always effective") or,
// for concerns, by mitigation ("to avoid delay"), weighted by clause, damped in methodology sentences. Pure.
import type { Polarity } from '../letters/types.ts';
import type { ClauseWeights } from './clauses.ts';
import { candidates, ContextCache, resolveOverlaps, spanText, type Span } from './matching.ts';
import { findAll, PatternIndex } from './patterns.ts';
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
  private readonly index: PatternIndex<CompiledPolarityCue>;
  constructor(private readonly tax: CompiledTaxonomy) {
    this.index = new PatternIndex(tax.polarityCues);
  }

  score(text: string, tokens: Token[], clauses: ClauseWeights, context: ContextCache, improvementPoint: boolean): PolarityResult {
    const { settings } = this.tax;
    const spans = resolveOverlaps(candidates(this.index, tokens, context), (c) => c.weight, tokens.length);
    const flippers = this.flippers(text, tokens);
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
    for (const n of this.tax.neutralisers) {
      const found = findAll(n.pattern, tokens)[0];
      if (found && (!neutraliser || n.factor < neutraliser.factor)) neutraliser = { text: spanText(tokens, text, found[0], found[1]), factor: n.factor };
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

  private flippers(text: string, tokens: Token[]): Flipper[] {
    const raw: Span<Flipper>[] = [];
    for (const n of this.tax.negators) for (const [start, end] of findAll(n.pattern, tokens)) raw.push({ item: { start, end, text: '', weight: n.weight, negates: true }, start, end });
    for (const m of this.tax.mitigators) for (const [start, end] of findAll(m.pattern, tokens)) raw.push({ item: { start, end, text: '', weight: 0, negates: false }, start, end });
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
