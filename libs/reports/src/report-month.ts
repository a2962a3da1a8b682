import { addDays, type BusinessDate, tokyoDate, tokyoMidnight } from '@app/inventory';

/** A calendar month in Tokyo, `YYYY-MM`: the unit of the monthly report promised to companies. */
export type ReportMonth = string;

/** The month as a span of time: [start, end) instants and its first and last Tokyo dates. */
export interface MonthPeriod {
  month: ReportMonth;
  firstDay: BusinessDate;
  lastDay: BusinessDate;
  /** 00:00 JST on the 1st. */
  start: Date;
  /** 00:00 JST on the 1st of the next month (exclusive). */
  end: Date;
}

const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Reports start with the programme's first fiscal years; earlier months are typos, not requests. */
const FIRST_REPORT_YEAR = 2000;

export function isReportMonth(value: string): value is ReportMonth {
  const match = MONTH_PATTERN.exec(value);
  return match !== null && Number(match[1]) >= FIRST_REPORT_YEAR;
}

function parts(month: ReportMonth): { year: number; month: number } {
  const match = MONTH_PATTERN.exec(month);
  if (!match) throw new RangeError(`Not a YYYY-MM month: ${month}`);
  return { year: Number(match[1]), month: Number(match[2]) };
}

function format(year: number, month: number): ReportMonth {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

/** The Tokyo month an instant falls in: 2025-01-31T15:30Z is already February in Tokyo. */
export function reportMonthOf(instant: Date): ReportMonth {
  return tokyoDate(instant).slice(0, 7);
}

export function nextMonth(month: ReportMonth): ReportMonth {
  const { year, month: m } = parts(month);
  return m === 12 ? format(year + 1, 1) : format(year, m + 1);
}

export function previousMonth(month: ReportMonth): ReportMonth {
  const { year, month: m } = parts(month);
  return m === 1 ? format(year - 1, 12) : format(year, m - 1);
}

export function monthPeriod(month: ReportMonth): MonthPeriod {
  const firstDay = `${month}-01`;
  const nextFirstDay = `${nextMonth(month)}-01`;
  return {
    month,
    firstDay,
    lastDay: addDays(nextFirstDay, -1),
    start: tokyoMidnight(firstDay),
    end: tokyoMidnight(nextFirstDay),
  };
}

/** A month that has not begun in Tokyo yet; the current month is not in the future. */
export function isFutureMonth(month: ReportMonth, now: Date): boolean {
  return month > reportMonthOf(now);
}

/** True once the month is over in Tokyo at `now`: later polls can no longer change its figures. */
export function isMonthOver(month: ReportMonth, now: Date): boolean {
  return now.getTime() >= monthPeriod(month).end.getTime();
}

/** Every Tokyo date from `from` to `to` inclusive. */
export function datesBetween(from: BusinessDate, to: BusinessDate): BusinessDate[] {
  const dates: BusinessDate[] = [];
  for (let date = from; date <= to; date = addDays(date, 1)) dates.push(date);
  return dates;
}
