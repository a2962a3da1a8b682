import {
  datesBetween,
  isFutureMonth,
  isMonthOver,
  isReportMonth,
  monthPeriod,
  nextMonth,
  previousMonth,
  reportMonthOf,
} from './report-month';

describe('report months in Tokyo time', () => {
  it.each([
    ['2025-01', true],
    ['2024-12', true],
    ['2000-01', true],
    ['1999-12', false],
    ['2025-13', false],
    ['2025-00', false],
    ['2025-1', false],
    ['2025-01-01', false],
    ['202501', false],
    [' 2025-01', false],
  ])('%j is a report month: %s', (value, expected) => {
    expect(isReportMonth(value)).toBe(expected);
  });

  it.each([
    // A month starts at 00:00 JST on the 1st, which is 15:00 UTC the day before.
    ['2025-01-31T14:59:59.999Z', '2025-01'],
    ['2025-01-31T15:00:00.000Z', '2025-02'],
    ['2024-12-31T14:59:59.999Z', '2024-12'],
    ['2024-12-31T15:00:00.000Z', '2025-01'],
    ['2025-03-01T00:00:00.000Z', '2025-03'],
  ])('%s falls in %s', (instant, month) => {
    expect(reportMonthOf(new Date(instant))).toBe(month);
  });

  it.each([
    ['2025-01', '2025-01-01', '2025-01-31', '2024-12-31T15:00:00.000Z', '2025-01-31T15:00:00.000Z'],
    ['2024-02', '2024-02-01', '2024-02-29', '2024-01-31T15:00:00.000Z', '2024-02-29T15:00:00.000Z'],
    ['2025-02', '2025-02-01', '2025-02-28', '2025-01-31T15:00:00.000Z', '2025-02-28T15:00:00.000Z'],
    ['2024-12', '2024-12-01', '2024-12-31', '2024-11-30T15:00:00.000Z', '2024-12-31T15:00:00.000Z'],
  ])('%s runs from %s to %s, [%s, %s)', (month, firstDay, lastDay, start, end) => {
    expect(monthPeriod(month)).toEqual({
      month,
      firstDay,
      lastDay,
      start: new Date(start),
      end: new Date(end),
    });
  });

  it.each([
    ['2025-01', '2024-12', '2025-02'],
    ['2024-12', '2024-11', '2025-01'],
    ['2024-03', '2024-02', '2024-04'],
  ])('around %s: %s before, %s after', (month, before, after) => {
    expect(previousMonth(month)).toBe(before);
    expect(nextMonth(month)).toBe(after);
  });

  it.each([
    // 2025-01-31T15:00Z is already 1 February in Tokyo.
    ['2025-02', '2025-01-31T15:00:00.000Z', false],
    ['2025-02', '2025-01-31T14:59:59.999Z', true],
    ['2025-01', '2025-01-15T00:00:00.000Z', false],
    ['2024-12', '2025-01-15T00:00:00.000Z', false],
    ['2026-01', '2025-12-31T15:00:00.000Z', false],
    ['2026-01', '2025-12-31T14:00:00.000Z', true],
  ])('%s is in the future at %s: %s', (month, now, expected) => {
    expect(isFutureMonth(month, new Date(now))).toBe(expected);
  });

  it.each([
    ['2025-01', '2025-01-31T14:59:59.999Z', false],
    ['2025-01', '2025-01-31T15:00:00.000Z', true],
    ['2025-01', '2025-02-01T06:00:00+09:00', true],
  ])('%s is over at %s: %s', (month, now, expected) => {
    expect(isMonthOver(month, new Date(now))).toBe(expected);
  });

  it('lists the dates between two days, across a month end', () => {
    expect(datesBetween('2024-12-30', '2025-01-02')).toEqual([
      '2024-12-30',
      '2024-12-31',
      '2025-01-01',
      '2025-01-02',
    ]);
    expect(datesBetween('2025-01-02', '2025-01-01')).toEqual([]);
  });
});
