// Public API of @app/reports: monthly reports per company and Tokyo calendar month. Import the lib
// only through this file. It reads the fleet through inventory's and provisioning's public methods.

export { REPORT_LIMITATIONS, MONTHLY_REPORT_SCHEMA_VERSION } from './monthly-report-data';
export type {
  DayFigures,
  EdrMonth,
  MonthlyReportData,
  ReportLimitation,
  ReportTrial,
  SampledDetections,
  SampledFigure,
  UtmEventDay,
  UtmEventsMonth,
  UtmMonth,
} from './monthly-report-data';
export { MonthlyReportEntity } from './monthly-report.entity';
export { MonthlyReportService } from './monthly-report.service';
export type { MonthlyReportRun } from './monthly-report.service';
export {
  isFutureMonth,
  isReportMonth,
  monthPeriod,
  nextMonth,
  previousMonth,
  reportMonthOf,
} from './report-month';
export type { MonthPeriod, ReportMonth } from './report-month';
export { ReportsModule } from './reports.module';
export {
  MAILING_OUTCOMES,
  MonthlyReportMailingEntity,
} from './mailing/monthly-report-mailing.entity';
export type { MailingOutcome } from './mailing/monthly-report-mailing.entity';
export { MonthlyReportMailings } from './mailing/monthly-report-mailing.service';
export type {
  MonthlyReportMailingRun,
  MonthlyReportSend,
} from './mailing/monthly-report-mailing.service';
export { ReportsError } from './reports.errors';
export type { ReportsErrorCode } from './reports.errors';
export { renderMonthlyReportCsv } from './render/monthly-report-csv';
export { renderMonthlyReportHtml } from './render/monthly-report-html';
export { contentDisposition, reportFileName } from './render/monthly-report-labels';
