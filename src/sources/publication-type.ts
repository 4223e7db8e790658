// A publication's title, as written on a council's page, to its PublicationType (../shared/docs/themes.md).
import type { PublicationType } from '../letters/types.ts';

/** Lower case, straight apostrophes, single spaces, and no trailing "pdf" / ", pdf" / "as pdf". */
export function normaliseTitle(title: string): string {
  return title
    .replace(/[\u2018\u2019\u02bc\u0060\u00b4]/g, "'")
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase()
    .replace(/[\s,]*(?:\bas\s+)?\bpdf$/, '')
    .replace(/[\s,.-]+$/, '');
}

// Order matters: joint and SEND inspections say "inspection" too, and visits say "children's services".
const RULES: ReadonlyArray<readonly [RegExp, PublicationType]> = [
  [/\bfocused visit\b/, 'focused-visit'],
  [/\bmonitoring visit\b/, 'monitoring-visit'],
  [/\bjoint area child protection inspection\b|\bjoint targeted area inspection\b|\bjtai\b/, 'jtai'],
  [/\barea send\b|\bsend (?:full )?inspection\b|special educational needs and disabilit/, 'send'],
  [
    /\bchildren's services inspection\b|\binspection of children's social care services\b|\bsingle inspection\b|\binspection of (?:the )?(?:la|local authority) children's services\b|\binspection of .+ children's services\b/,
    'inspection',
  ],
];

/** "Children's services focused visit" → 'focused-visit'; anything not recognised → 'other'. */
export function publicationTypeFromTitle(title: string): PublicationType {
  const normal = normaliseTitle(title);
  for (const [pattern, type] of RULES) if (pattern.test(normal)) return type;
  return 'other';
}
