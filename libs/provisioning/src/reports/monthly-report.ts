import { addDays, type BusinessDate, tokyoDate, tokyoMidnight } from '@app/inventory';
import { countDetections, type CounterIncrement } from './counter-detections';
import {
  HOUR_MS,
  type HealthHourRecord,
  type HealthSampleRecord,
  lastReadings,
  mergeHealthRecords,
} from './health-records';
import {
  type BiggestDay,
  type CoverageWindow,
  type DayFigures,
  type EdrMonth,
  MONTHLY_REPORT_SCHEMA_VERSION,
  type MonthlyReportData,
  type ReportLimitation,
  type ReportTrial,
  type UtmMonth,
} from './monthly-report-data';
import { summariseUptime } from './polled-uptime';
import { datesBetween, isMonthOver, type MonthPeriod } from './report-month';

/**
 * The days of the month a trial covers: from its first day to its last (endsOn is the last day of
 * the trial), and no later than today while the month is still running. Null when none.
 */
export function coverageWindow(
  period: MonthPeriod,
  trial: { startsOn: BusinessDate; endsOn: BusinessDate },
  today: BusinessDate,
): CoverageWindow | null {
  const firstDay = trial.startsOn > period.firstDay ? trial.startsOn : period.firstDay;
  const lastDay = [trial.endsOn, period.lastDay, today].reduce((a, b) => (a < b ? a : b));
  if (firstDay > lastDay) return null;
  return {
    firstDay,
    lastDay,
    start: tokyoMidnight(firstDay),
    end: tokyoMidnight(addDays(lastDay, 1)),
  };
}

export interface ApplianceMonthInput {
  trialId: string;
  appliance: UtmMonth['appliance'];
  window: CoverageWindow;
  /**
   * The appliance's samples and roll-ups in the window, plus at least the last of each from before
   * it (the counters' baseline). Anything after the window is ignored.
   */
  samples: readonly HealthSampleRecord[];
  hours: readonly HealthHourRecord[];
}

function byDay(increments: readonly CounterIncrement[]): Map<BusinessDate, number> {
  const days = new Map<BusinessDate, number>();
  for (const { at, amount } of increments) {
    const date = tokyoDate(at);
    days.set(date, (days.get(date) ?? 0) + amount);
  }
  return days;
}

function biggestDay(days: readonly DayFigures[]): BiggestDay | null {
  let best: DayFigures | null = null;
  // Strictly greater: on a tie the earlier day stays, so the answer does not depend on ordering.
  for (const day of days) if (day.detections > (best?.detections ?? 0)) best = day;
  if (!best) return null;
  const { date, virusesCaught, threatsBlocked, detections } = best;
  return { date, virusesCaught, threatsBlocked, detections };
}

/** Viruses caught, intrusions blocked and uptime of one appliance over its covered days. */
export function applianceMonth(input: ApplianceMonthInput): UtmMonth {
  const { window } = input;
  const start = window.start.getTime();
  const end = window.end.getTime();
  const inWindow = (at: number): boolean => at >= start && at < end;
  const baseline = lastReadings(
    input.samples.filter((s) => s.at.getTime() < start),
    input.hours.filter((h) => h.hour.getTime() + HOUR_MS <= start),
  );
  const records = mergeHealthRecords(
    input.samples.filter((s) => inWindow(s.at.getTime())),
    input.hours.filter((h) => inWindow(h.hour.getTime())),
  );
  const viruses = countDetections(baseline.viruses, records.viruses);
  const threats = countDetections(baseline.threats, records.threats);
  const uptime = summariseUptime(records.polledHours);
  const virusesByDay = byDay(viruses.increments);
  const threatsByDay = byDay(threats.increments);
  const uptimeByDay = new Map(uptime.days.map((day) => [day.date, day.uptimePercent]));
  const days = datesBetween(window.firstDay, window.lastDay).map((date): DayFigures => {
    const virusesCaught = virusesByDay.get(date) ?? 0;
    const threatsBlocked = threatsByDay.get(date) ?? 0;
    return {
      date,
      virusesCaught,
      threatsBlocked,
      detections: virusesCaught + threatsBlocked,
      uptimePercent: uptimeByDay.get(date) ?? null,
    };
  });
  return {
    trialId: input.trialId,
    appliance: input.appliance,
    coveredFrom: window.firstDay,
    coveredTo: window.lastDay,
    virusesCaught: viruses.total,
    threatsBlocked: threats.total,
    detections: viruses.total + threats.total,
    // Both counters drop on a reboot; a parse glitch may show only one, so take the larger.
    counterResets: Math.max(viruses.resets, threats.resets),
    uptimePercent: uptime.uptimePercent,
    polledHours: uptime.polledHours,
    daysPolled: uptime.daysPolled,
    daysOffline: uptime.daysOffline,
    daysWithOutage: uptime.daysWithOutage,
    biggestDay: biggestDay(days),
    days,
  };
}

export interface EdrSeatRecord {
  createdAt: Date;
  releasedAt: Date | null;
  state: string;
  health: 'healthy' | 'degraded' | 'unknown';
  lastSeenAt: Date | null;
}

export interface EdrMonthInput {
  trialId: string;
  tenant: EdrMonth['tenant'];
  window: CoverageWindow;
  userCreatedAt: readonly Date[];
  devices: readonly EdrSeatRecord[];
  now: Date;
}

/** What the seat ledger can tell about an EDR tenant's month (no detections: see limitations). */
export function edrMonth(input: EdrMonthInput): EdrMonth {
  const start = input.window.start.getTime();
  const end = input.window.end.getTime();
  const within = (at: Date | null): boolean =>
    at !== null && at.getTime() >= start && at.getTime() < end;
  const holding = input.devices.filter((device) => device.state === 'active');
  const lastSeen = input.devices.reduce<Date | null>(
    (latest, device) =>
      device.lastSeenAt && (!latest || device.lastSeenAt > latest) ? device.lastSeenAt : latest,
    null,
  );
  return {
    trialId: input.trialId,
    tenant: input.tenant,
    coveredFrom: input.window.firstDay,
    coveredTo: input.window.lastDay,
    users: input.userCreatedAt.filter((at) => at.getTime() < end).length,
    seatsAtEnd: input.devices.filter(
      (d) =>
        d.createdAt.getTime() < end && (d.releasedAt === null || d.releasedAt.getTime() >= end),
    ).length,
    devicesEnrolled: input.devices.filter((d) => within(d.createdAt)).length,
    devicesReleased: input.devices.filter((d) => within(d.releasedAt)).length,
    agentHealth: {
      healthy: holding.filter((d) => d.health === 'healthy').length,
      degraded: holding.filter((d) => d.health === 'degraded').length,
      unknown: holding.filter((d) => d.health === 'unknown').length,
    },
    agentHealthAsOf: input.now.toISOString(),
    lastSeenAt: lastSeen?.toISOString() ?? null,
    detections: null,
  };
}

export interface MonthlyReportInput {
  period: MonthPeriod;
  now: Date;
  company: MonthlyReportData['company'];
  trials: readonly ReportTrial[];
  utm: readonly UtmMonth[];
  edr: readonly EdrMonth[];
}

export function assembleMonthlyReport(input: MonthlyReportInput): MonthlyReportData {
  const limitations: ReportLimitation[] = [];
  if (input.edr.length > 0) {
    limitations.push('edr_detections_not_recorded', 'edr_health_is_snapshot');
  }
  if (input.utm.some((utm) => utm.polledHours === 0)) limitations.push('utm_not_polled');
  return {
    schemaVersion: MONTHLY_REPORT_SCHEMA_VERSION,
    month: input.period.month,
    period: {
      firstDay: input.period.firstDay,
      lastDay: input.period.lastDay,
      timeZone: 'Asia/Tokyo',
    },
    complete: isMonthOver(input.period.month, input.now),
    company: input.company,
    trials: [...input.trials].sort((a, b) =>
      a.startsOn < b.startsOn ? -1 : a.startsOn > b.startsOn ? 1 : 0,
    ),
    utm: [...input.utm],
    edr: [...input.edr],
    limitations,
  };
}
