// Words for digest times and dates, on the Europe/London wall clock. Pure.
import { DIGEST_TIME_ZONE, wallClock, WEEKDAYS, addDays } from './windows.ts';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function parts(iso: string | number) {
  const w = wallClock(typeof iso === 'number' ? iso : Date.parse(iso), DIGEST_TIME_ZONE);
  const weekday = cap(WEEKDAYS[new Date(Date.UTC(w.y, w.m - 1, w.d)).getUTCDay()]!);
  const time = `${String(w.hh).padStart(2, '0')}:${String(w.mi).padStart(2, '0')}`;
  return { ...w, weekday, time, month: MONTHS[w.m - 1]! };
}

/** "08:00 on Monday 9 March 2026" */
export function instantLabel(iso: string | number): string {
  const p = parts(iso);
  return `${p.time} on ${p.weekday} ${p.d} ${p.month} ${p.y}`;
}

/** "08:00 Monday 2 March to 08:00 Monday 9 March 2026"; the first year is given only when they differ. */
export function windowLabel(start: string | number, end: string | number): string {
  const a = parts(start);
  const b = parts(end);
  const first = `${a.time} ${a.weekday} ${a.d} ${a.month}${a.y !== b.y ? ` ${a.y}` : ''}`;
  return `${first} to ${b.time} ${b.weekday} ${b.d} ${b.month} ${b.y}`;
}

/** "2 to 9 March", "28 February to 7 March", "29 December 2025 to 5 January 2026": the days a window spans. */
export function shortRange(start: string | number, end: string | number): string {
  const a = parts(start);
  // a window ending at midnight ends on the day before, in words
  const endParts = parts(end);
  const b = endParts.hh === 0 && endParts.mi === 0 ? { ...endParts, ...addDays(endParts, -1), month: MONTHS[addDays(endParts, -1).m - 1]! } : endParts;
  if (a.y === b.y && a.m === b.m && a.d === b.d) return `${a.d} ${a.month}`;
  if (a.y !== b.y) return `${a.d} ${a.month} ${a.y} to ${b.d} ${b.month} ${b.y}`;
  if (a.m === b.m) return `${a.d} to ${b.d} ${b.month}`;
  return `${a.d} ${a.month} to ${b.d} ${b.month}`;
}

/** '2026-03-05' → '5 March 2026'; anything else as given. */
export function dateLabel(iso: string | null | undefined): string {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  const month = MONTHS[Number(m[2]) - 1];
  return month ? `${Number(m[3])} ${month} ${m[1]}` : iso;
}

/** "20 to 31 January 2025", "28 February to 3 March 2025", or the one date known. */
export function dateRangeLabel(start: string | null, end: string | null): string {
  if (start && end && start !== end) {
    const [a, b] = [dateLabel(start), dateLabel(end)];
    const [ad, am, ay] = a.split(' ');
    const [, bm, by] = b.split(' ');
    if (ay === by && am === bm) return `${ad} to ${b}`;
    if (ay === by) return `${ad} ${am} to ${b}`;
    return `${a} to ${b}`;
  }
  return dateLabel(start ?? end);
}
