// The "regex-lite" cue pattern language of taxonomy.json, compiled to token matchers. Pure.
//
//   word        the word or its plural (referral ~ referrals, agency ~ agencies)
//   =word       exactly that word
//   word*       any word starting with "word" (recruit* ~ recruitment, recruiting)
//   ^WORD       exactly that word with that capitalisation (^SEND, not "send")
//   a|b|c       any one of the words, as a whole pattern (each may use =, * or ^)
//   (x y|z)     any one of the word sequences (no nesting; words inside may use =, * or ^). Inside a
//               longer pattern, alternatives always go in brackets, "(chronic|long standing) neglect",
//               so that a reader never mistakes which words an alternative spans
//   element?    the element (word or group) may be absent
//   ..          skips 0 to 3 words
// Elements are separated by spaces; a pattern never matches across a full stop or semicolon.
import { isSentenceBreak, type Token } from './tokens.ts';

type Alt =
  | { kind: 'word'; word: string; plural: string; esPlural: string; iesPlural: string | null }
  | { kind: 'exact'; word: string }
  | { kind: 'prefix'; prefix: string }
  | { kind: 'case'; word: string };

type Element =
  | { kind: 'gap'; max: number }
  | { kind: 'token'; alts: Alt[]; optional: boolean }
  /** alternative word sequences, longest first; each word has a single alternative and is required */
  | { kind: 'group'; seqs: Alt[][]; optional: boolean };

export interface Pattern {
  source: string;
  elements: Element[];
  /** index keys of the first element (empty when it is optional or a gap: try everywhere) */
  keys: string[];
}

const WORD_ALT = /^[=^]?[A-Za-z0-9]+\*?$/;

/** Splits a pattern into its top-level parts: words, "..", and "(…)" groups (each optionally followed by ?). */
function splitParts(source: string): string[] | string {
  const parts: string[] = [];
  let i = 0;
  while (i < source.length) {
    if (source[i] === ' ') {
      i++;
      continue;
    }
    if (source[i] === '(') {
      const close = source.indexOf(')', i);
      if (close < 0) return 'unclosed "("';
      if (source.slice(i + 1, close).includes('(')) return 'groups cannot be nested';
      let end = close + 1;
      if (source[end] === '?') end++;
      if (end < source.length && source[end] !== ' ') return 'a group must be followed by a space';
      parts.push(source.slice(i, end));
      i = end;
      continue;
    }
    const next = source.indexOf(' ', i);
    const part = next < 0 ? source.slice(i) : source.slice(i, next);
    if (part.includes('(') || part.includes(')')) return `stray bracket in "${part}"`;
    parts.push(part);
    i = next < 0 ? source.length : next;
  }
  return parts;
}

function wordError(part: string): string | null {
  const body = part.endsWith('?') ? part.slice(0, -1) : part;
  for (const alt of body.split('|')) {
    if (!WORD_ALT.test(alt)) return `"${alt}" is not a word (letters and digits, optionally =word, ^Word or prefix*; write hyphenated words as separate words, drop apostrophes)`;
    if (!alt.startsWith('^') && alt !== alt.toLowerCase()) return `"${alt}" has capitals: use ^ for a case-sensitive word`;
    if (alt.endsWith('*') && alt.replace(/^[=^]/, '').length - 1 < 3) return `prefix "${alt}" is too short`;
  }
  return null;
}

/** Why a pattern string is not valid, or null if it is. */
export function patternError(source: string): string | null {
  if (source !== source.trim() || /\s{2,}/.test(source)) return 'extra spaces';
  if (source.length === 0) return 'empty pattern';
  const parts = splitParts(source);
  if (typeof parts === 'string') return parts;
  if (parts[0] === '..' || parts[parts.length - 1] === '..') return 'a pattern cannot start or end with ..';
  for (const part of parts) {
    if (part === '..') continue;
    if (parts.length > 1 && !part.startsWith('(') && part.includes('|')) return `inside a phrase, put alternatives in brackets: "(${part.replace(/\?$/, '')})" rather than "${part}"`;
    if (part.startsWith('(')) {
      const inner = part.replace(/\)\??$/, '').slice(1);
      const seqs = inner.split('|').map((s) => s.trim());
      if (seqs.length < 2 || seqs.some((s) => s === '')) return `group "${part}" needs two or more non-empty alternatives`;
      for (const seq of seqs) for (const w of seq.split(' ')) {
        if (w.includes('?') || w === '..') return `inside a group, write each alternative out in full ("${part}")`;
        const err = wordError(w);
        if (err) return err;
      }
      continue;
    }
    const err = wordError(part);
    if (err) return err;
  }
  if (parts.every((p) => p === '..' || p.endsWith('?'))) return 'a pattern needs at least one required word';
  return null;
}

export function compilePattern(source: string): Pattern {
  const err = patternError(source);
  if (err) throw new Error(`bad cue pattern "${source}": ${err}`);
  const elements = (splitParts(source) as string[]).map(parseElement);
  return { source, elements, keys: firstKeys(elements[0]) };
}

function parseElement(part: string): Element {
  if (part === '..') return { kind: 'gap', max: 3 };
  const optional = part.endsWith('?');
  const body = optional ? part.slice(0, -1) : part;
  if (body.startsWith('(')) {
    const seqs = body.slice(1, -1).split('|').map((seq) => seq.trim().split(' ').map(parseAlt));
    // longer alternatives first, so that the longest reading is tried first
    seqs.sort((a, b) => b.length - a.length);
    return { kind: 'group', seqs, optional };
  }
  return { kind: 'token', optional, alts: body.split('|').map(parseAlt) };
}

/** Index keys for a pattern's first element; [] means "try at every word". */
function firstKeys(el: Element | undefined): string[] {
  if (!el || el.kind === 'gap' || el.optional) return [];
  const alts = el.kind === 'token' ? el.alts : el.seqs.map((seq) => seq[0]!);
  const keys = alts.map(altKey);
  return keys.every((k): k is string => k !== null) ? keys : [];
}

function parseAlt(alt: string): Alt {
  if (alt.startsWith('=')) return { kind: 'exact', word: alt.slice(1) };
  if (alt.startsWith('^')) return { kind: 'case', word: alt.slice(1) };
  if (alt.endsWith('*')) return { kind: 'prefix', prefix: alt.slice(0, -1) };
  // the plural forms are spelt out once here rather than at every comparison
  return { kind: 'word', word: alt, plural: `${alt}s`, esPlural: `${alt}es`, iesPlural: alt.endsWith('y') ? `${alt.slice(0, -1)}ies` : null };
}

function altKey(alt: Alt): string | null {
  switch (alt.kind) {
    case 'word':
    case 'exact':
      return alt.word;
    case 'case':
      return alt.word.toLowerCase();
    case 'prefix':
      return alt.prefix.length >= 3 ? `p:${alt.prefix.slice(0, 3)}` : null;
  }
}

/** The index keys under which a token's matching patterns are filed. */
export function tokenKeys(norm: string): string[] {
  const keys = [norm, `p:${norm.slice(0, 3)}`];
  if (norm.endsWith('ies')) keys.push(`${norm.slice(0, -3)}y`);
  if (norm.endsWith('es')) keys.push(norm.slice(0, -2));
  if (norm.endsWith('s')) keys.push(norm.slice(0, -1));
  return keys;
}

/** A memo for values computed per word (the words of letters are few: a few thousand). */
export class WordMemo<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly compute: (norm: string) => V) {}
  get(norm: string): V {
    let v = this.map.get(norm);
    if (v === undefined) {
      if (this.map.size >= 50_000) this.map.clear(); // bounded, whatever a long-running worker reads
      v = this.compute(norm);
      this.map.set(detached(norm), v);
    }
    return v;
  }
}

/**
 * A copy of a word that does not keep alive the text it was cut from: V8 represents a longer
 * substring as a view of its parent string, and a memo key would then hold a whole paragraph.
 */
function detached(word: string): string {
  return ` ${word}`.slice(1);
}

const KEYS = new WordMemo<readonly string[]>(tokenKeys);

function altMatches(alt: Alt, token: Token): boolean {
  const t = token.norm;
  switch (alt.kind) {
    case 'exact':
      return t === alt.word;
    case 'case':
      return token.raw === alt.word;
    case 'prefix':
      return t.startsWith(alt.prefix);
    case 'word':
      return t === alt.word || t === alt.plural || t === alt.esPlural || t === alt.iesPlural;
  }
}

function anyAltMatches(alts: Alt[], token: Token): boolean {
  for (const a of alts) if (altMatches(a, token)) return true;
  return false;
}

/** End index (exclusive) of a match of `pattern` starting at token `start`, or -1. */
export function matchAt(pattern: Pattern, tokens: Token[], start: number): number {
  return step(pattern.elements, 0, tokens, start, start);
}

/** The token at i may take part in a match that began at start: no full stop or semicolon before it, unless it is the first. */
function usable(tokens: Token[], i: number, start: number): Token | undefined {
  const tok = tokens[i];
  return tok && (i === start || !isSentenceBreak(tok.brk)) ? tok : undefined;
}

// Backtracking, first reading found wins: gaps try the fewest skipped words first, groups their
// alternatives in order (longest first) and then their absence if optional, optional words their
// presence first.
function step(elements: Element[], e: number, tokens: Token[], i: number, start: number): number {
  if (e === elements.length) return i;
  const el = elements[e]!;
  if (el.kind === 'gap') {
    for (let skip = 0; skip <= el.max; skip++) {
      const j = i + skip;
      if (skip > 0) {
        const skipped = tokens[j - 1];
        if (!skipped || (j - 1 !== start && isSentenceBreak(skipped.brk))) break;
      }
      const end = step(elements, e + 1, tokens, j, start);
      if (end >= 0) return end;
    }
    return -1;
  }
  if (el.kind === 'group') {
    // a group's words are all required, so each alternative matches in exactly one way
    for (const seq of el.seqs) {
      const j = matchSequence(seq, tokens, i, start);
      if (j < 0) continue;
      const end = step(elements, e + 1, tokens, j, start);
      if (end >= 0) return end;
    }
    return el.optional ? step(elements, e + 1, tokens, i, start) : -1;
  }
  const tok = usable(tokens, i, start);
  if (tok && anyAltMatches(el.alts, tok)) {
    const end = step(elements, e + 1, tokens, i + 1, start);
    if (end >= 0) return end;
  }
  return el.optional ? step(elements, e + 1, tokens, i, start) : -1;
}

/** End of the word sequence matched from token i, or -1. */
function matchSequence(seq: Alt[], tokens: Token[], i: number, start: number): number {
  for (let k = 0; k < seq.length; k++) {
    const tok = usable(tokens, i + k, start);
    if (!tok || !altMatches(seq[k]!, tok)) return -1;
  }
  return i + seq.length;
}

/** Every [start, end) span where the pattern matches (one per start position). */
export function findAll(pattern: Pattern, tokens: Token[]): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (let i = 0; i < tokens.length; i++) {
    const end = matchAt(pattern, tokens, i);
    if (end > i) spans.push([i, end]);
  }
  return spans;
}

/** True if the pattern matches anywhere in the tokens. */
export function matchesAnywhere(pattern: Pattern, tokens: Token[]): boolean {
  for (let i = 0; i < tokens.length; i++) if (matchAt(pattern, tokens, i) > i) return true;
  return false;
}

/** Files items under their pattern's first-word keys so that only plausible patterns are tried at each token. */
export class PatternIndex<T extends { pattern: Pattern }> {
  private readonly byKey = new Map<string, T[]>();
  private readonly everywhere: T[] = [];
  private readonly position = new Map<T, number>();

  /** inOrder: list a word's items in the order given here (default: those tried everywhere first, then by key) */
  constructor(
    private readonly items: readonly T[],
    private readonly opts: { inOrder?: boolean } = {},
  ) {
    items.forEach((item, i) => this.position.set(item, i));
    for (const item of items) {
      if (item.pattern.keys.length === 0) {
        this.everywhere.push(item);
        continue;
      }
      for (const key of new Set(item.pattern.keys)) {
        const list = this.byKey.get(key) ?? [];
        list.push(item);
        this.byKey.set(key, list);
      }
    }
  }

  /** Items whose pattern could start at a token of this (normalised) word: a superset, matchAt decides. */
  filed(norm: string): T[] {
    const seen = new Set<T>(this.everywhere);
    for (const key of KEYS.get(norm)) for (const item of this.byKey.get(key) ?? []) seen.add(item);
    const found = [...seen];
    return this.opts.inOrder ? found.sort((a, b) => this.position.get(a)! - this.position.get(b)!) : found;
  }

  /**
   * findAll for every item, in one pass over the tokens: result[k] holds the spans of items[k].
   * at(i): the items filed under token i's word.
   */
  findAllEach(tokens: Token[], at: (i: number) => readonly T[]): Array<Array<[number, number]>> {
    const spans: Array<Array<[number, number]>> = this.items.map(() => []);
    for (let i = 0; i < tokens.length; i++) {
      for (const item of at(i)) {
        const end = matchAt(item.pattern, tokens, i);
        if (end > i) spans[this.position.get(item)!]!.push([i, end]);
      }
    }
    return spans;
  }
}
