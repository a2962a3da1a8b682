import {
  addDays,
  addMonthsClamped,
  dayOfWeek,
  isBusinessDateString,
  tokyoDate,
  tokyoMidnight,
} from './business-date';

describe('addMonthsClamped (the trial-end rule)', () => {
  it.each([
    ['2024-11-30', 3, '2025-02-28'],
    ['2023-11-30', 3, '2024-02-29'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2024-12-15', 3, '2025-03-15'],
    ['2024-10-31', 3, '2025-01-31'],
    ['2024-11-29', 3, '2025-02-28'],
    ['2025-11-28', 3, '2026-02-28'],
    ['2024-03-31', 3, '2024-06-30'],
  ])('%s + %i months = %s', async (start, months, end) => {
    expect(addMonthsClamped(start, months)).toBe(end);
  });
});

describe('Tokyo dates', () => {
  it('reads the date in Tokyo, not UTC', async () => {
    expect(tokyoDate(new Date('2024-11-29T14:59:59Z'))).toBe('2024-11-29');
    expect(tokyoDate(new Date('2024-11-29T15:00:00Z'))).toBe('2024-11-30');
  });

  it('midnight in Tokyo is 15:00 UTC the day before', async () => {
    expect(tokyoMidnight('2024-11-30').toISOString()).toBe('2024-11-29T15:00:00.000Z');
  });

  it('adds days across a month end and knows the weekday', async () => {
    expect(addDays('2024-02-28', 2)).toBe('2024-03-01');
    expect(dayOfWeek('2025-02-28')).toBe(5);
  });

  it('accepts only real calendar dates', async () => {
    expect(isBusinessDateString('2024-02-29')).toBe(true);
    expect(isBusinessDateString('2023-02-29')).toBe(false);
    expect(isBusinessDateString('2024-13-01')).toBe(false);
    expect(isBusinessDateString('2024-1-01')).toBe(false);
  });
});
