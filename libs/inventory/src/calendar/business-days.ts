import { addDays, dayOfWeek, isBusinessDateString } from './business-date';
import type { BusinessDate } from './business-date';
import { isJapaneseHoliday } from './japanese-holidays';

const SUNDAY = 0;
const SATURDAY = 6;

/** A weekday that is not a Japanese national, substitute or citizens' holiday (Asia/Tokyo). */
export function isBusinessDay(date: BusinessDate): boolean {
  // dayOfWeek would silently roll 2025-02-30 over to a Sunday; a bad date is a caller bug.
  if (!isBusinessDateString(date)) throw new RangeError(`Not a YYYY-MM-DD date: ${date}`);
  const dow = dayOfWeek(date);
  return dow !== SATURDAY && dow !== SUNDAY && !isJapaneseHoliday(date);
}

/** The first business day strictly after `date`, whether or not `date` is one itself. */
export function nextBusinessDay(date: BusinessDate): BusinessDate {
  // Terminates: the longest run of non-business days (Golden Week) is well under two weeks.
  let candidate = addDays(date, 1);
  while (!isBusinessDay(candidate)) candidate = addDays(candidate, 1);
  return candidate;
}

/**
 * The `n`th business day after `date` (n >= 0), each step being `nextBusinessDay`; so from a
 * Saturday one business day later is the Monday. With n = 0, `date` itself if it is a
 * business day, else the next one.
 */
export function addBusinessDays(date: BusinessDate, n: number): BusinessDate {
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`Business days to add must be a whole number >= 0: ${n}`);
  }
  if (n === 0) return isBusinessDay(date) ? date : nextBusinessDay(date);
  let result = date;
  for (let i = 0; i < n; i++) result = nextBusinessDay(result);
  return result;
}
