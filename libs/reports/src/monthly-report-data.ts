import type { EdrMonthFigures, UtmCategory, UtmMonthFigures } from '@app/detections';
import type { IncidentMonthFigures } from '@app/incidents';
import type { BusinessDate } from '@app/inventory';
import type { ReportMonth } from './report-month';

/**
 * Bumped when the stored `data` changes shape, so readers of old rows can tell. 2: UTM detection
 * figures are samples of the unit's per-minute counts (`SampledDetections`), no longer totals.
 * 3: the threat figures are counted from the stored events (`utmEvents`, `edrThreats`,
 * `incidents`); the samples stay as a secondary section.
 */
export const MONTHLY_REPORT_SCHEMA_VERSION = 3;

/**
 * What a report cannot say, stated in the report itself rather than left as a silent gap:
 * - `edr_health_is_snapshot`: agent health is the state when the report was generated, not a
 *   history over the month (edr_devices keeps only the latest health and last_seen_at).
 * - `utm_detections_sampled`: the appliance section's per-minute figures are samples read at each
 *   health poll, not totals (the minutes between polls are not seen); the totals are the counts
 *   of the unit's logged events (`utmEvents`).
 * - `utm_not_polled`: an appliance had no health poll in the period, so it has no uptime.
 */
export const REPORT_LIMITATIONS = [
  'edr_health_is_snapshot',
  'utm_detections_sampled',
  'utm_not_polled',
] as const;
export type ReportLimitation = (typeof REPORT_LIMITATIONS)[number];

export interface ReportTrial {
  id: string;
  course: 'utm' | 'edr';
  startsOn: BusinessDate;
  endsOn: BusinessDate;
  state: string;
}

/** One per-minute figure of the unit as the health polls sampled it. */
export interface SampledFigure {
  /** Sampled minutes in which the unit counted at least one. */
  minutesWithDetections: number;
  /** The highest count in one sampled minute; null when no minute was sampled. */
  peakPerMinute: number | null;
  /** When the peak was first sampled (the poll's instant). */
  peakAt: string | null;
  /** The mean count per sampled minute, to two decimals; null when no minute was sampled. */
  averagePerMinute: number | null;
}

/**
 * Samples of the unit's per-minute counts, one per health poll (see `utm_detections_sampled`).
 * No field is a total of detections: the minutes between polls are not seen.
 */
export interface SampledDetections {
  /** Polls that read the unit's per-minute counts: each sampled the minute before it. */
  sampledMinutes: number;
  /** IPS attacks blocked. */
  intrusionsBlocked: SampledFigure;
  virusesCaught: SampledFigure;
}

export interface DayFigures {
  date: BusinessDate;
  detections: SampledDetections;
  /** Null on a day without any poll. */
  uptimePercent: number | null;
}

/** The part of the month a trial covers, as Tokyo dates and as instants [start, end). */
export interface CoverageWindow {
  firstDay: BusinessDate;
  lastDay: BusinessDate;
  start: Date;
  end: Date;
}

/** One loaned UTM appliance over the part of the month its trial covers. */
export interface UtmMonth {
  trialId: string;
  appliance: { id: string; serial: string; vendor: string; model: string };
  coveredFrom: BusinessDate;
  coveredTo: BusinessDate;
  /** Sampled, not counted: see `SampledDetections`. */
  detections: SampledDetections;
  uptimePercent: number | null;
  polledHours: number;
  daysPolled: number;
  daysOffline: number;
  daysWithOutage: number;
  days: DayFigures[];
}

export interface EdrAgentHealthCounts {
  healthy: number;
  degraded: number;
  unknown: number;
}

/** One EDR tenant over the part of the month its trial covers. */
export interface EdrMonth {
  trialId: string;
  tenant: { id: string; vendor: string; state: string };
  coveredFrom: BusinessDate;
  coveredTo: BusinessDate;
  /** Users registered by the end of the period. */
  users: number;
  /** Devices holding a seat at the end of the period. */
  seatsAtEnd: number;
  devicesEnrolled: number;
  devicesReleased: number;
  /** Health of the devices holding a seat when the report was generated. */
  agentHealth: EdrAgentHealthCounts;
  agentHealthAsOf: string;
  /** The latest report from any of the tenant's agents, at generation time. */
  lastSeenAt: string | null;
}

/** One Tokyo day of the company's UTM events: every category, zero ones included. */
export interface UtmEventDay {
  date: BusinessDate;
  total: number;
  stopped: number;
  byCategory: Record<UtmCategory, number>;
}

/** The company's UTM events of the month, counted from the units' logs. */
export interface UtmEventsMonth extends Omit<UtmMonthFigures, 'byDay'> {
  /** Every day of the month (up to the generation day in a running month). */
  days: UtmEventDay[];
}

/** The monthly report as stored in monthly_reports.data and served by the API. */
export interface MonthlyReportData {
  schemaVersion: typeof MONTHLY_REPORT_SCHEMA_VERSION;
  month: ReportMonth;
  period: { firstDay: BusinessDate; lastDay: BusinessDate; timeZone: 'Asia/Tokyo' };
  /** False while the month is still running: the figures can still grow. */
  complete: boolean;
  company: { id: string; name: string; corporateNumber: string | null };
  trials: ReportTrial[];
  /** Per appliance: uptime, and the sampled per-minute figures of its health polls (secondary). */
  utm: UtmMonth[];
  edr: EdrMonth[];
  /** Detections and blocks of the month, from the events the units logged. */
  utmEvents: UtmEventsMonth;
  /** EDR threats the vendor created in the month, as they stand now. */
  edrThreats: EdrMonthFigures;
  incidents: IncidentMonthFigures;
  limitations: ReportLimitation[];
}
