// The classifier's patterns filed by first word, and what each word of a text is filed under,
// looked up once per word: one lookup per token rather than one per kind of pattern. Between two
// PDF extractions the CPU caches are cold, and those lookups were a third of the classifier's time.
import { PatternIndex, WordMemo, type Pattern } from './patterns.ts';
import type { CompiledCue, CompiledPolarityCue, CompiledTaxonomy } from './taxonomy.ts';
import type { Token } from './tokens.ts';

export type ClauseMarker = CompiledTaxonomy['clauses'][number];

/** A pattern looked for wherever it occurs: negators, mitigators, neutralisers. */
export interface Scan {
  pattern: Pattern;
}

/** The patterns that could start at a word. Shared between texts: do not change. */
export interface WordEntry {
  /** theme cues and absorbing phrases */
  cues: readonly CompiledCue[];
  polarityCues: readonly CompiledPolarityCue[];
  /** clause markers, in the taxonomy's order */
  clauses: readonly ClauseMarker[];
  /** negators, mitigators and neutralisers (see Lexicon.scans) */
  scans: readonly Scan[];
}

export class Lexicon {
  /** the taxonomy's negators, then its mitigators, then its neutralisers */
  readonly scans: PatternIndex<Scan>;
  private readonly cues: PatternIndex<CompiledCue>;
  private readonly polarityCues: PatternIndex<CompiledPolarityCue>;
  private readonly clauses: PatternIndex<ClauseMarker>;
  private readonly words = new WordMemo<WordEntry>((norm) => ({
    cues: this.cues.filed(norm),
    polarityCues: this.polarityCues.filed(norm),
    clauses: this.clauses.filed(norm),
    scans: this.scans.filed(norm),
  }));

  constructor(tax: CompiledTaxonomy) {
    this.cues = new PatternIndex(tax.cues);
    this.polarityCues = new PatternIndex(tax.polarityCues);
    this.clauses = new PatternIndex(tax.clauses, { inOrder: true });
    this.scans = new PatternIndex<Scan>([...tax.negators, ...tax.mitigators, ...tax.neutralisers]);
  }

  /** The entry of each token's word. */
  entries(tokens: readonly Token[]): WordEntry[] {
    return tokens.map((t) => this.words.get(t.norm));
  }
}
