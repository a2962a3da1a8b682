import { type BusinessDate, tokyoDate } from '@app/inventory';
import type { PolledHour } from './health-records';

export interface DayUptime {
  date: BusinessDate;
  polledHours: number;
  uptimePercent: number;
  /** No poll that day reached the appliance. */
  isOffline: boolean;
  /** At least one poll that day failed. */
  hadOutage: boolean;
}

export interface UptimeSummary {
  /** Null when the appliance was never polled in the period: no figure rather than 0 % or 100 %. */
  uptimePercent: number | null;
  polledHours: number;
  daysPolled: number;
  daysOffline: number;
  daysWithOutage: number;
  days: DayUptime[];
}

/**
 * A share as a percentage with one decimal, rounded down: an appliance that missed a single poll
 * must not read as 100.0 %. The epsilon absorbs binary fractions (0.57 × 1000 = 569.999…).
 */
export function toPercent(share: number): number {
  return Math.floor(share * 1000 + 1e-9) / 10;
}

function share(hour: PolledHour): number {
  return hour.reachableSamples / hour.samples;
}

/**
 * Uptime as the share of polled time the appliance was reachable. Time is counted in polled hours,
 * each weighing the same whatever the poll interval was then (raw samples and roll-ups may come
 * from different intervals); within an hour, the share of its polls that reached the device.
 * Hours without any poll (the poller was down) are not polled time: they count neither way.
 */
export function summariseUptime(hours: readonly PolledHour[]): UptimeSummary {
  const polled = hours.filter((hour) => hour.samples > 0);
  const byDay = new Map<BusinessDate, PolledHour[]>();
  for (const hour of polled) {
    const date = tokyoDate(hour.hour);
    byDay.set(date, [...(byDay.get(date) ?? []), hour]);
  }
  const days = [...byDay.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([date, dayHours]): DayUptime => ({
      date,
      polledHours: dayHours.length,
      uptimePercent: toPercent(
        dayHours.reduce((sum, hour) => sum + share(hour), 0) / dayHours.length,
      ),
      isOffline: dayHours.every((hour) => hour.reachableSamples === 0),
      hadOutage: dayHours.some((hour) => hour.reachableSamples < hour.samples),
    }));
  const reachable = polled.reduce((sum, hour) => sum + share(hour), 0);
  return {
    uptimePercent: polled.length === 0 ? null : toPercent(reachable / polled.length),
    polledHours: polled.length,
    daysPolled: days.length,
    daysOffline: days.filter((day) => day.isOffline).length,
    daysWithOutage: days.filter((day) => day.hadOutage).length,
    days,
  };
}
