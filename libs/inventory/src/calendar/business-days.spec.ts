import { addDays } from './business-date';
import { addBusinessDays, isBusinessDay, nextBusinessDay } from './business-days';

describe('isBusinessDay', () => {
  it.each([
    ['2025-01-14', true, 'an ordinary Tuesday'],
    ['2025-01-11', false, 'Saturday'],
    ['2025-01-12', false, 'Sunday'],
    ['2025-01-13', false, 'Coming of Age Day, a Monday'],
    ['2024-02-12', false, 'substitute holiday'],
    ['2026-09-22', false, "citizens' holiday"],
    ['2019-05-02', false, 'enthronement week'],
    ['2025-12-29', true, 'year-end closure is a company custom, not a national holiday'],
    ['2026-01-02', true, 'January 2 is not a national holiday'],
  ])('%s → %s (%s)', async (date, expected) => {
    expect(isBusinessDay(date)).toBe(expected);
  });

  it.each(['2025-02-30', '2025/01/14', ''])('rejects %p', async (date) => {
    expect(() => isBusinessDay(date)).toThrow(RangeError);
  });
});

describe('nextBusinessDay', () => {
  it.each([
    ['2025-01-14', '2025-01-15', 'a business day still moves on: strictly after'],
    ['2025-01-10', '2025-01-14', 'Friday, over a weekend and a Happy Monday'],
    ['2025-01-11', '2025-01-14', 'Saturday, over Sunday and Coming of Age Day'],
    ['2025-05-02', '2025-05-07', 'Golden Week with a substitute holiday'],
    ['2019-04-26', '2019-05-07', 'the ten-day enthronement Golden Week'],
    ['2026-09-18', '2026-09-24', "Silver Week: holiday, citizens' holiday, equinox"],
    ['2024-11-01', '2024-11-05', 'Culture Day on a Sunday, substituted on Monday'],
    ['2025-12-31', '2026-01-02', "across the year end, over New Year's Day"],
    ['2020-07-22', '2020-07-27', 'the 2020 Olympic four-day weekend'],
  ])('after %s comes %s (%s)', async (date, expected) => {
    expect(nextBusinessDay(date)).toBe(expected);
  });
});

describe('removal visit: the next business day after the day after trial end', () => {
  const removalVisit = (trialEnd: string): string => nextBusinessDay(addDays(trialEnd, 1));

  it.each([
    ['2025-01-10', '2025-01-14', 'ends Friday, Monday is Coming of Age Day'],
    ['2025-01-09', '2025-01-14', 'ends Thursday: the day after is Friday, then the weekend'],
    ['2025-01-14', '2025-01-16', 'ends Tuesday: the day after is Wednesday, so Thursday'],
    ['2025-04-30', '2025-05-02', 'ends Wednesday before Golden Week'],
    ['2025-05-01', '2025-05-07', 'ends Thursday: Golden Week follows'],
    ['2025-02-28', '2025-03-03', 'ends Friday the last of February: Saturday, then Monday'],
  ])('a trial ending %s is removed on %s (%s)', async (trialEnd, expected) => {
    expect(removalVisit(trialEnd)).toBe(expected);
  });
});

describe('addBusinessDays', () => {
  it.each([
    ['2025-01-14', 0, '2025-01-14', 'zero days from a business day is that day'],
    ['2025-01-11', 0, '2025-01-14', 'zero days from a Saturday rolls forward'],
    ['2025-01-13', 0, '2025-01-14', 'zero days from a holiday rolls forward'],
    ['2025-01-14', 1, '2025-01-15', 'one day from a business day'],
    ['2025-01-10', 1, '2025-01-14', 'one day from Friday skips the holiday Monday'],
    ['2025-01-11', 1, '2025-01-14', 'one day from Saturday is the first business day after it'],
    ['2025-01-11', 2, '2025-01-15', 'two days from Saturday'],
    ['2025-04-28', 5, '2025-05-08', 'across Golden Week'],
    ['2025-12-30', 2, '2026-01-02', "across the year end, over New Year's Day"],
    ['2025-01-06', 10, '2025-01-21', 'ten days over a weekend pair and a Happy Monday'],
  ])('%s + %i business days = %s (%s)', async (date, n, expected) => {
    expect(addBusinessDays(date, n)).toBe(expected);
  });

  it.each([-1, 1.5, Number.NaN])('rejects n = %p', async (n) => {
    expect(() => addBusinessDays('2025-01-14', n)).toThrow(RangeError);
  });
});
