import { describe, expect, it } from 'vitest';
import { findDate, formatLongDate, parseDate } from '../../src/sources/dates.ts';

describe('parseDate', () => {
  it.each([
    ['18 July 2025', '2025-07-18'],
    ['18 Jul 2025', '2025-07-18'],
    ['18/07/2025', '2025-07-18'],
    ['1 Sept 2024', '2024-09-01'],
    ['3 september 2024', '2024-09-03'],
    ['  9\u00a0May   2023 ', '2023-05-09'],
    ['1st March 2022', '2022-03-01'],
    ['29 February 2024', '2024-02-29'],
    ['05-01-2022', '2022-01-05'],
    ['2025-07-18', '2025-07-18'],
  ])('%s → %s', (text, iso) => {
    expect(parseDate(text)).toBe(iso);
  });

  it.each(['', 'Latest report', '31 February 2024', '29 February 2023', '13/13/2025', '2025-02-30', '18 Julyy 2025', '2025', 'report of 18 July 2025'])(
    '"%s" is not a date',
    (text) => {
      expect(parseDate(text)).toBeNull();
    },
  );
});

describe('findDate', () => {
  it('finds the first date inside longer text', () => {
    expect(findDate("Children's services inspection, pdf - 18 July 2025")).toBe('2025-07-18');
    expect(findDate('published 18/07/2025, corrected 20 July 2025')).toBe('2025-07-18');
    expect(findDate('no date here')).toBeNull();
  });
});

describe('formatLongDate', () => {
  it('writes dates the way the site does', () => {
    expect(formatLongDate('2025-07-18')).toBe('18 July 2025');
    expect(formatLongDate('2023-05-09')).toBe('9 May 2023');
  });
});
