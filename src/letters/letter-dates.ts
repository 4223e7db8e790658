// Pure: reads dates as Ofsted writes them ("18 December 2020", "14 to 18 November 2022",
// "28 February to 4 March 2022", "14-15 October 2019", "28 December 2021 to 7 January 2022").

export const MONTH_NAMES = [
  'january', 'february', 'march', 'april', 'may', 'june',
  'july', 'august', 'september', 'october', 'november', 'december',
] as const;

const MONTH = '(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)';
const DAY = '(\\d{1,2})(?:st|nd|rd|th)?';
const YEAR = '((?:19|20)\\d{2})';
const SEP = '\\s*(?:to|and|until|-|–|—)\\s*';

/** "D Month YYYY" anywhere in a string. */
export const SINGLE_DATE = new RegExp(`\\b${DAY}\\s+${MONTH}\\.?,?\\s+${YEAR}\\b`, 'i');

/** "D [Month [YYYY]] to|and|- D Month YYYY". Groups: d1, m1, y1, d2, m2, y2. */
const RANGE = new RegExp(
  `\\b(?:the\\s+)?${DAY}(?:\\s+(?:of\\s+)?${MONTH}\\.?)?(?:,?\\s+${YEAR})?${SEP}(?:the\\s+)?${DAY}\\s+(?:of\\s+)?${MONTH}\\.?,?\\s+${YEAR}\\b`,
  'i',
);

export interface DateRange {
  start: string | null;
  end: string | null;
}

export function monthIndex(name: string): number | null {
  const n = name.toLowerCase().slice(0, 3);
  const i = MONTH_NAMES.findIndex((m) => m.startsWith(n));
  return i >= 0 ? i + 1 : null;
}

export function isoDate(year: number, month: number, day: number): string | null {
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return d.toISOString().slice(0, 10);
}

/** The first "D Month YYYY" in the text, as ISO, or null. */
export function parseSingleDate(text: string): string | null {
  const m = SINGLE_DATE.exec(text);
  if (!m) return null;
  const month = monthIndex(m[2] ?? '');
  return month ? isoDate(Number(m[3]), month, Number(m[1])) : null;
}

/** The first date range (or, failing that, single date) in the text. */
export function parseDateRange(text: string): DateRange | null {
  const m = RANGE.exec(text);
  if (m) {
    const [, d1, m1, y1, d2, m2, y2] = m;
    const endMonth = monthIndex(m2 ?? '');
    const endYear = Number(y2);
    if (endMonth) {
      const startMonth = m1 ? monthIndex(m1) : endMonth;
      // a range written without the first year ("28 December to 3 January 2022") crosses a year end
      let startYear = y1 ? Number(y1) : endYear;
      if (!y1 && startMonth && startMonth > endMonth) startYear -= 1;
      const start = startMonth ? isoDate(startYear, startMonth, Number(d1)) : null;
      const end = isoDate(endYear, endMonth, Number(d2));
      if (start && end && start <= end) return plausible({ start, end }, y1 ? Number(y1) : null, endYear);
    }
  }
  const single = parseSingleDate(text);
  return single ? { start: single, end: single } : null;
}

/** Visits last days and inspections weeks. */
const MAX_VISIT_DAYS = 92;

/**
 * A range written with a wrong first year ("24 October 2022 to 25 October 2023" in a letter of
 * November 2023) is read in the end year when that gives a range of plausible length.
 */
function plausible(range: { start: string; end: string }, startYear: number | null, endYear: number): DateRange {
  if (startYear === null || startYear === endYear || days(range.start, range.end) <= MAX_VISIT_DAYS) return range;
  const sameYear = `${endYear}${range.start.slice(4)}`;
  return sameYear <= range.end && days(sameYear, range.end) <= MAX_VISIT_DAYS ? { start: sameYear, end: range.end } : range;
}

function days(a: string, b: string): number {
  return (Date.parse(b) - Date.parse(a)) / 86_400_000;
}
