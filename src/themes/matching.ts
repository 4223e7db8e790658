// Finds where cues match in a text and settles overlaps: the longest match wins its words. Pure.
import { matchAt, matchesAnywhere, type Pattern } from './patterns.ts';
import type { Token } from './tokens.ts';

export interface Matchable {
  pattern: Pattern;
  /** patterns that must (requires) or must not (blockers) occur somewhere in the same text */
  requires?: Pattern[];
  blockers?: Pattern[];
}

export interface Span<T> {
  item: T;
  start: number;
  end: number;
}

/** Memoises "does this pattern occur in this text" for the context conditions of one text. */
export class ContextCache {
  private readonly seen = new Map<Pattern, boolean>();
  constructor(private readonly tokens: Token[]) {}
  has(p: Pattern): boolean {
    let v = this.seen.get(p);
    if (v === undefined) {
      v = matchesAnywhere(p, this.tokens);
      this.seen.set(p, v);
    }
    return v;
  }
  allowed(m: Matchable): boolean {
    if (m.requires && m.requires.length > 0 && !m.requires.some((p) => this.has(p))) return false;
    if (m.blockers && m.blockers.some((p) => this.has(p))) return false;
    return true;
  }
}

/**
 * Every place any item's pattern matches (at most one span per item and start), context conditions
 * applied. at(i): the items that could start at token i (PatternIndex.filed for its word).
 */
export function candidates<T extends Matchable>(tokens: Token[], at: (i: number) => readonly T[], context: ContextCache): Span<T>[] {
  const spans: Span<T>[] = [];
  for (let i = 0; i < tokens.length; i++) {
    for (const item of at(i)) {
      const end = matchAt(item.pattern, tokens, i);
      if (end > i && context.allowed(item)) spans.push({ item, start: i, end });
    }
  }
  return spans;
}

/**
 * Keeps non-overlapping spans: longer spans first, then heavier, then earlier. A phrase cue thus
 * takes its words from the single-word cues inside it ("pathway plans" over "plans").
 * sameTheme(a, b): when a span loses only to spans of its own theme, the words it would have added
 * go with them ("early permanence" + "permanence planning": "planning" is the permanence phrase's
 * word, not a bare "planning" for another theme).
 */
export function resolveOverlaps<T>(spans: Span<T>[], weightOf: (item: T) => number, tokenCount: number, sameTheme?: (a: T, b: T) => boolean): Span<T>[] {
  const order = [...spans].sort(
    (a, b) => b.end - b.start - (a.end - a.start) || weightOf(b.item) - weightOf(a.item) || a.start - b.start,
  );
  /** per token: 0 free, k + 1 claimed by kept[k], -1 claimed for no span */
  const claimed = new Int32Array(tokenCount);
  const kept: Span<T>[] = [];
  for (const s of order) {
    let free = true;
    for (let k = s.start; k < s.end; k++) if (claimed[k]) free = false;
    if (!free) {
      if (sameTheme) {
        let own = true;
        for (let k = s.start; k < s.end && own; k++) {
          const c = claimed[k]!;
          if (c > 0 && !sameTheme(kept[c - 1]!.item, s.item)) own = false;
          if (c < 0) own = false;
        }
        if (own) for (let k = s.start; k < s.end; k++) if (!claimed[k]) claimed[k] = claimedByNeighbour(claimed, k, s);
      }
      continue;
    }
    kept.push(s);
    for (let k = s.start; k < s.end; k++) claimed[k] = kept.length;
  }
  return kept.sort((a, b) => a.start - b.start);
}

/** The kept span a losing span's free word joins: the claim of its nearest claimed word. */
function claimedByNeighbour<T>(claimed: Int32Array, k: number, s: Span<T>): number {
  for (let d = 1; d < s.end - s.start; d++) {
    if (k - d >= s.start && claimed[k - d]! > 0) return claimed[k - d]!;
    if (k + d < s.end && claimed[k + d]! > 0) return claimed[k + d]!;
  }
  return -1;
}

export function spanText(tokens: Token[], text: string, start: number, end: number): string {
  const first = tokens[start];
  const last = tokens[end - 1];
  return first && last ? text.slice(first.start, last.end) : '';
}
