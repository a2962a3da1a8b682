import type { BusinessDate } from '@app/inventory';
import type { ReportMonth } from './report-month';

/** Bumped when the stored `data` changes shape, so readers of old rows can tell. */
export const MONTHLY_REPORT_SCHEMA_VERSION = 1;

/**
 * What a report cannot say, stated in the report itself rather than left as a silent gap:
 * - `edr_detections_not_recorded`: the controller keeps EDR seats and agent health, not the
 *   vendor's detections, so the EDR section has no detection count yet.
 * - `edr_health_is_snapshot`: agent health is the state when the report was generated, not a
 *   history over the month (edr_devices keeps only the latest health and last_seen_at).
 * - `utm_not_polled`: an appliance had no health poll in the period, so it has no uptime.
 */
export const REPORT_LIMITATIONS = [
  'edr_detections_not_recorded',
  'edr_health_is_snapshot',
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

export interface DayFigures {
  date: BusinessDate;
  virusesCaught: number;
  threatsBlocked: number;
  detections: number;
  /** Null on a day without any poll. */
  uptimePercent: number | null;
}

export interface BiggestDay {
  date: BusinessDate;
  virusesCaught: number;
  threatsBlocked: number;
  detections: number;
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
  virusesCaught: number;
  /** Intrusions (IPS attacks) blocked. */
  threatsBlocked: number;
  detections: number;
  /** Times the counters went down: the appliance restarted. */
  counterResets: number;
  uptimePercent: number | null;
  polledHours: number;
  daysPolled: number;
  daysOffline: number;
  daysWithOutage: number;
  biggestDay: BiggestDay | null;
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
  /** Not recorded by the controller yet: see `edr_detections_not_recorded`. */
  detections: null;
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
  utm: UtmMonth[];
  edr: EdrMonth[];
  limitations: ReportLimitation[];
}
