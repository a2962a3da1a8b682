import { type CsvCell as Cell, csvDocument } from '@app/inventory';
import { type MonthlyReportData } from '../monthly-report-data';
import {
  bilingual,
  CATEGORY_LABELS,
  COURSE_LABELS,
  duration,
  INCIDENT_STATE_LABELS,
  type Label,
  LABELS,
  LIMITATION_TEXTS,
  RESOLUTION_LABELS,
  SEVERITY_LABELS,
  tokyoDateTime,
  trialStateLabel,
  vendorTermLabel,
} from './monthly-report-labels';

// One writer of CSV cells for every document (`document-text` in inventory); the spec uses them.
export { csvCell, UTF8_BOM } from '@app/inventory';

const instant = (at: string | null): string | null => (at === null ? null : tokyoDateTime(at));

/**
 * The report as three columns (section, item, value), one figure a row: every figure of the report
 * fits whatever courses the company has, and the rows of many companies stack in one sheet.
 * Starts with the BOM; lines end with CRLF as Excel writes them.
 */
export function renderMonthlyReportCsv(report: MonthlyReportData, generatedAt: Date): string {
  const rows: Cell[][] = [[LABELS.section, LABELS.item, LABELS.value].map(bilingual)];
  const add = (section: Label | string, item: Label | string, value: Cell): void => {
    const text = (name: Label | string): string =>
      typeof name === 'string' ? name : bilingual(name);
    rows.push([text(section), text(item), value]);
  };
  /** `name: what`, in both languages. */
  const of = (name: Label, what: Label): Label => [
    `${name[0]}：${what[0]}`,
    `${name[1]}: ${what[1]}`,
  ];
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
  const events = report.utmEvents;
  add(LABELS.utmEvents, LABELS.detected, events.total);
  add(LABELS.utmEvents, LABELS.blocked, events.stopped);
  for (const row of events.byCategory) {
    add(LABELS.utmEvents, of(CATEGORY_LABELS[row.category], LABELS.detected), row.total);
    add(LABELS.utmEvents, of(CATEGORY_LABELS[row.category], LABELS.blocked), row.stopped);
  }
  events.topSignatures.forEach((row, index) => {
    const item = `${index + 1}. ${row.signature} (${bilingual(CATEGORY_LABELS[row.category])})`;
    add(LABELS.topThreats, item, row.total);
  });
  for (const day of events.days) {
    add(LABELS.dailyEvents, of([day.date, day.date], LABELS.detected), day.total);
    add(LABELS.dailyEvents, of([day.date, day.date], LABELS.blocked), day.stopped);
  }
  const edr = report.edrThreats;
  add(LABELS.edrThreats, LABELS.threats, edr.total);
  add(LABELS.edrThreats, LABELS.mitigated, edr.mitigated);
  for (const row of edr.byClassification) {
    const name = vendorTermLabel(row.classification);
    add(LABELS.edrThreats, of(LABELS.classification, name), row.total);
    add(LABELS.edrThreats, of(name, LABELS.mitigated), row.mitigated);
  }
  for (const row of edr.byMitigationStatus) {
    add(LABELS.edrThreats, of(LABELS.mitigationStatus, vendorTermLabel(row.status)), row.total);
  }
  for (const row of edr.remoteRemovals) {
    const name = of(LABELS.remoteRemovals, vendorTermLabel(row.action));
    add(LABELS.edrThreats, of(name, LABELS.requested), row.requested);
    add(LABELS.edrThreats, of(name, LABELS.accepted), row.accepted);
  }
  const incidents = report.incidents;
  add(LABELS.incidents, LABELS.opened, incidents.opened);
  for (const [severity, name] of Object.entries(SEVERITY_LABELS)) {
    add(
      LABELS.incidents,
      of(LABELS.opened, name),
      incidents.openedBySeverity[severity as keyof typeof SEVERITY_LABELS],
    );
  }
  add(LABELS.incidents, LABELS.resolved, incidents.resolved);
  for (const [resolution, name] of Object.entries(RESOLUTION_LABELS)) {
    add(
      LABELS.incidents,
      of(LABELS.resolved, name),
      incidents.resolvedByResolution[resolution as keyof typeof RESOLUTION_LABELS],
    );
  }
  add(LABELS.incidents, LABELS.openAtEnd, incidents.openAtEnd);
  for (const [name, figures] of [
    [LABELS.timeToAcknowledge, incidents.timeToAcknowledge],
    [LABELS.timeToResolve, incidents.timeToResolve],
  ] as const) {
    add(
      LABELS.incidents,
      name,
      figures.incidents === 0
        ? null
        : `${duration(figures.medianSeconds)} / ${duration(figures.meanSeconds)}`,
    );
  }
  for (const incident of incidents.listed) {
    add(
      LABELS.incidentList,
      `${tokyoDateTime(incident.openedAt)} ${incident.title}`,
      [
        bilingual(SEVERITY_LABELS[incident.severity]),
        bilingual(INCIDENT_STATE_LABELS[incident.state]),
        incident.resolution ? bilingual(RESOLUTION_LABELS[incident.resolution]) : '',
      ].join(' / '),
    );
  }
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
  for (const tenant of report.edr) {
    const section = `${bilingual(LABELS.edr)} ${tenant.tenant.vendor}`;
    add(section, LABELS.covered, `${tenant.coveredFrom}〜${tenant.coveredTo}`);
    add(section, LABELS.users, tenant.users);
    add(section, LABELS.seatsAtEnd, tenant.seatsAtEnd);
    add(section, LABELS.devicesEnrolled, tenant.devicesEnrolled);
    add(section, LABELS.devicesReleased, tenant.devicesReleased);
    add(section, LABELS.healthy, tenant.agentHealth.healthy);
    add(section, LABELS.degraded, tenant.agentHealth.degraded);
    add(section, LABELS.unknown, tenant.agentHealth.unknown);
    add(section, LABELS.lastSeenAt, tenant.lastSeenAt ? tokyoDateTime(tenant.lastSeenAt) : null);
  }
  if (report.trials.length === 0) add(LABELS.summary, LABELS.trials, bilingual(LABELS.none));
  for (const limitation of report.limitations) {
    add(LABELS.notes, LABELS.notes, bilingual(LIMITATION_TEXTS[limitation]));
  }
  return csvDocument(rows);
}
