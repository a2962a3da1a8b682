import { type MonthlyReportData } from '@app/reports';
import {
  bilingual,
  COURSE_LABELS,
  type Label,
  LABELS,
  LIMITATION_TEXTS,
  tokyoDateTime,
  trialStateLabel,
} from './monthly-report-labels';

/** Excel in Japan reads a CSV as Shift_JIS unless it starts with a UTF-8 byte order mark. */
export const UTF8_BOM = '\uFEFF';

type Cell = string | number | null;

/**
 * One cell: quoted when it holds a separator, a quote or a line break (RFC 4180). Text that Excel
 * would run as a formula (=, +, -, @ first) is prefixed with a quote: a company name is user input.
 */
export function csvCell(value: Cell): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const instant = (at: string | null): string | null => (at === null ? null : tokyoDateTime(at));

/**
 * The report as three columns (section, item, value), one figure a row: every figure of the report
 * fits whatever courses the company has, and the rows of many companies stack in one sheet.
 * Starts with the BOM; lines end with CRLF as Excel writes them.
 */
export function renderMonthlyReportCsv(report: MonthlyReportData, generatedAt: Date): string {
  const rows: Cell[][] = [[LABELS.section, LABELS.item, LABELS.value].map(bilingual)];
  const add = (section: Label | string, item: Label, value: Cell): void => {
    rows.push([typeof section === 'string' ? section : bilingual(section), bilingual(item), value]);
  };
  add(LABELS.summary, LABELS.company, report.company.name);
  add(LABELS.summary, LABELS.corporateNumber, report.company.corporateNumber);
  add(LABELS.summary, LABELS.month, report.month);
  add(LABELS.summary, LABELS.period, `${report.period.firstDay}〜${report.period.lastDay}`);
  add(LABELS.summary, LABELS.generatedAt, tokyoDateTime(generatedAt));
  add(
    LABELS.summary,
    LABELS.status,
    bilingual(report.complete ? LABELS.final : LABELS.provisional),
  );
  for (const trial of report.trials) {
    const section = `${bilingual(LABELS.trials)} ${bilingual(COURSE_LABELS[trial.course])}`;
    add(section, LABELS.trialPeriod, `${trial.startsOn}〜${trial.endsOn}`);
    add(section, LABELS.trialState, bilingual(trialStateLabel(trial.state)));
  }
  for (const utm of report.utm) {
    const section = `${bilingual(LABELS.utm)} ${utm.appliance.serial}`;
    add(section, LABELS.serial, utm.appliance.serial);
    add(section, LABELS.model, utm.appliance.model);
    add(section, LABELS.covered, `${utm.coveredFrom}〜${utm.coveredTo}`);
    const { sampledMinutes, intrusionsBlocked, virusesCaught } = utm.detections;
    add(section, LABELS.sampledMinutes, sampledMinutes);
    add(section, LABELS.minutesWithIntrusions, intrusionsBlocked.minutesWithDetections);
    add(section, LABELS.intrusionsPeak, intrusionsBlocked.peakPerMinute);
    add(section, LABELS.intrusionsPeakAt, instant(intrusionsBlocked.peakAt));
    add(section, LABELS.intrusionsAverage, intrusionsBlocked.averagePerMinute);
    add(section, LABELS.minutesWithViruses, virusesCaught.minutesWithDetections);
    add(section, LABELS.virusesPeak, virusesCaught.peakPerMinute);
    add(section, LABELS.virusesPeakAt, instant(virusesCaught.peakAt));
    add(section, LABELS.virusesAverage, virusesCaught.averagePerMinute);
    add(section, LABELS.uptime, utm.uptimePercent);
    add(section, LABELS.daysOffline, utm.daysOffline);
    add(section, LABELS.daysWithOutage, utm.daysWithOutage);
  }
  for (const edr of report.edr) {
    const section = `${bilingual(LABELS.edr)} ${edr.tenant.vendor}`;
    add(section, LABELS.covered, `${edr.coveredFrom}〜${edr.coveredTo}`);
    add(section, LABELS.users, edr.users);
    add(section, LABELS.seatsAtEnd, edr.seatsAtEnd);
    add(section, LABELS.devicesEnrolled, edr.devicesEnrolled);
    add(section, LABELS.devicesReleased, edr.devicesReleased);
    add(section, LABELS.healthy, edr.agentHealth.healthy);
    add(section, LABELS.degraded, edr.agentHealth.degraded);
    add(section, LABELS.unknown, edr.agentHealth.unknown);
    add(section, LABELS.lastSeenAt, edr.lastSeenAt ? tokyoDateTime(edr.lastSeenAt) : null);
    add(section, LABELS.edrDetections, bilingual(LABELS.notAvailable));
  }
  if (report.trials.length === 0) add(LABELS.summary, LABELS.trials, bilingual(LABELS.none));
  for (const limitation of report.limitations) {
    add(LABELS.notes, LABELS.notes, bilingual(LIMITATION_TEXTS[limitation]));
  }
  return UTF8_BOM + rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
