import { describe, expect, it } from 'vitest';
import { parseDateRange, parseSingleDate } from '../../src/letters/letter-dates.ts';
import { detectLetterDate, detectVisitDates } from '../../src/letters/letter-meta.ts';

describe('dates as Ofsted writes them', () => {
  it.each([
    ['14 to 18 November 2022', '2022-11-14', '2022-11-18'],
    ['28 February to 4 March 2022', '2022-02-28', '2022-03-04'],
    ['14-15 October 2019', '2019-10-14', '2019-10-15'],
    ['between 3 and 5 November 2020', '2020-11-03', '2020-11-05'],
    ['8 November 2021 to 19 November 2021', '2021-11-08', '2021-11-19'],
    ['05 July 2016-27 July 2016', '2016-07-05', '2016-07-27'],
    ['28 December 2021 to 7 January 2022', '2021-12-28', '2022-01-07'],
    ['28 December to 7 January 2022', '2021-12-28', '2022-01-07'],
    ['on the 15 and 16 of May 2018', '2018-05-15', '2018-05-16'],
    ['on 26 November 2025.', '2025-11-26', '2025-11-26'],
  ])('%s', (text, start, end) => {
    expect(parseDateRange(text)).toEqual({ start, end });
  });

  it('reads a range whose first year is a slip of the pen in the year of its end', () => {
    expect(parseDateRange('24 October 2022 to 25 October 2023')).toEqual({ start: '2023-10-24', end: '2023-10-25' });
  });

  it('rejects dates that do not exist', () => {
    expect(parseSingleDate('31 February 2022')).toBeNull();
    expect(parseDateRange('no dates here')).toBeNull();
  });

  it("finds a letter's own date above its salutation, and none in an inspection report", () => {
    expect(detectLetterDate('12 January 2026\n\nMs A Smith\nDirector\n\nDear Ms Smith\n\nFocused visit to X')).toBe('2026-01-12');
    expect(detectLetterDate('Inspection of X local authority children\'s services\nInspection dates: 3 to 7 March 2025')).toBeNull();
    expect(detectLetterDate('X Council\nInspection of services\n\nReport published: 07 February 2017')).toBe('2017-02-07');
  });

  it('finds the visit dates in the opening sentence or the inspection dates line', () => {
    expect(
      detectVisitDates("This letter summarises the findings of a focused visit to Wakefield Council on 27 and\n28 February 2018. The inspectors were"),
    ).toEqual({ start: '2018-02-27', end: '2018-02-28' });
    expect(detectVisitDates('Inspection dates: 24 to 28 March 2025\n\nLead inspector: A B')).toEqual({ start: '2025-03-24', end: '2025-03-28' });
    expect(detectVisitDates('Nothing about when.')).toEqual({ start: null, end: null });
  });
});
