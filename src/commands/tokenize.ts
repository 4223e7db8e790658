// Command text → clean text → tokens. Pure. Cleaning: NFKC, curly quotes made straight, new lines as
// list separators, control characters, zero-width spaces and bidi controls as spaces, other invisible
// format characters (joiners, soft hyphens) and lone surrogates removed,
// spaces collapsed. Tokens: words, "quoted phrases" (an unbalanced quote runs to the end), and options
// `key:value` / `key:"quoted value"` for the known keys (types, themes, region and their synonyms).
import { optionKeyOf, type OptionKey } from './command-words.ts';

export interface Token {
  /** the token as typed (after cleaning) */
  raw: string;
  /** the word, or a quoted phrase without its quotes */
  text: string;
  quoted: boolean;
  option?: { key: OptionKey; value: string; quoted: boolean };
}

export function cleanText(input: string): string {
  let s = input;
  try {
    s = s.normalize('NFKC');
  } catch {
    /* keep as is */
  }
  return s
    .replace(/\r\n?|[\n\u2028\u2029]/g, ', ')
    .replace(/[\u201C\u201D\u201E\u201F\u00AB\u00BB\u2033\u301D\u301E]/g, '"')
    .replace(/[\u2018\u2019\u201A\u201B\u2032\u2039\u203A]/g, "'")
    .replace(/[\p{Cc}\u200B\u202A-\u202E\u2066-\u2069\u2060]/gu, ' ')
    .replace(/[\p{Cf}\p{Cs}]/gu, '')
    .replace(/\s+/gu, ' ')
    .replace(/(?:\s*,)+\s*(?=,)/g, '')
    .replace(/^[\s,]+|[\s,]+$/g, '');
}

/** Removes a leading mention of the bot: Slack `<@U123>` / `<@U123|name>`, Teams `<at>Name</at>`. */
export function stripMention(text: string): string {
  return text.replace(/^(?:<@[^>\s]{1,80}>|<at>[^<]{0,120}<\/at>)[\s,:]*/i, '');
}

const QUOTES = new Set(['"', "'"]);

/** The quoted text starting at s[i] (a quote), and where reading goes on. A single quote closes only before a space, punctuation or the end. */
function readQuoted(s: string, i: number): { inner: string; next: number } {
  const q = s[i] as string;
  let end = -1;
  for (let j = i + 1; j < s.length; j++) {
    if (s[j] !== q) continue;
    if (q === '"' || j + 1 >= s.length || /[\s,;.!?)]/.test(s[j + 1] as string)) {
      end = j;
      break;
    }
  }
  return end === -1 ? { inner: s.slice(i + 1), next: s.length } : { inner: s.slice(i + 1, end), next: end + 1 };
}

function readWord(s: string, i: number): number {
  const end = s.indexOf(' ', i);
  return end === -1 ? s.length : end;
}

export function tokenize(s: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < s.length) {
    if (s[i] === ' ') {
      i++;
      continue;
    }
    const start = i;
    const opt = /^([A-Za-z]{3,8}) ?[:=] ?/.exec(s.slice(i, i + 12));
    const key = opt ? optionKeyOf(opt[1] as string) : undefined;
    if (opt && key) {
      i += opt[0].length;
      if (QUOTES.has(s[i] ?? '')) {
        const q = readQuoted(s, i);
        tokens.push({ raw: s.slice(start, q.next), text: s.slice(start, q.next), quoted: false, option: { key, value: q.inner, quoted: true } });
        i = q.next;
      } else {
        const end = readWord(s, i);
        tokens.push({ raw: s.slice(start, end), text: s.slice(start, end), quoted: false, option: { key, value: s.slice(i, end), quoted: false } });
        i = end;
      }
      continue;
    }
    if (QUOTES.has(s[i] as string)) {
      const q = readQuoted(s, i);
      tokens.push({ raw: s.slice(start, q.next), text: q.inner, quoted: true });
      i = q.next;
      continue;
    }
    const end = readWord(s, i);
    tokens.push({ raw: s.slice(start, end), text: s.slice(start, end), quoted: false });
    i = end;
  }
  return tokens;
}
