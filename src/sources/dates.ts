// Dates as Ofsted's pages write them ("18 July 2025", "18 Jul 2025", "18/07/2025", or 2025-07-18 in an attribute)
// to ISO yyyy-mm-dd.

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};

const MONTH_NAMES =
  'january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec';

// "18 July 2025", "1st Jul. 2025" (day month-name year)
const WORDY = new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(${MONTH_NAMES})\\.?,?\\s+(\\d{4})\\b`, 'i');
// "18/07/2025", "18-07-2025", "18.07.2025" (day first, as in the UK)
const NUMERIC = /\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b/;
// "2025-07-18" (a <time datetime> attribute)
const ISO = /\b(\d{4})-(\d{2})-(\d{2})\b/;

function iso(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1) return null;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const PATTERNS: ReadonlyArray<readonly [RegExp, (m: RegExpExecArray) => string | null]> = [
  [WORDY, (m) => iso(Number(m[3]), MONTHS[m[2]!.toLowerCase().slice(0, 3)] ?? 0, Number(m[1]))],
  [NUMERIC, (m) => iso(Number(m[3]), Number(m[2]), Number(m[1]))],
  [ISO, (m) => iso(Number(m[1]), Number(m[2]), Number(m[3]))],
];
const WHOLE = new RegExp(`^(?:${WORDY.source}|${NUMERIC.source}|${ISO.source})$`, 'i');

/** The first date written anywhere in `text`, as yyyy-mm-dd, or null when there is none (or it is not a real day). */
export function findDate(text: string): string | null {
  const flat = text.replace(/\s+/g, ' ');
  let first: { index: number; date: string | null } | null = null;
  for (const [pattern, read] of PATTERNS) {
    const match = pattern.exec(flat);
    if (match && (!first || match.index < first.index)) first = { index: match.index, date: read(match) };
  }
  return first?.date ?? null;
}

/** `text` as yyyy-mm-dd when the whole of it is one date ("18 July 2025", "18 Jul 2025", "18/07/2025"), else null. */
export function parseDate(text: string): string | null {
  const trimmed = text.replace(/\s+/g, ' ').trim();
  return WHOLE.test(trimmed) ? findDate(trimmed) : null;
}

/** yyyy-mm-dd → "18 July 2025", the way Ofsted's pages write dates. */
export function formatLongDate(isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  const names = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  return `${d} ${names[(m ?? 1) - 1]} ${y}`;
}
