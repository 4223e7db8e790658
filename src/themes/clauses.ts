// Weighs each word by the clause it sits in: the main clause counts fully, subordinate detail less,
// and for polarity what follows "but"/"however" outweighs what came before. Pure.
import type { ClauseMarker } from './lexicon.ts';
import type { CompiledTaxonomy } from './taxonomy.ts';
import { matchAt } from './patterns.ts';
import { isSentenceBreak, type Token } from './tokens.ts';

export interface ClauseWeights {
  /** per token: multiplier for theme cues starting there */
  theme: number[];
  /** per token: multiplier for polarity cues starting there */
  polarity: number[];
  /** per token: the clause markers in force, for explanations ('' = main clause) */
  label: string[];
  /** per token: index of the sentence it is in */
  sentence: number[];
}

const CONTINUES = new Set(['and', 'or']);

interface Active {
  source: string;
  theme: number;
  polarity: number;
  /** ends at the next comma (an opening subordinate clause) or at the end of the sentence */
  untilComma: boolean;
}

/** markersAt(i): the clause markers that could start at token i, in the taxonomy's order (default: all of them) */
export function clauseWeights(tokens: Token[], tax: CompiledTaxonomy, markersAt: (i: number) => readonly ClauseMarker[] = () => tax.clauses): ClauseWeights {
  const n = tokens.length;
  const out: ClauseWeights = { theme: new Array(n).fill(1), polarity: new Array(n).fill(1), label: new Array(n).fill(''), sentence: new Array(n).fill(0) };
  let active: Active[] = [];
  let sentence = 0;
  let sentenceStart = 0;
  let markerEnd = 0;
  for (let i = 0; i < n; i++) {
    const tok = tokens[i]!;
    if (i > 0 && isSentenceBreak(tok.brk)) {
      sentence++;
      sentenceStart = i;
      active = [];
    } else if (tok.brk !== '' && !(tok.brk === ',' && CONTINUES.has(tok.norm))) {
      // a comma ends an opening clause, unless the clause goes on ("When X, and Y, …")
      active = active.filter((a) => !a.untilComma);
    }
    if (i >= markerEnd) {
      // the first marker in the taxonomy's order that matches here
      for (const c of markersAt(i)) {
        const end = matchAt(c.pattern, tokens, i);
        if (end <= i) continue;
        const opening = i === sentenceStart;
        const contrast = c.before !== 1;
        const f = opening && c.atStart ? c.atStart : c;
        // an opening subordinate clause ends at its comma; an opening "However," governs the whole sentence
        const untilComma = c.untilComma || (opening && (c.atStart !== null || !contrast));
        active.push({ source: c.pattern.source, theme: f.theme, polarity: f.polarity, untilComma });
        if (contrast && !opening) for (let k = sentenceStart; k < i; k++) out.polarity[k]! *= c.before;
        markerEnd = end;
        break;
      }
    }
    const later = sentence > 0 ? tax.settings.laterSentenceFactor : 1;
    out.sentence[i] = sentence;
    if (active.length === 0) {
      out.theme[i] = later; // main clause: polarity 1 and label '' as filled in
      continue;
    }
    out.theme[i] = active.reduce((f, a) => f * a.theme, later);
    out.polarity[i] = active.reduce((f, a) => f * a.polarity, out.polarity[i]!);
    out.label[i] = active.map((a) => a.source).join(' > ');
  }
  return out;
}
