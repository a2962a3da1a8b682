import { addDays, isBusinessDateString } from './business-date';
import type { BusinessDate } from './business-date';
import { isBusinessDay } from './business-days';

/**
 * The secretariat's and experts' working days: business days (no weekend, no national or
 * substitute holiday) outside the year-end closure of 29 December to 3 January that Tokyo's offices
 * keep (行政機関の休日). The guidelines' "3営業日以内" is counted in these.
 */
export function isOfficeDay(date: BusinessDate): boolean {
  if (!isBusinessDateString(date)) throw new RangeError(`Not a YYYY-MM-DD date: ${date}`);
  const monthDay = date.slice(5);
  return isBusinessDay(date) && monthDay < '12-29' && monthDay > '01-03';
}

/** The `n`th office day after `date` (n >= 1): "within n business days of receipt" ends on it. */
export function addOfficeDays(date: BusinessDate, n: number): BusinessDate {
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`Office days to add must be a whole number >= 1: ${n}`);
  }
  let result = date;
  for (let counted = 0; counted < n;) {
    result = addDays(result, 1);
    if (isOfficeDay(result)) counted++;
  }
  return result;
}

/** `date` itself when it is an office day, else the next one. */
export function nextOfficeDay(date: BusinessDate): BusinessDate {
  let result = date;
  while (!isOfficeDay(result)) result = addDays(result, 1);
  return result;
}
