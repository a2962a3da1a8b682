/**
 * Business dates are `YYYY-MM-DD` strings in Asia/Tokyo. Japan has no daylight saving,
 * so Tokyo is always UTC+9 and plain arithmetic on UTC dates is exact.
 */
export type BusinessDate = string;

const TOKYO_OFFSET_MS = 9 * 60 * 60 * 1000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isBusinessDateString(value: string): boolean {
  const match = DATE_PATTERN.exec(value);
  if (!match) return false;
  const [, y, m, d] = match;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return (
    date.getUTCFullYear() === Number(y) &&
    date.getUTCMonth() === Number(m) - 1 &&
    date.getUTCDate() === Number(d)
  );
}

/** The Tokyo calendar date of an instant. */
export function tokyoDate(instant: Date): BusinessDate {
  return new Date(instant.getTime() + TOKYO_OFFSET_MS).toISOString().slice(0, 10);
}

/** Midnight in Tokyo at the start of a business date, as an instant. */
export function tokyoMidnight(date: BusinessDate): Date {
  return new Date(toUtcDate(date).getTime() - TOKYO_OFFSET_MS);
}

function toUtcDate(date: BusinessDate): Date {
  const match = DATE_PATTERN.exec(date);
  if (!match) throw new RangeError(`Not a YYYY-MM-DD date: ${date}`);
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
}

function fromUtcDate(date: Date): BusinessDate {
  return date.toISOString().slice(0, 10);
}

export function addDays(date: BusinessDate, days: number): BusinessDate {
  const d = toUtcDate(date);
  d.setUTCDate(d.getUTCDate() + days);
  return fromUtcDate(d);
}

/**
 * Day D plus N months: day D of the Nth following month, or that month's last day when it
 * has no day D (2024-11-30 + 3 months = 2025-02-28). This is the programme's trial-end rule.
 */
export function addMonthsClamped(date: BusinessDate, months: number): BusinessDate {
  const d = toUtcDate(date);
  const day = d.getUTCDate();
  const firstOfTarget = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
  const lastDay = new Date(
    Date.UTC(firstOfTarget.getUTCFullYear(), firstOfTarget.getUTCMonth() + 1, 0),
  ).getUTCDate();
  firstOfTarget.setUTCDate(Math.min(day, lastDay));
  return fromUtcDate(firstOfTarget);
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: BusinessDate): number {
  return toUtcDate(date).getUTCDay();
}

export function daysBetween(from: BusinessDate, to: BusinessDate): number {
  return Math.round((toUtcDate(to).getTime() - toUtcDate(from).getTime()) / 86_400_000);
}
