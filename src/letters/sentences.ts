// Splits cleaned paragraph text (paragraphs separated by blank lines) into sentences. Pure.
// A boundary is a full stop, question or exclamation mark followed by space and a capital, digit,
// bullet or opening quote/bracket, except after abbreviations ("e.g.", "i.e.", "Mr.", "No. 3"), an
// initial ("J. Smith") or a number's decimal point ("3.5"). List bullets start new items, and their
// markers and leading paragraph numbers ("12.") are dropped. Splits happen only at spaces, so a word
// is never cut.

const BULLET = /^(?:[•◼▪●◦‣∙·\uf06e\uf0a7\uf0b7]|[-–—*](?=\s)|o(?=\s{1,3}[A-Z]))\s*/u;
const INLINE_BULLET = /\s+[•◼▪●◦‣\uf06e\uf0a7\uf0b7]\s+/gu;
/** a numbered paragraph or list item starts a new item: "12. Children …", "(a) The …" */
const NUMBERED = /^(?:\d{1,3}\.|\(?[a-z]\))\s+[A-Z]/;
const LEADING_NUMBER = /^(?:\d{1,3}\.(?!\d)|\(?[a-z]\)|\(?(?:i|ii|iii|iv|v|vi|vii|viii|ix|x)\))\s+/;

/** Abbreviations that do not end a sentence (compared lower-case, without the final full stop). */
const ABBREVIATIONS = new Set(['e.g', 'eg', 'i.e', 'ie', 'cf', 'vs', 'viz', 'approx', 'incl', 'mr', 'mrs', 'ms', 'mx', 'dr', 'prof', 'rev', 'cllr', 'st']);
/** Abbreviations that only abbreviate before a number ("No. 3", "para. 12"); elsewhere "no." may end a sentence. */
const NUMBER_ABBREVIATIONS = new Set(['no', 'nos', 'para', 'paras', 'p', 'pp', 'fig', 'vol', 'ch', 'sec', 'section']);

export function splitSentences(text: string): string[] {
  const out: string[] = [];
  for (const item of items(text)) out.push(...splitItem(item));
  return out;
}

/** Paragraphs, with each bulleted line or inline bullet its own item. */
function items(text: string): string[] {
  const result: string[] = [];
  for (const para of text.replace(/\r\n?/g, '\n').split(/\n\s*\n/)) {
    let current = '';
    for (const rawLine of para.split('\n')) {
      const line = rawLine.trim();
      if (line === '') continue;
      if (BULLET.test(line) || NUMBERED.test(line)) {
        if (current) result.push(current);
        current = line.replace(BULLET, '');
      } else {
        current = current ? `${current} ${line}` : line;
      }
    }
    if (current) result.push(current);
  }
  return result.flatMap((item) => item.split(INLINE_BULLET)).map((s) => s.replace(/\s+/g, ' ').trim().replace(LEADING_NUMBER, '')).filter((s) => s !== '');
}

/** "…to children.These are…": a full stop glued to the next sentence by text extraction. */
const GLUED = /(?<=\b[a-z]{3,}[a-z]*)\.(?=[A-Z][a-z]+\b)/g;

function splitItem(item: string): string[] {
  item = item.replace(GLUED, (dot, offset: number) => (ABBREVIATIONS.has(/([a-z.]+)$/.exec(item.slice(0, offset))?.[1] ?? '') ? dot : '. '));
  const sentences: string[] = [];
  let start = 0;
  // a terminator, any closing quotes/brackets, then whitespace
  const boundary = /([.!?]+)(["'”’)\]]*)(\s+)/g;
  for (const m of item.matchAll(boundary)) {
    const end = m.index + m[1]!.length + m[2]!.length;
    const nextStart = m.index + m[0].length;
    const next = item.slice(nextStart);
    if (!startsSentence(next)) continue;
    if (m[1] === '.' && m[2] === '' && !endsSentence(item.slice(start, m.index), next)) continue;
    const sentence = item.slice(start, end).trim();
    if (sentence) sentences.push(sentence);
    start = nextStart;
  }
  const rest = item.slice(start).trim();
  if (rest) sentences.push(rest);
  return sentences.filter((x) => /[A-Za-z]/.test(x));
}

function startsSentence(next: string): boolean {
  return /^(?:["'“‘(\[]?[A-Z0-9]|[•◼▪●])/u.test(next);
}

/** Whether a full stop after `before` ends the sentence, given what follows. */
function endsSentence(before: string, next: string): boolean {
  const word = /(\S+)$/.exec(before)?.[1] ?? '';
  const bare = word.replace(/^["'“‘(\[]+/, '');
  const lower = bare.toLowerCase();
  if (ABBREVIATIONS.has(lower)) return false; // "e.g. Wakefield", "Mr. Smith"
  if (NUMBER_ABBREVIATIONS.has(lower) && /^\d/.test(next)) return false; // "No. 3", "para. 12"

  if (/^[A-Z]$/.test(bare)) return false; // an initial: "J. Smith"
  if (/^(?:[A-Za-z]\.){1,}[A-Za-z]$/.test(bare)) return /^[A-Z][a-z]/.test(next) && !/^(?:e\.g|i\.e)$/i.test(bare); // "U.K." then a new sentence
  return true;
}
