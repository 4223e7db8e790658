// Turns text into the word tokens that cue patterns match against. Pure.
//
// Normalisation (patterns in taxonomy.json are written in this normalised form):
// - lower case; curly quotes and dashes folded to ASCII;
// - possessives dropped: "children's" -> "children", "care leavers'" -> "care leavers";
// - hyphens split words: "child-in-need" -> "child in need", "16- and 17-year-olds" -> "16 and 17 year olds";
// - every other non-alphanumeric character separates tokens.
// Each token remembers the punctuation that came before it, so that clauses can be found.

export type Break = '' | ',' | ';' | ':' | '.' | '(' | ')';

export interface Token {
  /** normalised (lower-case) word */
  norm: string;
  /** the word as written (case kept), for case-sensitive cues such as SEND */
  raw: string;
  /** strongest punctuation between the previous token and this one ('' for none) */
  brk: Break;
  /** character offsets of the word in the original text */
  start: number;
  end: number;
}

const BREAK_RANK: Record<Break, number> = { '': 0, ',': 1, ')': 2, '(': 2, ':': 3, ';': 4, '.': 5 };

/** Folds typographic characters that letters use into their plain equivalents. */
export function foldText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u201B\u2032`´]/g, "'")
    .replace(/[\u201C\u201D\u2033]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\u00A0/g, ' ');
}

const WORD = /[A-Za-z0-9]+(?:'[A-Za-z]+)*'?/g;

export function tokenize(text: string): Token[] {
  const folded = foldText(text);
  const tokens: Token[] = [];
  let last = 0;
  for (const m of folded.matchAll(WORD)) {
    const start = m.index;
    let raw = m[0];
    // possessives and trailing apostrophes
    if (raw.includes("'")) raw = raw.replace(/'s$/i, '').replace(/'$/, '').replace(/'/g, '');
    if (raw.length === 0) continue;
    let brk = strongestBreak(folded, last, start);
    // "e.g. the", "i.e. when": a full stop before a lower-case word does not end a sentence
    if (brk === '.' && isLowerAscii(raw.charCodeAt(0))) brk = ',';
    tokens.push({ norm: raw.toLowerCase(), raw, brk, start, end: start + m[0].length });
    last = start + m[0].length;
  }
  return tokens;
}

function isLowerAscii(code: number): boolean {
  return code >= 97 && code <= 122; // a-z
}

/** The strongest punctuation in text[from, to). */
function strongestBreak(text: string, from: number, to: number): Break {
  let best: Break = '';
  for (let i = from; i < to; i++) {
    const ch = text[i];
    const b: Break | null =
      ch === '.' || ch === '!' || ch === '?' ? '.' : ch === ';' ? ';' : ch === ':' ? ':' : ch === ',' ? ',' : ch === '(' || ch === '[' ? '(' : ch === ')' || ch === ']' ? ')' : ch === '\n' ? '' : null;
    if (b !== null && BREAK_RANK[b] > BREAK_RANK[best]) best = b;
  }
  return best;
}

/** True where a sentence boundary (full stop or semicolon) lies before token i. */
export function isSentenceBreak(b: Break): boolean {
  return b === '.' || b === ';';
}
