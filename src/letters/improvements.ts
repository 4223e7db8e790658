// Pure: the "what needs to improve" points of a letter, verbatim, one per point.
import { BULLET } from './clean-text.ts';
import { paragraphs, type RawSection } from './sections.ts';

/**
 * Points of every section with the given id that belongs to the local authority (those of an
 * older report's Local Safeguarding Children Board review are the board's, not the council's).
 */
export function extractPoints(sections: RawSection[], id = 'improvements'): string[] {
  const lscb = sections.findIndex((s) => s.id === 'lscb');
  const own = lscb >= 0 ? sections.slice(0, lscb) : sections;
  const points: string[] = [];
  for (const s of own) {
    if (s.id !== id) continue;
    for (const p of pointsOf(paragraphs(s.lines))) if (!points.includes(p)) points.push(p);
  }
  return points;
}

export const extractImprovements = (sections: RawSection[]): string[] => extractPoints(sections, 'improvements');

const NUMBERED = /^(?:\d{1,3}\.(?:\d{1,2}\.?)?|\(?[a-z]\)|\(?[ivx]{1,4}\))\s+/;
const BULLETED = new RegExp(`^${BULLET}\\s*`);

/**
 * A list's points. The first item sets the kind of list: numbered items (bullets under a
 * numbered item that ends "... by:" belong to it), bullets, or else plain paragraphs.
 * Lead-ins ("... should take the following action."), sub-headings ("Within three months:")
 * and statements that there are none ("There are no areas of priority action.") are not points.
 */
function pointsOf(paras: string[]): string[] {
  const isNumbered = (p: string) => NUMBERED.test(p) && !isLeadIn(p) && !isNone(p);
  const isBullet = (p: string) => p.startsWith(BULLET) && !isNone(p);
  const first = paras.find((p) => isNumbered(p) || isBullet(p));
  const mode = first === undefined ? 'plain' : isBullet(first) ? 'bullets' : 'numbered';
  const out: string[] = [];
  let started = false;
  let absorbing = false;
  for (const p of paras) {
    if (mode === 'numbered' && absorbing && p.startsWith(BULLET)) {
      out[out.length - 1] += ` ${p.replace(BULLETED, '')}`;
      continue;
    }
    const item =
      mode === 'numbered' ? isNumbered(p) : mode === 'bullets' ? isBullet(p) : !isLeadIn(p) && !/:$/.test(p) && !isSubHeading(p) && !isNone(p);
    if (item) {
      started = true;
      const text = p.replace(mode === 'bullets' ? BULLETED : NUMBERED, '').trim();
      if (text !== '') out.push(text);
      absorbing = /:$/.test(text);
      continue;
    }
    absorbing = false;
    // after the list, prose or a list of another kind means the list is over (an unrecognised heading followed)
    if (started && !isSubHeading(p) && !isNone(p)) break;
  }
  return out;
}

/** "In order to improve ..., the local authority should take the following action." / "... address the following areas of weakness:" */
function isLeadIn(p: string): boolean {
  return /\bthe following(?: [\w-]+){0,6}[.:]?$/i.test(p) || /^(?:\d{1,3}\.\s+)?In order to improve\b/i.test(p);
}

/** "Within three months:", "Immediately:", "Areas for improvement" (no sentence, no full stop). */
function isSubHeading(p: string): boolean {
  return p.split(' ').length <= 8 && !/[.]$/.test(p);
}

/** "There are no areas of priority action." / "The inspection did not find any areas for priority ..." */
function isNone(p: string): boolean {
  return /^(?:\d{1,3}\.\s+)?(?:There (?:are|were) no (?:areas?|priority|recommendations)|The inspection did not (?:find|identify) any|No areas? (?:for|of) )/i.test(
    p.replace(BULLETED, ''),
  );
}
