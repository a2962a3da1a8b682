import type { EdrMonthFigures } from '@app/detections';
import type { IncidentMonthFigures } from '@app/incidents';
import { addDays, type BusinessDate, tokyoMidnight } from '@app/inventory';
import {
  type HealthHourRecord,
  type HealthSampleRecord,
  mergeHealthRecords,
} from './health-records';
import {
  type CoverageWindow,
  type DayFigures,
  type EdrMonth,
  MONTHLY_REPORT_SCHEMA_VERSION,
  type MonthlyReportData,
  type ReportLimitation,
  type ReportTrial,
  type UtmEventsMonth,
  type UtmMonth,
} from './monthly-report-data';
import { summariseUptime } from './polled-uptime';
import { datesBetween, isMonthOver, type MonthPeriod } from './report-month';
import {
  combineSamplings,
  NO_THREAT_SAMPLES,
  reportedSampling,
  samplingByDay,
} from './sampled-detections';

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
  /** The appliance's samples and roll-ups; anything outside the window is ignored. */
  samples: readonly HealthSampleRecord[];
  hours: readonly HealthHourRecord[];
}

/**
 * Sampled threat figures and uptime of one appliance over its covered days. The figures are what
 * the polls in the window read of the unit's per-minute counts: samples, never totals.
 */
export function applianceMonth(input: ApplianceMonthInput): UtmMonth {
  const { window } = input;
  const start = window.start.getTime();
  const end = window.end.getTime();
  const inWindow = (at: number): boolean => at >= start && at < end;
  const records = mergeHealthRecords(
    input.samples.filter((s) => inWindow(s.at.getTime())),
    input.hours.filter((h) => inWindow(h.hour.getTime())),
  );
  const uptime = summariseUptime(records.polledHours);
  const threatsByDay = samplingByDay(records.threats);
  const uptimeByDay = new Map(uptime.days.map((day) => [day.date, day.uptimePercent]));
  const days = datesBetween(window.firstDay, window.lastDay).map((date): DayFigures => ({
    date,
    detections: reportedSampling(threatsByDay.get(date) ?? NO_THREAT_SAMPLES),
    uptimePercent: uptimeByDay.get(date) ?? null,
  }));
  return {
    trialId: input.trialId,
    appliance: input.appliance,
    coveredFrom: window.firstDay,
    coveredTo: window.lastDay,
    detections: reportedSampling(
      [...threatsByDay.values()].reduce(combineSamplings, NO_THREAT_SAMPLES),
    ),
    uptimePercent: uptime.uptimePercent,
    polledHours: uptime.polledHours,
    daysPolled: uptime.daysPolled,
    daysOffline: uptime.daysOffline,
    daysWithOutage: uptime.daysWithOutage,
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

/** What the seat ledger can tell about an EDR tenant's month (its threats are the company's `edrThreats`). */
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
  };
}

export interface MonthlyReportInput {
  period: MonthPeriod;
  now: Date;
  company: MonthlyReportData['company'];
  trials: readonly ReportTrial[];
  utm: readonly UtmMonth[];
  edr: readonly EdrMonth[];
  utmEvents: UtmEventsMonth;
  edrThreats: EdrMonthFigures;
  incidents: IncidentMonthFigures;
}

export function assembleMonthlyReport(input: MonthlyReportInput): MonthlyReportData {
  const limitations: ReportLimitation[] = [];
  if (input.edr.length > 0) {
    limitations.push('edr_health_is_snapshot');
  }
  if (input.utm.length > 0) limitations.push('utm_detections_sampled');
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
    utmEvents: input.utmEvents,
    edrThreats: input.edrThreats,
    incidents: input.incidents,
    limitations,
  };
}
