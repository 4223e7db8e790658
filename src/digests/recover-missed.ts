// Which digest slots are due, and the window of each channel in them, including after the process was
// down. Pure.
//
// A slot is a schedule's boundary ("weekly:monday:08:00" at 2026-03-09T08:00Z). The store remembers
// until when the schedule was checked (digests.checked_until) and which slots are finished (digest_runs).
// Every run takes the unfinished slots between then and now, at most `lookbackDays` back: normally the
// one boundary that has just passed; after downtime, each boundary that passed while nothing ran. Those
// missed slots are RECOVERED: for each schedule, the missed slots fold into its latest one, so a channel
// gets ONE late digest covering everything since its last digest (saying it is late and how many it
// stands for) rather than several in a row, and the older slots are recorded as superseded so nothing
// is recovered twice. A slot is late when it is dealt with more than `lateAfterMs` after it was due.
//
// A channel's window starts where its last digest window ended (its cursor): no gap and no overlap even
// when it changed its day, time or frequency in between. A channel with no recent digest starts at the
// previous boundary. No window reaches back more than `lookbackDays` before its end.
import { boundariesBetween, boundaryAfter, previousBoundary, scheduleKey, wallDaysBefore, type DigestSchedule } from './windows.ts';

export interface PlanOptions {
  /** a slot dealt with this long after it was due is late, and says so (default 1 h) */
  lateAfterMs: number;
  /** missed slots older than this are not recovered, and no window reaches back further (default 7) */
  lookbackDays: number;
  /** with no record of a previous check (first run ever): how far back to look (default 1 h) */
  firstRunLookbackMs: number;
}

export const DEFAULT_PLAN: PlanOptions = { lateAfterMs: 3_600_000, lookbackDays: 7, firstRunLookbackMs: 3_600_000 };

export interface PlannedSlot {
  schedule: DigestSchedule;
  key: string;
  /** the boundary this run builds windows up to (the schedule's latest unfinished one) */
  windowEnd: number;
  /** the schedule's earliest unfinished boundary: when the oldest missed digest was due */
  earliestDue: number;
  /** earlier missed boundaries folded into this slot */
  superseded: number[];
  late: boolean;
}

/** Where this run looks back to: the last check, but not more than lookbackDays ago. */
export function checkFrom(now: number, checkedUntil: number | null, opts: PlanOptions = DEFAULT_PLAN): number {
  const floor = wallDaysBefore(now, opts.lookbackDays);
  const from = checkedUntil ?? now - opts.firstRunLookbackMs;
  return Math.min(now, Math.max(from, floor));
}

/** The unfinished slots with from < boundary ≤ now, one per schedule (missed ones folded in). */
export function planSlots(
  schedules: readonly DigestSchedule[],
  now: number,
  from: number,
  finished: ReadonlySet<string>,
  opts: PlanOptions = DEFAULT_PLAN,
): PlannedSlot[] {
  const slots: PlannedSlot[] = [];
  for (const schedule of schedules) {
    const key = scheduleKey(schedule);
    const pending = boundariesBetween(schedule, from, now).filter((b) => !finished.has(slotId(key, b)));
    if (pending.length === 0) continue;
    const windowEnd = pending[pending.length - 1]!;
    const earliestDue = pending[0]!;
    slots.push({ schedule, key, windowEnd, earliestDue, superseded: pending.slice(0, -1), late: now - earliestDue > opts.lateAfterMs });
  }
  return slots.sort((a, b) => a.windowEnd - b.windowEnd || (a.key < b.key ? -1 : 1));
}

export const slotId = (key: string, boundary: number): string => `${key}@${new Date(boundary).toISOString()}`;

export interface ChannelWindow {
  start: number;
  end: number;
  /** null when on time */
  late: { dueAt: number; missedWindows: number } | null;
}

/** The channel's window in a slot; null when its digest for this slot was made already. */
export function channelWindow(slot: PlannedSlot, cursor: number | undefined, now: number, opts: PlanOptions = DEFAULT_PLAN): ChannelWindow | null {
  const s = slot.schedule;
  const end = slot.windowEnd;
  if (cursor !== undefined && cursor >= end) return null;
  const floor = Math.min(previousBoundary(s, slot.earliestDue), wallDaysBefore(end, opts.lookbackDays));
  const start = Math.max(cursor ?? previousBoundary(s, end), floor);
  const dueAt = Math.min(end, Math.max(slot.earliestDue, boundaryAfter(s, start)));
  const late = now - dueAt > opts.lateAfterMs ? { dueAt, missedWindows: Math.max(1, boundariesBetween(s, dueAt - 1, end).length) } : null;
  return { start, end, late };
}
