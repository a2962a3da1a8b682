import { isJapaneseHoliday, japaneseHolidays } from './japanese-holidays';

// Transcribed from the Cabinet Office lists (内閣府「国民の祝日について」), in date order.
const OFFICIAL: ReadonlyArray<[number, Array<[string, string]>]> = [
  [
    2019,
    [
      ['2019-01-01', "New Year's Day"],
      ['2019-01-14', 'Coming of Age Day'],
      ['2019-02-11', 'National Foundation Day'],
      ['2019-03-21', 'Vernal Equinox Day'],
      ['2019-04-29', 'Showa Day'],
      ['2019-04-30', "Citizens' Holiday"],
      ['2019-05-01', 'Enthronement Day'],
      ['2019-05-02', "Citizens' Holiday"],
      ['2019-05-03', 'Constitution Memorial Day'],
      ['2019-05-04', 'Greenery Day'],
      ['2019-05-05', "Children's Day"],
      ['2019-05-06', 'Substitute Holiday'],
      ['2019-07-15', 'Marine Day'],
      ['2019-08-11', 'Mountain Day'],
      ['2019-08-12', 'Substitute Holiday'],
      ['2019-09-16', 'Respect for the Aged Day'],
      ['2019-09-23', 'Autumnal Equinox Day'],
      ['2019-10-14', 'Health and Sports Day'],
      ['2019-10-22', 'Enthronement Ceremony Day'],
      ['2019-11-03', 'Culture Day'],
      ['2019-11-04', 'Substitute Holiday'],
      ['2019-11-23', 'Labour Thanksgiving Day'],
    ],
  ],
  [
    2020,
    [
      ['2020-01-01', "New Year's Day"],
      ['2020-01-13', 'Coming of Age Day'],
      ['2020-02-11', 'National Foundation Day'],
      ['2020-02-23', "Emperor's Birthday"],
      ['2020-02-24', 'Substitute Holiday'],
      ['2020-03-20', 'Vernal Equinox Day'],
      ['2020-04-29', 'Showa Day'],
      ['2020-05-03', 'Constitution Memorial Day'],
      ['2020-05-04', 'Greenery Day'],
      ['2020-05-05', "Children's Day"],
      ['2020-05-06', 'Substitute Holiday'],
      ['2020-07-23', 'Marine Day'],
      ['2020-07-24', 'Sports Day'],
      ['2020-08-10', 'Mountain Day'],
      ['2020-09-21', 'Respect for the Aged Day'],
      ['2020-09-22', 'Autumnal Equinox Day'],
      ['2020-11-03', 'Culture Day'],
      ['2020-11-23', 'Labour Thanksgiving Day'],
    ],
  ],
  [
    2021,
    [
      ['2021-01-01', "New Year's Day"],
      ['2021-01-11', 'Coming of Age Day'],
      ['2021-02-11', 'National Foundation Day'],
      ['2021-02-23', "Emperor's Birthday"],
      ['2021-03-20', 'Vernal Equinox Day'],
      ['2021-04-29', 'Showa Day'],
      ['2021-05-03', 'Constitution Memorial Day'],
      ['2021-05-04', 'Greenery Day'],
      ['2021-05-05', "Children's Day"],
      ['2021-07-22', 'Marine Day'],
      ['2021-07-23', 'Sports Day'],
      ['2021-08-08', 'Mountain Day'],
      ['2021-08-09', 'Substitute Holiday'],
      ['2021-09-20', 'Respect for the Aged Day'],
      ['2021-09-23', 'Autumnal Equinox Day'],
      ['2021-11-03', 'Culture Day'],
      ['2021-11-23', 'Labour Thanksgiving Day'],
    ],
  ],
  [
    2024,
    [
      ['2024-01-01', "New Year's Day"],
      ['2024-01-08', 'Coming of Age Day'],
      ['2024-02-11', 'National Foundation Day'],
      ['2024-02-12', 'Substitute Holiday'],
      ['2024-02-23', "Emperor's Birthday"],
      ['2024-03-20', 'Vernal Equinox Day'],
      ['2024-04-29', 'Showa Day'],
      ['2024-05-03', 'Constitution Memorial Day'],
      ['2024-05-04', 'Greenery Day'],
      ['2024-05-05', "Children's Day"],
      ['2024-05-06', 'Substitute Holiday'],
      ['2024-07-15', 'Marine Day'],
      ['2024-08-11', 'Mountain Day'],
      ['2024-08-12', 'Substitute Holiday'],
      ['2024-09-16', 'Respect for the Aged Day'],
      ['2024-09-22', 'Autumnal Equinox Day'],
      ['2024-09-23', 'Substitute Holiday'],
      ['2024-10-14', 'Sports Day'],
      ['2024-11-03', 'Culture Day'],
      ['2024-11-04', 'Substitute Holiday'],
      ['2024-11-23', 'Labour Thanksgiving Day'],
    ],
  ],
  [
    2025,
    [
      ['2025-01-01', "New Year's Day"],
      ['2025-01-13', 'Coming of Age Day'],
      ['2025-02-11', 'National Foundation Day'],
      ['2025-02-23', "Emperor's Birthday"],
      ['2025-02-24', 'Substitute Holiday'],
      ['2025-03-20', 'Vernal Equinox Day'],
      ['2025-04-29', 'Showa Day'],
      ['2025-05-03', 'Constitution Memorial Day'],
      ['2025-05-04', 'Greenery Day'],
      ['2025-05-05', "Children's Day"],
      ['2025-05-06', 'Substitute Holiday'],
      ['2025-07-21', 'Marine Day'],
      ['2025-08-11', 'Mountain Day'],
      ['2025-09-15', 'Respect for the Aged Day'],
      ['2025-09-23', 'Autumnal Equinox Day'],
      ['2025-10-13', 'Sports Day'],
      ['2025-11-03', 'Culture Day'],
      ['2025-11-23', 'Labour Thanksgiving Day'],
      ['2025-11-24', 'Substitute Holiday'],
    ],
  ],
  [
    2026,
    [
      ['2026-01-01', "New Year's Day"],
      ['2026-01-12', 'Coming of Age Day'],
      ['2026-02-11', 'National Foundation Day'],
      ['2026-02-23', "Emperor's Birthday"],
      ['2026-03-20', 'Vernal Equinox Day'],
      ['2026-04-29', 'Showa Day'],
      ['2026-05-03', 'Constitution Memorial Day'],
      ['2026-05-04', 'Greenery Day'],
      ['2026-05-05', "Children's Day"],
      ['2026-05-06', 'Substitute Holiday'],
      ['2026-07-20', 'Marine Day'],
      ['2026-08-11', 'Mountain Day'],
      ['2026-09-21', 'Respect for the Aged Day'],
      ['2026-09-22', "Citizens' Holiday"],
      ['2026-09-23', 'Autumnal Equinox Day'],
      ['2026-10-12', 'Sports Day'],
      ['2026-11-03', 'Culture Day'],
      ['2026-11-23', 'Labour Thanksgiving Day'],
    ],
  ],
];

describe('japaneseHolidays', () => {
  it.each(OFFICIAL)('%i matches the Cabinet Office list exactly', async (year, expected) => {
    expect([...japaneseHolidays(year)]).toEqual(expected);
  });

  it.each([
    // The rules as they changed over time.
    ['2000-01-10', 'Coming of Age Day', 'first Happy Monday year: 2nd Monday, not Jan 15'],
    ['2002-07-20', 'Marine Day', 'fixed July 20 until 2002'],
    ['2003-07-21', 'Marine Day', '3rd Monday of July from 2003'],
    ['2002-09-15', 'Respect for the Aged Day', 'fixed September 15 until 2002'],
    ['2002-09-16', 'Substitute Holiday', 'September 15 was a Sunday'],
    ['2003-09-15', 'Respect for the Aged Day', '3rd Monday of September from 2003'],
    ['2006-04-29', 'Greenery Day', 'April 29 was Greenery Day until 2006'],
    ['2007-04-29', 'Showa Day', 'April 29 is Showa Day from 2007'],
    ['2006-05-04', "Citizens' Holiday", 'May 4 was only a sandwiched day until 2006'],
    ['2007-05-04', 'Greenery Day', 'May 4 is Greenery Day from 2007'],
    ['2002-05-04', "Citizens' Holiday", 'the old sandwich rule excluded only Sundays'],
    ['2016-08-11', 'Mountain Day', 'first Mountain Day'],
    ['2018-12-23', "Emperor's Birthday", "last December Emperor's Birthday"],
    ['2019-10-14', 'Health and Sports Day', 'old name until 2019'],
    ['2022-10-10', 'Sports Day', 'renamed from 2020'],
    // Substitute holidays.
    ['2001-04-30', 'Substitute Holiday', 'pre-2007 rule: the Monday after a Sunday holiday'],
    ['2006-01-02', 'Substitute Holiday', 'New Year on a Sunday'],
    ['2008-05-06', 'Substitute Holiday', 'May 4 on a Sunday rolls past May 5 since 2007'],
    ['2009-05-06', 'Substitute Holiday', 'May 3 on a Sunday rolls past May 4 and 5'],
    ['2021-08-09', 'Substitute Holiday', 'the moved Mountain Day fell on a Sunday'],
    ['2023-01-02', 'Substitute Holiday', 'New Year on a Sunday'],
    // Citizens' holidays.
    ['2009-09-22', "Citizens' Holiday", 'between Respect for the Aged Day and the equinox'],
    ['2015-09-22', "Citizens' Holiday", 'between Respect for the Aged Day and the equinox'],
    ['2032-09-21', "Citizens' Holiday", 'between Respect for the Aged Day and the equinox'],
    // Equinoxes where the formula leaves the usual day.
    ['2012-09-22', 'Autumnal Equinox Day', 'leap-year drift to the 22nd'],
    ['2023-03-21', 'Vernal Equinox Day', 'the 21st before a leap year'],
    ['2092-03-19', 'Vernal Equinox Day', 'the formula reaches the 19th late in the century'],
  ])('%s is %s (%s)', async (date, name) => {
    expect(japaneseHolidays(Number(date.slice(0, 4))).get(date)).toBe(name);
  });

  it('hands out a copy, so a caller cannot corrupt later answers', async () => {
    japaneseHolidays(2025).delete('2025-01-01');
    japaneseHolidays(2025).set('2025-01-02', 'Made Up');

    expect(japaneseHolidays(2025).has('2025-01-01')).toBe(true);
    expect(isJapaneseHoliday('2025-01-02')).toBe(false);
  });

  it.each([1999, 2100, 2024.5])('refuses %s, which the rules do not cover', async (year) => {
    expect(() => japaneseHolidays(year)).toThrow(RangeError);
  });
});

describe('isJapaneseHoliday', () => {
  it.each([
    ['2025-01-13', true, 'Coming of Age Day'],
    ['2024-09-23', true, 'substitute for the Sunday equinox'],
    ['2026-09-22', true, "citizens' holiday"],
    ['2019-04-30', true, 'enthronement week'],
    ['2019-05-02', true, 'enthronement week'],
    ['2003-05-04', false, 'a Sunday May 4 was not sandwiched under the pre-2007 rule'],
    ['2019-12-23', false, "no Emperor's Birthday in 2019"],
    ['2019-02-23', false, "Emperor's Birthday moved to February only from 2020"],
    ['2015-08-11', false, 'before Mountain Day existed'],
    ['2020-07-20', false, 'Marine Day moved for the Olympics'],
    ['2020-08-11', false, 'Mountain Day moved for the Olympics'],
    ['2020-10-12', false, 'Sports Day moved for the Olympics'],
    ['2021-10-11', false, 'Sports Day moved for the Olympics'],
    ['2024-01-15', false, 'the pre-2000 Coming of Age date'],
    ['2025-05-07', false, 'the day after Golden Week'],
    ['2025-12-31', false, 'year-end closure is a company custom, not a national holiday'],
  ])('%s → %s (%s)', async (date, expected) => {
    expect(isJapaneseHoliday(date)).toBe(expected);
  });

  it.each(['2024-02-30', '2024/01/01', '2024-1-01', '1999-01-01'])('rejects %s', async (date) => {
    expect(() => isJapaneseHoliday(date)).toThrow(RangeError);
  });
});
