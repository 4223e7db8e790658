// Pure: cuts a cleaned letter into its sections at the known headings, and into paragraphs.
import { BULLET } from './clean-text.ts';
import { AREA_SECTION_IDS, matchGradedAreaHeading, matchHeading, SIGN_OFF } from './headings.ts';

export interface RawSection {
  id: string;
  heading: string;
  /** the section's lines, blank lines marking paragraph breaks */
  lines: string[];
}

/** Sub-headings that older reports repeat under each judgement area. */
const AREA_SUBHEADINGS = /^(?:Summary|Inspection findings|Findings|Key findings)$/;

/**
 * Splits the letter at its headings. Lines before the first heading form a section with id
 * 'preamble'. Under a judgement area's heading, older reports' "Summary" and "Inspection
 * findings" keep the area's id; everything under the Local Safeguarding Children Board's
 * heading (its summary, recommendations and findings) is 'lscb' until an unrelated heading.
 */
export function splitSections(text: string): RawSection[] {
  const lines = text.split('\n');
  const sections: RawSection[] = [{ id: 'preamble', heading: '', lines: [] }];
  let area: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const prev = i > 0 ? (lines[i - 1] ?? '') : '';
    // a heading never follows a line that has to go on ("... the", "... and,")
    const atStart = !/(?:[,-]|\b(?:the|of|and|or|to|in|for|a|an|with|by|on|that|is|are))$/i.test(prev);
    // graded area headings are looked for once past the title page, where the judgement table is
    const pastTitle = sections.length > 1;
    const h = atStart ? (matchHeading(lines, i) ?? (pastTitle ? matchGradedAreaHeading(lines, i) : null)) : null;
    if (h) {
      let id = h.id;
      if (AREA_SECTION_IDS.has(id) || id === 'lscb') area = id;
      else if (area === 'lscb' && id !== 'other') id = 'lscb';
      else if (area !== null && AREA_SUBHEADINGS.test(h.heading)) id = area;
      else area = null;
      sections.push({ id, heading: h.heading, lines: [] });
      i += h.lines - 1;
      continue;
    }
    if (SIGN_OFF.test(line)) {
      sections.push({ id: 'sign-off', heading: line, lines: [] });
      continue;
    }
    sections[sections.length - 1]?.lines.push(line);
  }
  return sections;
}

/**
 * Paragraphs of a block of lines, wrapped lines joined: blank lines separate them and, unless
 * `splitItems` is false, a bullet or numbered item starts a new one.
 */
export function paragraphs(lines: string[], splitItems = true): string[] {
  const out: string[] = [];
  let cur: string[] = [];
  const flush = () => {
    if (cur.length > 0) out.push(cur.join(' ').replace(/\s+/g, ' ').trim());
    cur = [];
  };
  for (const line of lines) {
    if (line === '') {
      flush();
      continue;
    }
    if (splitItems && startsItem(line)) flush();
    cur.push(line);
    // a short label ending in a colon ("Within three months:") stands alone
    if (splitItems && /:$/.test(line) && line.split(' ').length <= 6 && cur.length === 1) flush();
  }
  flush();
  return out.filter((p) => p !== '');
}

/** A bullet, or a numbered item "1.", "2.1", "(a)", "a)" at the start of a line. */
export function startsItem(line: string): boolean {
  return line.startsWith(BULLET) || /^(?:\d{1,2}\.(?:\d{1,2}\.?)?|\(?[a-z]\)|\(?[ivx]{1,4}\))\s+\S/.test(line);
}
