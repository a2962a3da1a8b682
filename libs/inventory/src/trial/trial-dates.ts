import { addMonthsClamped, type BusinessDate, daysBetween } from '../calendar/business-date';
import { isBusinessDay, nextBusinessDay } from '../calendar/business-days';

/** A trial of N months that starts on day D ends on day D of the Nth following month (clamped). */
export function trialEndsOn(startsOn: BusinessDate, months: number): BusinessDate {
  return addMonthsClamped(startsOn, months);
}

/**
 * The removal visit: the first business day after the trial's last day; when the sweep runs late,
 * the first business day from the sweep's own date (a visit is never booked in the past).
 */
export function removalVisitOn(endsOn: BusinessDate, sweptOn: BusinessDate): BusinessDate {
  const planned = nextBusinessDay(endsOn);
  if (planned >= sweptOn) return planned;
  return isBusinessDay(sweptOn) ? sweptOn : nextBusinessDay(sweptOn);
}

/** Reminders to sales before a trial ends, in days. */
export const REMINDER_DAYS = [30, 14, 7, 1] as const;

/**
 * The reminder due on `today`: the smallest threshold the trial has reached. After an outage only
 * the latest one is sent, not every missed one at once; the database keeps each to once per trial.
 */
export function reminderDue(endsOn: BusinessDate, today: BusinessDate): number | null {
  const daysLeft = daysBetween(today, endsOn);
  if (daysLeft < 1) return null;
  const reached = REMINDER_DAYS.filter((days) => daysLeft <= days);
  return reached.length > 0 ? Math.min(...reached) : null;
}
