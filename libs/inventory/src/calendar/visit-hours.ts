import { type BusinessDate, isBusinessDateString, tokyoDate, tokyoMidnight } from './business-date';
import { isBusinessDay, nextBusinessDay } from './business-days';

/** On-site visits start on a Tokyo business day, from 9:00 up to (not at) 17:00. */
export const VISIT_HOURS = { opensAtHour: 9, closesAtHour: 17 } as const;

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
const WALL_CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** A visit start as the desk writes it: a Tokyo calendar date and a Tokyo wall-clock time. */
export interface VisitSlot {
  date: BusinessDate;
  /** HH:MM, 00:00–23:59. */
  startsAt: string;
}

export type VisitSlotVerdict =
  | { allowed: true }
  | {
      allowed: false;
      reason: 'in_the_past' | 'not_a_business_day' | 'before_hours' | 'after_hours';
      /** The earliest start the desk may book instead, never before `now`. */
      nextSlot: Date;
    }
  | { allowed: false; reason: 'too_far_ahead'; latest: Date };

/** How far ahead the desk books: a visit is a response to an incident, not a standing date. */
export const VISIT_HORIZON_DAYS = 90;

function opening(day: BusinessDate): Date {
  return new Date(tokyoMidnight(day).getTime() + VISIT_HOURS.opensAtHour * HOUR_MS);
}

function closing(day: BusinessDate): Date {
  return new Date(tokyoMidnight(day).getTime() + VISIT_HOURS.closesAtHour * HOUR_MS);
}

/**
 * The earliest instant at or after `from` when a visit may start. Visits start on a whole minute
 * (the desk books HH:MM), so a slot offered from `now` is the next whole minute, which the desk
 * can send back without it being already past.
 */
export function nextVisitSlot(from: Date): Date {
  const start = new Date(Math.ceil(from.getTime() / MINUTE_MS) * MINUTE_MS);
  const day = tokyoDate(start);
  if (isBusinessDay(day)) {
    if (start < opening(day)) return opening(day);
    if (start < closing(day)) return start;
  }
  return opening(nextBusinessDay(day));
}

/**
 * May a visit start at `start`? Only the start is held to the hours: how long a technician stays on
 * site is not known when the desk books, and the programme promises someone arrives within them.
 * A refusal names the next valid slot (counted from `now` when `start` is already past).
 */
export function judgeVisitSlot(start: Date, now: Date): VisitSlotVerdict {
  if (start < now) return { allowed: false, reason: 'in_the_past', nextSlot: nextVisitSlot(now) };
  const latest = new Date(now.getTime() + VISIT_HORIZON_DAYS * 24 * HOUR_MS);
  if (start > latest) return { allowed: false, reason: 'too_far_ahead', latest };
  const day = tokyoDate(start);
  if (!isBusinessDay(day)) {
    return { allowed: false, reason: 'not_a_business_day', nextSlot: nextVisitSlot(start) };
  }
  if (start < opening(day)) {
    return { allowed: false, reason: 'before_hours', nextSlot: opening(day) };
  }
  if (start >= closing(day)) {
    return { allowed: false, reason: 'after_hours', nextSlot: nextVisitSlot(start) };
  }
  return { allowed: true };
}

/** The instant a visit written as a Tokyo date and HH:MM starts. */
export function visitStart(slot: VisitSlot): Date {
  const time = WALL_CLOCK.exec(slot.startsAt);
  if (!time) throw new RangeError(`Not an HH:MM time: ${slot.startsAt}`);
  if (!isBusinessDateString(slot.date)) throw new RangeError(`Not a calendar date: ${slot.date}`);
  return new Date(
    tokyoMidnight(slot.date).getTime() + Number(time[1]) * HOUR_MS + Number(time[2]) * MINUTE_MS,
  );
}

/** A start in the desk's own terms, with its instant: what a refusal offers to send back as is. */
export function visitSlotOf(start: Date): VisitSlot & { at: string } {
  const date = tokyoDate(start);
  const minutes = Math.floor((start.getTime() - tokyoMidnight(date).getTime()) / MINUTE_MS);
  const twoDigits = (n: number): string => String(n).padStart(2, '0');
  return {
    date,
    startsAt: `${twoDigits(Math.floor(minutes / 60))}:${twoDigits(minutes % 60)}`,
    at: start.toISOString(),
  };
}

/** The business date a visit starting at `start` falls on (its work order's `scheduledOn`). */
export function visitDay(start: Date): BusinessDate {
  return tokyoDate(start);
}
