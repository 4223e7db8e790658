// Pure: turns the per-page text of an Ofsted letter into one clean text. Removes what is not the
// letter's own words (Ofsted's address block, running headers and footers, page numbers,
// footnotes, the publication's back matter), normalises characters and bullets, rejoins words
// split across lines, and keeps line and paragraph breaks (paragraphs are separated by "\n\n").

/** The single bullet marker every bullet glyph becomes, at the start of its line. */
export const BULLET = '•';

const MONTHS = 'January|February|March|April|May|June|July|August|September|October|November|December';

export function cleanText(pages: string[]): string {
  let ps = pages.map((p) => splitLines(normaliseChars(p)));
  ps = ps.map(dropBackMatter);
  ps = dropRunningLines(ps);
  const text = ps.map((lines) => lines.map(dropAddressTokens)).map(trimBlankEdges);
  const markers = footnoteMarkers(text.map((l) => l.join('\n')).join('\n'));
  const withoutNotes = text.map((lines) => dropTrailingFootnotes(lines, markers));
  return tidy(joinPages(withoutNotes.map((l) => l.map(normaliseBullet))));
}

// ---------- characters ----------

export function normaliseChars(s: string): string {
  return s
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u201A\u201B\u2032\u0060\u00B4]/g, "'")
    .replace(/[\u201C\u201D\u201E\u201F\u2033]/g, '"')
    .replace(/[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]/g, '-')
    .replace(/[\u00AD\u200B\u200C\u200D\uFEFF]/g, '')
    .replace(/[\u00A0\u2000-\u200A\u202F\u205F\u3000\t]/g, ' ');
}

function splitLines(s: string): string[] {
  return s.split(/\r?\n/).map((l) => l.replace(/ {2,}/g, ' ').trim());
}

/** Bullet glyphs: geometric shapes, and the symbol-font glyphs pdf.js maps to the private use area. */
// A hyphen or dash at the start of a line is not one: it is as often a sentence's dash that wrapped.
const BULLET_GLYPH = /^[\u2022\u2023\u2043\u204C\u204D\u2219\u25A0-\u25FF\u2B1B\u2B1D\u27A2\u27A4\u2794\u2713\u00B7\uE000-\uF8FF]\s*/u;

export function normaliseBullet(line: string): string {
  if (!BULLET_GLYPH.test(line)) return line;
  // a glyph alone on its line is joined to the text of the next line (see tidy)
  const rest = line.replace(BULLET_GLYPH, '');
  return rest === '' ? BULLET : `${BULLET} ${rest}`;
}

// ---------- Ofsted's address block ----------

/** Pieces of Ofsted's address and contact block, as printed in letters of 2013-2026. */
const ADDRESS_TOKENS: RegExp[] = [
  /\bPiccadilly Gate\b/gi,
  /\bStore (?:Street|St)\b/gi,
  /\bManchester\b/gi,
  /\bM1 2WD\b/gi,
  /\b(?:Direct )?[TF]:? ?0\d{3} ?\d{3} ?\d{4}\b/gi,
  /\bTextphone:? ?0\d{3} ?\d{3} ?\d{4}\b/gi,
  /\b(?:E:? ?)?enquiries@ofsted\.gov\.uk\b/gi,
  /\b(?:W:? ?)?www\.(?:gov\.uk\/)?ofsted(?:\.gov\.uk)?\b/gi,
  /\bAgora\b/gi,
  /\b6 Cumberland Place\b/gi,
  /\bNottingham NG1 6HJ\b/gi,
  /\bAviation House\b/gi,
  /\b125 Kingsway\b/gi,
  /\bLondon WC2B 6SE\b/gi,
  /^Ofsted$/gi,
];
/** The tokens specific enough to strip even from a line that also holds other text. */
const STRONG_ADDRESS = /Piccadilly Gate|M1 2WD|Textphone|enquiries@ofsted|www\.gov\.uk\/ofsted|0300 ?123 ?\d{4}/i;

/** Cheap test that a line may hold part of the address (most lines do not). */
const ADDRESS_HINT = /Piccadilly|Store St|Manchester|M1 2WD|0\d{3} ?\d{3} ?\d{4}|Textphone|enquiries@|ofsted|Agora|Cumberland|Aviation|Kingsway|WC2B/i;

function dropAddressTokens(line: string): string {
  if (line === '' || !ADDRESS_HINT.test(line)) return line;
  let rest = line;
  for (const re of ADDRESS_TOKENS) rest = rest.replace(re, ' ');
  rest = rest.replace(/\s+/g, ' ').trim();
  if (/^[\s,.:;|-]*$/.test(rest)) return '';
  // a line that mixes the address with other words: keep the words only when the address is certain
  const strong = line.match(new RegExp(STRONG_ADDRESS.source, 'gi'))?.length ?? 0;
  return strong >= 2 && !/[.?!]$/.test(line) ? rest : line;
}

// ---------- back matter (copyright page) ----------

const BACK_MATTER_START =
  /^(?:The Office for Standards in Education, Children's Services and Skills \(Ofsted\)|Any complaints about the inspection or the report should be made|This document may be reproduced in whole or in part|If you would like a copy of this document in a different format)/i;
const BOILERPLATE_LINE = /^(?:© ?Crown copyright \d{4}|Website: www\.ofsted\.gov\.uk|Further copies of this report are obtainable.*|Reference no:? ?\d+|No\. ?\d{6,})$/i;

/** Standing notes Ofsted prints in letters (the National Framework cross-reference footnote). */
const BOILERPLATE_PARAGRAPH = /^(?:\d{1,2} )?The areas for improvement have been cross-referenced with/i;

function dropBackMatter(lines: string[]): string[] {
  const start = lines.findIndex((l) => BACK_MATTER_START.test(l));
  const kept = (start >= 0 ? lines.slice(0, start) : [...lines]).map((l) => (BOILERPLATE_LINE.test(l) ? '' : l));
  for (let i = 0; i < kept.length; i++) {
    if (!BOILERPLATE_PARAGRAPH.test(kept[i] ?? '')) continue;
    for (let j = i; j < kept.length && kept[j] !== ''; j++) kept[j] = '';
  }
  return kept;
}

// ---------- running headers, footers and page numbers ----------

const EDGE_LINES = 3;

function edgeIndexes(lines: string[]): number[] {
  const filled = lines.map((l, i) => (l === '' ? -1 : i)).filter((i) => i >= 0);
  return [...new Set([...filled.slice(0, EDGE_LINES), ...filled.slice(-EDGE_LINES)])];
}

function runningKey(line: string): string {
  return line.toLowerCase().replace(/\d+/g, '').replace(/[^a-z']+/g, ' ').trim();
}

const PAGE_NUMBER = /^(?:page )?\d{1,3}(?: of \d{1,3})?$|^\d{1,3} ?\| ?page$|^- ?\d{1,3} ?-$/i;

/**
 * Removes lines that recur at the top or bottom of several pages (digits ignored, so page numbers
 * and dates in them do not matter) and bare page numbers. A finished sentence is never a running line.
 */
function dropRunningLines(pages: string[][]): string[][] {
  const counts = new Map<string, number>();
  for (const lines of pages) {
    const keys = new Set(edgeIndexes(lines).map((i) => runningKey(lines[i] ?? '')));
    for (const k of keys) if (k !== '') counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const minPages = Math.max(2, Math.ceil(pages.length * 0.3));
  return pages.map((lines) => {
    const drop = new Set(
      edgeIndexes(lines).filter((i) => {
        const line = lines[i] ?? '';
        return PAGE_NUMBER.test(line) || (!/[.?!]$/.test(line) && (counts.get(runningKey(line)) ?? 0) >= minPages);
      }),
    );
    return lines.map((l, i) => (drop.has(i) ? '' : l));
  });
}

// ---------- footnotes ----------

/** Numbers that appear as footnote references glued to a word: "improve?1", "area2", "schools,11". */
function footnoteMarkers(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/(?:[a-z]{3,}|[a-z][.?!,;:)'"])(\d{1,2})(?=[\s.,;:!?)]|$)/gm)) out.add(m[1] ?? '');
  return out;
}

const FOOTNOTE_START = new RegExp(`^(\\d{1,2}) (?!(?:${MONTHS})\\b)(?=[A-Za-z'"(]|www\\.|https?:)`);

/** Drops the paragraphs at the foot of a page that are footnotes ("1 The areas for improvement ..."). */
function dropTrailingFootnotes(lines: string[], markers: Set<string>): string[] {
  const out = [...lines];
  for (;;) {
    while (out.length > 0 && out[out.length - 1] === '') out.pop();
    let start = out.length - 1;
    while (start > 0 && out[start - 1] !== '') start--;
    if (start <= 0 || !isFootnoteLine(out[start] ?? '', markers)) return out;
    out.splice(start);
  }
}

function isFootnoteLine(line: string, markers: Set<string>): boolean {
  const m = FOOTNOTE_START.exec(line);
  return m !== null && markers.has(m[1] ?? '');
}

// ---------- joining pages and tidying ----------

function trimBlankEdges(lines: string[]): string[] {
  let a = 0;
  let b = lines.length;
  while (a < b && lines[a] === '') a++;
  while (b > a && lines[b - 1] === '') b--;
  return lines.slice(a, b);
}

function joinPages(pages: string[][]): string[] {
  const out: string[] = [];
  for (const raw of pages) {
    const lines = trimBlankEdges(raw);
    if (lines.length === 0) continue;
    const last = out[out.length - 1];
    const next = lines[0] ?? '';
    if (last !== undefined && !continuesOnNextPage(last, next)) out.push('');
    out.push(...lines);
  }
  return out;
}

/** Whether a page's last line runs on into the next page's first line (one paragraph across the break). */
function continuesOnNextPage(last: string, next: string): boolean {
  if (/[.?!:;]["')]?$/.test(last) || next.startsWith(BULLET) || /^\d{1,2}\.\s/.test(next)) return false;
  if (/^[a-z(]/.test(next) || /(?:[,-]|\b(?:the|of|and|or|to|in|for|a|an|with|by|on|that|is|are|was|were))$/i.test(last)) return true;
  // a full-width last line is mid-paragraph; a short one ends a heading, table row or list item
  return last.length >= FULL_LINE;
}

/** Characters in a line that fills the text width of an A4 Ofsted letter (about 85-95). */
const FULL_LINE = 72;

function tidy(lines: string[]): string {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    let line = stripFootnoteDigits(lines[i] ?? '');
    if (line === BULLET && lines[i + 1]) {
      lines[i + 1] = `${BULLET} ${lines[i + 1]}`;
      continue;
    }
    // a word hyphen-split over two lines ("multi-" / "agency work") is rejoined on the first line,
    // without the hyphen (as the labelled corpus reads such words: "multiagency", "longterm")
    const next = lines[i + 1];
    if (next !== undefined && /[A-Za-z]-$/.test(line) && /^[a-z]/.test(next) && !/^(?:and|or|to|nor)\b/.test(next)) {
      const [word = '', ...rest] = next.split(' ');
      line = line.slice(0, -1) + word;
      lines[i + 1] = rest.join(' ');
    }
    // a double-barrelled name split at its hyphen ("Barazetti-" / "Bowen") keeps the hyphen
    if (next !== undefined && /[a-z]-$/.test(line) && /^[A-Z][a-z]/.test(next)) {
      const [word = '', ...rest] = next.split(' ');
      line += word;
      lines[i + 1] = rest.join(' ');
    }
    line = line.replace(/\s+/g, ' ').trim();
    if (line === '' && (out.length === 0 || out[out.length - 1] === '')) continue;
    out.push(line);
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out.join('\n');
}

/** "improve?1" -> "improve?", "services.2" -> "services.", "schools3, of whom" -> "schools, of whom". */
export function stripFootnoteDigits(line: string): string {
  return line.replace(/([a-z]{3,}|[a-z]{2}[.?!,;:)'"])\d{1,2}(?=[\s.,;:!?)]|$)/g, '$1');
}
