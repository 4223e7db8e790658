// Digest schedules and windows in Europe/London wall-clock time. Pure. A schedule ("weekly on monday at
// 08:00", "daily at 08:00") names instants ("boundaries"); a digest window runs from one boundary to the
// next. Boundaries are computed from the wall clock with Intl, never by adding 24 h or 7 × 24 h to an
// instant, so a daylight-saving change neither skips nor doubles a digest: the week that contains the
// last Sunday of March is 167 hours long, the one with the last Sunday of October 169.
//
// A wall-clock time that does not exist (01:30 on the last Sunday of March) is moved forward by the gap
// (to 02:30 BST); one that happens twice (01:30 on the last Sunday of October) is its first occurrence.
import type { DigestSetting, Weekday } from '../chat/types.ts';

export const DIGEST_TIME_ZONE = 'Europe/London';

export type DigestMode = 'daily' | 'weekly';

export interface DigestSchedule {
  mode: DigestMode;
  /** weekly only */
  day: Weekday | null;
  /** HH:MM, Europe/London */
  time: string;
}

export const WEEKDAYS: readonly Weekday[] = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** The schedule of a channel's digest setting; null for `digest off`. */
export function scheduleOf(setting: DigestSetting): DigestSchedule | null {
  if (setting.mode === 'off') return null;
  const time = normaliseTime(setting.time) ?? '08:00';
  return setting.mode === 'weekly' ? { mode: 'weekly', day: setting.day, time } : { mode: 'daily', day: null, time };
}

/** "weekly:monday:08:00" / "daily:08:00": names a schedule in digest runs. */
export function scheduleKey(s: DigestSchedule): string {
  return s.mode === 'weekly' ? `weekly:${s.day}:${s.time}` : `daily:${s.time}`;
}

function normaliseTime(text: string): string | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const mi = Number(m[2]);
  if (h > 23 || mi > 59) return null;
  return `${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}`;
}

// ───────────────────────────── wall clock ─────────────────────────────

/** A civil date and time of day on the Europe/London wall clock. Months 1-12. */
export interface WallTime {
  y: number;
  m: number;
  d: number;
  hh: number;
  mi: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Intl is slow (microseconds a call) and the same few instants (boundaries) come up for every channel. */
const wallCache = new Map<string, Readonly<WallTime & { ss: number }>>();
const WALL_CACHE_MAX = 20_000;

/** The wall-clock date and time of an instant (ms) in the time zone. */
export function wallClock(instant: number, timeZone: string = DIGEST_TIME_ZONE): Readonly<WallTime & { ss: number }> {
  const key = `${timeZone}|${instant}`;
  const hit = wallCache.get(key);
  if (hit) return hit;
  const parts = formatter(timeZone).formatToParts(new Date(instant));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? '0');
  const w = Object.freeze({ y: get('year'), m: get('month'), d: get('day'), hh: get('hour') % 24, mi: get('minute'), ss: get('second') });
  if (wallCache.size >= WALL_CACHE_MAX) wallCache.clear();
  wallCache.set(key, w);
  return w;
}

/** The zone's offset from UTC at the instant, in ms (London: 0 or +3 600 000). */
export function offsetAt(instant: number, timeZone: string = DIGEST_TIME_ZONE): number {
  const w = wallClock(instant, timeZone);
  const asUtc = Date.UTC(w.y, w.m - 1, w.d, w.hh, w.mi, w.ss);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

const DAY_MS = 86_400_000;

/** The instant (ms) at which the zone's wall clock shows `wall`; gaps move forward, overlaps take the first. */
export function instantOf(wall: WallTime, timeZone: string = DIGEST_TIME_ZONE): number {
  const asUtc = Date.UTC(wall.y, wall.m - 1, wall.d, wall.hh, wall.mi);
  // the offsets a day either side cover both sides of any transition (they are months apart)
  const before = offsetAt(asUtc - DAY_MS, timeZone);
  const after = offsetAt(asUtc + DAY_MS, timeZone);
  const candidates = [...new Set([asUtc - before, asUtc - after])].sort((a, b) => a - b);
  for (const c of candidates) {
    const w = wallClock(c, timeZone);
    if (w.y === wall.y && w.m === wall.m && w.d === wall.d && w.hh === wall.hh && w.mi === wall.mi) return c;
  }
  // in a gap: the offset before the change, which lands as far past the gap as the time was into it
  return asUtc - before;
}

/** A civil date plus n days (n may be negative). */
export function addDays(date: { y: number; m: number; d: number }, n: number): { y: number; m: number; d: number } {
  const t = new Date(Date.UTC(date.y, date.m - 1, date.d + n));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

export function weekdayOf(date: { y: number; m: number; d: number }): Weekday {
  return WEEKDAYS[new Date(Date.UTC(date.y, date.m - 1, date.d)).getUTCDay()]!;
}

/** The same wall-clock time n days earlier (n whole days of the calendar, not n × 24 h). */
export function wallDaysBefore(instant: number, days: number, timeZone: string = DIGEST_TIME_ZONE): number {
  const w = wallClock(instant, timeZone);
  return instantOf({ ...addDays(w, -days), hh: w.hh, mi: w.mi }, timeZone);
}

// ───────────────────────────── boundaries ─────────────────────────────

function timeOf(s: DigestSchedule): { hh: number; mi: number } {
  const [h, m] = s.time.split(':');
  return { hh: Number(h), mi: Number(m) };
}

/** The schedule's boundary on a civil date, or null if the schedule has none that day (weekly, another day). */
export function boundaryOn(s: DigestSchedule, date: { y: number; m: number; d: number }): number | null {
  if (s.mode === 'weekly' && weekdayOf(date) !== s.day) return null;
  return instantOf({ ...date, ...timeOf(s) });
}

/** The latest boundary at or before the instant. */
export function boundaryAtOrBefore(s: DigestSchedule, instant: number): number {
  const today = wallClock(instant);
  for (let i = 0; i <= 8; i++) {
    const b = boundaryOn(s, addDays(today, -i));
    if (b !== null && b <= instant) return b;
  }
  throw new Error(`no boundary of ${scheduleKey(s)} within 8 days before ${new Date(instant).toISOString()}`);
}

/** The first boundary strictly after the instant. */
export function boundaryAfter(s: DigestSchedule, instant: number): number {
  const today = wallClock(instant);
  for (let i = -1; i <= 8; i++) {
    const b = boundaryOn(s, addDays(today, i));
    if (b !== null && b > instant) return b;
  }
  throw new Error(`no boundary of ${scheduleKey(s)} within 8 days after ${new Date(instant).toISOString()}`);
}

/** The boundary before a boundary: where the nominal window ending at `boundary` starts. */
export function previousBoundary(s: DigestSchedule, boundary: number): number {
  return boundaryAtOrBefore(s, boundary - 1);
}

/** Boundaries b with from < b ≤ to, oldest first. */
export function boundariesBetween(s: DigestSchedule, from: number, to: number): number[] {
  const out: number[] = [];
  for (let b = boundaryAfter(s, from); b <= to; b = boundaryAfter(s, b)) out.push(b);
  return out;
}

/** The nominal window that ends at the latest boundary at or before `now`. */
export function latestWindow(s: DigestSchedule, now: number): { start: number; end: number } {
  const end = boundaryAtOrBefore(s, now);
  return { start: previousBoundary(s, end), end };
}
