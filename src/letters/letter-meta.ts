// Pure: what a letter says about itself near its top: its type, the council, its own date,
// the visit or inspection dates and the inspectors.
import { parseDateRange, parseSingleDate, SINGLE_DATE, type DateRange } from './letter-dates.ts';
import type { PublicationType } from './types.ts';

/** How far into the text the title and opening lines reach. */
const HEAD_CHARS = 4000;

const TYPE_RULES: { type: PublicationType; re: RegExp }[] = [
  { type: 'focused-visit', re: /\bfocused visit (?:to|of)\b/i },
  { type: 'monitoring-visit', re: /\bmonitoring visit (?:to|of)\b/i },
  { type: 'jtai', re: /\bjoint (?:targeted )?area (?:child protection )?inspection\b|\bjoint targeted area inspection\b/i },
  { type: 'send', re: /\b(?:area|local area) SEND\b|\bspecial educational needs and\/or disabilities\b|\bSEND inspection\b/i },
  {
    type: 'inspection',
    re: /\b(?:Re-)?inspection of (?:services for children in need of help and protection|looked after children(?:'s)? services|safeguarding and looked after children services|children's social care services|[A-Z][^.]{0,80}? local authority children's services)|\bsingle inspection of\b|\binspection of local authority children's services\b/i,
  },
];

/** The type read from the title and opening lines: the earliest rule that matches wins. */
export function detectType(text: string): PublicationType {
  const head = text.slice(0, HEAD_CHARS).replace(/\s+/g, ' ');
  let best: { type: PublicationType; at: number } | null = null;
  for (const rule of TYPE_RULES) {
    const m = rule.re.exec(head);
    if (m && (best === null || m.index < best.at)) best = { type: rule.type, at: m.index };
  }
  return best?.type ?? 'other';
}

/** The first paragraph(s) of the text, lines joined: titles wrap over lines. */
function headParagraphs(text: string): string[] {
  return text
    .slice(0, HEAD_CHARS)
    .split(/\n{2,}/)
    .map((p) => p.replace(/\s*\n\s*/g, ' ').trim());
}

const COUNCIL = /^[A-Z][A-Za-z'&.,() -]{1,80}?(?:Council|Borough|County|City|District|Corporation|Authority|Trust)$/;

/** The council as the letter writes it. */
export function detectAuthority(text: string): string | null {
  const paras = headParagraphs(text);
  // "Focused visit to Wakefield children's services", "Inspection of Wakefield local authority children's services"
  for (const p of paras) {
    const m =
      /^(?:Focused visit|Monitoring visit|Inspection|Joint targeted area inspection|Area SEND inspection|Joint area child protection inspection) (?:to|of|in) ([A-Z].*?)(?: local authority)?(?: children's services\b|$)/.exec(p);
    const name = m?.[1]?.trim();
    if (name && !/^(?:services|local authority|children|safeguarding)\b/i.test(name)) return name;
    // "Joint targeted area inspection of the multi-agency response to ... in Wakefield"
    const area = /^Joint targeted area inspection\b.* in ([A-Z][A-Za-z ,'&-]{1,60}?)\.?$/.exec(p);
    if (area?.[1]) return area[1].trim();
  }
  // older reports: the council's name stands on the lines above the title ("London Borough of Hackney / Inspection of services ...")
  const firstLines = (text.split(/\n{2,}/)[0] ?? '').split('\n');
  const title = firstLines.findIndex((l) => /^(?:Re-)?[Ii]nspection of\b|^Single inspection\b/.test(l));
  if (title > 0) return firstLines.slice(0, title).join(' ').trim();
  // or on a line of its own near the title ("Sandwell Metropolitan Borough Council")
  for (const line of text.slice(0, 1500).split('\n')) {
    if (COUNCIL.test(line.trim()) && !/^(?:Dear|Ofsted)\b/.test(line)) return line.trim();
  }
  return null;
}

/**
 * The letter's own date: a date on a line of its own before the salutation (letters), or
 * "Report published:" / "Published:" (older reports). Null where the letter does not state it.
 */
export function detectLetterDate(text: string): string | null {
  const head = text.slice(0, HEAD_CHARS);
  const published = /\b(?:Report )?published:?\s+([^\n]{6,30})/i.exec(head);
  if (published) {
    const d = parseSingleDate(published[1] ?? '');
    if (d) return d;
  }
  const beforeSalutation = head.split(/\nDear\b/)[0] ?? '';
  if (beforeSalutation === head) return null;
  for (const line of beforeSalutation.split('\n')) {
    const t = line.trim();
    const m = SINGLE_DATE.exec(t);
    if (m && m.index === 0 && m[0].length >= t.length - 1) return parseSingleDate(t);
  }
  return null;
}

/** The dates of the visit or inspection. */
export function detectVisitDates(text: string): DateRange {
  const paras = headParagraphs(text);
  const cues = [
    /\binspection dates?:?\s+(.{0,80})/i,
    /\b(?:visit|inspection)\b[^.]{0,160}?\b(?:on|between|from)\s+((?:\d{1,2}|the)\b.{0,80})/i,
  ];
  for (const cue of cues) {
    for (const p of paras) {
      const m = cue.exec(p);
      const range = m ? parseDateRange(m[1] ?? '') : null;
      if (range) return range;
    }
  }
  return { start: null, end: null };
}

const NAME = "[A-Z][A-Za-z'-]+(?: [A-Z][A-Za-z'-]+){1,3}";
const ROLE_TAIL = /,?\s*(?:(?:His|Her) Majesty's Inspectors?|HMI|Ofsted Inspectors?|OI|\(HMI\)|Social Care Regulatory Inspector|Senior HMI|Regulatory Inspection Manager)\b.*$/;

/** Inspectors named in the letter: the lead inspector, the team, and the signature. */
export function detectInspectors(text: string): string[] {
  const found: string[] = [];
  const add = (raw: string) => {
    const name = raw.replace(ROLE_TAIL, '').replace(/\s+/g, ' ').trim();
    if (new RegExp(`^${NAME}$`).test(name) && !found.includes(name) && !/\b(?:Inspector|Council|Children|Services)\b/.test(name)) found.push(name);
  };
  for (const m of text.matchAll(/\b(?:Lead|Reporting|Deputy lead|Team) inspectors?:?\s+([^\n]+)/gi)) {
    for (const part of splitNames(m[1] ?? '')) add(part);
  }
  const were = /\b[Ii]nspectors?(?: for this (?:visit|inspection))? (?:were|was)\s+([^]*?)(?:\.\s|\n\n|$)/.exec(text.slice(0, HEAD_CHARS).replace(/\n/g, ' '));
  if (were) for (const part of splitNames(were[1] ?? '')) add(part);
  const sign = /\nYours (?:sincerely|faithfully)\s*\n+([^\n]+)/i.exec(text);
  if (sign) add(sign[1] ?? '');
  return found;
}

/** "A, B and C, Her Majesty's Inspectors (HMI) Social Care, and D, HMI Schools" -> names. */
function splitNames(list: string): string[] {
  return list
    .replace(/\((?:HMI|lead inspector|OI)\)/gi, ' ')
    .split(/,\s*(?:and\s+)?|\s+and\s+|\/|;\s*/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
