// Text normalisation and edit distance for matching council names. Pure functions, no I/O.
//
// Two keys per text:
// - the strict key: lower case, accents and apostrophes dropped, "&" read as "and", every other
//   run of punctuation or space made one space ("St. Helens" = "st helens");
// - the reduced key: the strict key without the words that add nothing to a council's identity
//   ("the", "and", "council", "borough", "county", "metropolitan", "city of", "london borough of",
//   "royal borough of", ...), so "Royal Borough of Windsor & Maidenhead Council" = "windsor maidenhead".

/** Word sequences dropped from the reduced key, longest first where one starts another. */
const FILLER_PHRASES: readonly (readonly string[])[] = [
  ['london', 'borough', 'of'],
  ['royal', 'borough', 'of'],
  ['metropolitan', 'borough', 'of'],
  ['borough', 'of'],
  ['city', 'of'],
  ['city', 'council'],
  ['childrens', 'social', 'care'],
  ['childrens', 'services'],
  ['local', 'authority'],
];

const FILLER_WORDS: ReadonlySet<string> = new Set(['the', 'and', 'council', 'borough', 'county', 'metropolitan', 'district']);

/** Lower case, ASCII letters and digits separated by single spaces. */
export function strictKey(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/['’‘`´]/g, '')
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** The strict key's words without the filler words and phrases. */
function reduceWords(words: readonly string[]): string[] {
  const out: string[] = [];
  let i = 0;
  outer: while (i < words.length) {
    for (const phrase of FILLER_PHRASES) {
      if (phrase.every((w, k) => words[i + k] === w)) {
        i += phrase.length;
        continue outer;
      }
    }
    const w = words[i] as string;
    if (!FILLER_WORDS.has(w)) out.push(w);
    i += 1;
  }
  return out;
}

/** The reduced key of a strict key. */
export function reduceStrictKey(strict: string): string {
  return strict === '' ? '' : reduceWords(strict.split(' ')).join(' ');
}

/** The reduced key of a text. */
export function reducedKey(text: string): string {
  return reduceStrictKey(strictKey(text));
}

/**
 * Edit distance with adjacent transpositions (Damerau-Levenshtein, optimal string alignment variant).
 * With `max`, returns max + 1 as soon as the distance is known to exceed max.
 */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) > max) return max + 1;
  if (n === 0) return m;
  if (m === 0) return n;
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = new Array<number>(m + 1);
  let cur = new Array<number>(m + 1).fill(0);
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= m; j++) {
      const bj = b.charCodeAt(j - 1);
      const cost = ai === bj ? 0 : 1;
      let d = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) {
        d = Math.min(d, (prev2[j - 2] as number) + 1);
      }
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[m] as number;
}
