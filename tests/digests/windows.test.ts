// Digest windows on the Europe/London wall clock: daylight saving neither skips nor doubles a boundary.
// 2026: clocks go forward at 01:00 UTC on Sunday 29 March, back at 01:00 UTC on Sunday 25 October.
import { describe, expect, it } from 'vitest';
import {
  boundariesBetween,
  boundaryAfter,
  boundaryAtOrBefore,
  instantOf,
  latestWindow,
  previousBoundary,
  wallClock,
  wallDaysBefore,
  type DigestSchedule,
} from '../../src/digests/windows.ts';
import { instantLabel, shortRange, windowLabel } from '../../src/digests/format.ts';

const weekly: DigestSchedule = { mode: 'weekly', day: 'monday', time: '08:00' };
const daily: DigestSchedule = { mode: 'daily', day: null, time: '08:00' };
const t = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const HOUR = 3_600_000;

describe('weekly windows (Monday 08:00 UK time)', () => {
  it('the week with the last Sunday of March is 167 hours long and ends at 08:00 BST', () => {
    const w = latestWindow(weekly, t('2026-03-30T07:30:00Z')); // 08:30 BST on Monday 30 March
    expect(iso(w.start)).toBe('2026-03-23T08:00:00.000Z'); // 08:00 GMT
    expect(iso(w.end)).toBe('2026-03-30T07:00:00.000Z'); // 08:00 BST
    expect((w.end - w.start) / HOUR).toBe(167);
  });

  it('the week with the last Sunday of October is 169 hours long and ends at 08:00 GMT', () => {
    const w = latestWindow(weekly, t('2026-10-26T09:00:00Z'));
    expect(iso(w.start)).toBe('2026-10-19T07:00:00.000Z');
    expect(iso(w.end)).toBe('2026-10-26T08:00:00.000Z');
    expect((w.end - w.start) / HOUR).toBe(169);
  });

  it('a minute before the boundary still belongs to the previous window', () => {
    expect(iso(boundaryAtOrBefore(weekly, t('2026-03-30T06:59:00Z')))).toBe('2026-03-23T08:00:00.000Z');
    expect(iso(boundaryAtOrBefore(weekly, t('2026-03-30T07:00:00Z')))).toBe('2026-03-30T07:00:00.000Z');
    expect(iso(boundaryAfter(weekly, t('2026-03-30T07:00:00Z')))).toBe('2026-04-06T07:00:00.000Z');
  });

  it('other days and times', () => {
    const friday: DigestSchedule = { mode: 'weekly', day: 'friday', time: '16:30' };
    expect(iso(boundaryAtOrBefore(friday, t('2026-03-30T12:00:00Z')))).toBe('2026-03-27T16:30:00.000Z');
    expect(iso(boundaryAfter(friday, t('2026-03-30T12:00:00Z')))).toBe('2026-04-03T15:30:00.000Z');
  });
});

describe('daily windows (08:00 UK time)', () => {
  it('the day the clocks go forward is 23 hours, the day they go back 25', () => {
    const spring = boundariesBetween(daily, t('2026-03-27T12:00:00Z'), t('2026-03-31T12:00:00Z')).map(iso);
    expect(spring).toEqual(['2026-03-28T08:00:00.000Z', '2026-03-29T07:00:00.000Z', '2026-03-30T07:00:00.000Z', '2026-03-31T07:00:00.000Z']);
    const autumn = boundariesBetween(daily, t('2026-10-23T12:00:00Z'), t('2026-10-27T12:00:00Z')).map(iso);
    expect(autumn).toEqual(['2026-10-24T07:00:00.000Z', '2026-10-25T08:00:00.000Z', '2026-10-26T08:00:00.000Z', '2026-10-27T08:00:00.000Z']);
  });

  it('exactly one boundary each day for a whole year, 23 to 25 hours apart, always at 08:00 on the wall clock', () => {
    const all = boundariesBetween(daily, t('2026-01-01T00:00:00Z'), t('2027-01-01T00:00:00Z'));
    expect(all).toHaveLength(365);
    const days = new Set<string>();
    for (let i = 0; i < all.length; i++) {
      const w = wallClock(all[i]!);
      expect([w.hh, w.mi]).toEqual([8, 0]);
      days.add(`${w.y}-${w.m}-${w.d}`);
      if (i > 0) expect([23, 24, 25]).toContain((all[i]! - all[i - 1]!) / HOUR);
      if (i > 0) expect(previousBoundary(daily, all[i]!)).toBe(all[i - 1]);
    }
    expect(days.size).toBe(365);
  });

  it('a time the spring change skips (01:30) moves forward past the gap; one the autumn change repeats is taken once', () => {
    const early: DigestSchedule = { mode: 'daily', day: null, time: '01:30' };
    const spring = boundariesBetween(early, t('2026-03-28T00:00:00Z'), t('2026-03-31T00:00:00Z')).map(iso);
    expect(spring).toEqual(['2026-03-28T01:30:00.000Z', '2026-03-29T01:30:00.000Z', '2026-03-30T00:30:00.000Z']); // 01:30 GMT, 02:30 BST, 01:30 BST
    const autumn = boundariesBetween(early, t('2026-10-24T00:00:00Z'), t('2026-10-27T00:00:00Z')).map(iso);
    expect(autumn).toEqual(['2026-10-24T00:30:00.000Z', '2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']); // BST, first 01:30, GMT
    expect(instantOf({ y: 2026, m: 10, d: 25, hh: 1, mi: 30 })).toBe(t('2026-10-25T00:30:00Z'));
  });
});

describe('wall-clock arithmetic and words', () => {
  it('seven days before is the same wall-clock time, not 168 hours', () => {
    expect(iso(wallDaysBefore(t('2026-03-30T07:00:00Z'), 7))).toBe('2026-03-23T08:00:00.000Z');
    expect(iso(wallDaysBefore(t('2026-10-26T08:00:00Z'), 7))).toBe('2026-10-19T07:00:00.000Z');
  });

  it('labels in UK time', () => {
    expect(instantLabel('2026-03-30T07:00:00Z')).toBe('08:00 on Monday 30 March 2026');
    expect(windowLabel('2026-03-23T08:00:00Z', '2026-03-30T07:00:00Z')).toBe('08:00 Monday 23 March to 08:00 Monday 30 March 2026');
    expect(windowLabel('2025-12-29T08:00:00Z', '2026-01-05T08:00:00Z')).toBe('08:00 Monday 29 December 2025 to 08:00 Monday 5 January 2026');
    expect(shortRange('2026-02-23T08:00:00Z', '2026-03-02T08:00:00Z')).toBe('23 February to 2 March');
  });
});
