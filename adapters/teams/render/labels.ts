// Words for the domain's ids in Teams cards: publication types, grades, judgement areas, dates. Pure.
import { PUBLICATION_TYPE_NAMES, JUDGEMENT_AREA_NAMES, type Grade, type JudgementArea, type PublicationType } from '../../../src/letters/types.ts';

export const TYPE_NAMES: Readonly<Record<PublicationType, string>> = PUBLICATION_TYPE_NAMES;

export const typeName = (t: string): string => TYPE_NAMES[t as PublicationType] ?? 'Publication';

export const AREA_NAMES: Readonly<Record<JudgementArea, string>> = JUDGEMENT_AREA_NAMES;

export const GRADE_LABELS: Record<Grade, string> = {
  outstanding: '🌟 Outstanding',
  good: '🟢 Good',
  'requires improvement': '🟠 Requires improvement',
  inadequate: '🔴 Inadequate',
};

export const gradeLabel = (g: string | null | undefined): string => (g ? (GRADE_LABELS[g as Grade] ?? g) : 'not graded');

export const STRENGTH = '✅';
export const CONCERN = '⚠️';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** '2025-03-07' → '7 March 2025'; anything else as given. */
export function longDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  const month = MONTHS[Number(m[2]) - 1];
  return month ? `${Number(m[3])} ${month} ${m[1]}` : iso;
}

/** '20 to 31 January 2025', '28 February to 3 March 2025', or the one date known. */
export function dateRange(start: string | null, end: string | null): string {
  if (start && end && start !== end) {
    const [a, b] = [longDate(start), longDate(end)];
    const [ad, am, ay] = a.split(' ');
    const [, bm, by] = b.split(' ');
    if (ay === by && am === bm) return `${ad} to ${b}`;
    if (ay === by) return `${ad} ${am} to ${b}`;
    return `${a} to ${b}`;
  }
  return longDate(start ?? end);
}

export function counts(strengths: number, concerns: number): string {
  return `${STRENGTH} ${strengths} ${strengths === 1 ? 'strength' : 'strengths'} · ${CONCERN} ${concerns} ${concerns === 1 ? 'concern' : 'concerns'}`;
}
