import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsUUID, Matches } from 'class-validator';
import {
  MONTHLY_REPORT_SCHEMA_VERSION,
  type MonthlyReportData,
  type MonthlyReportEntity,
  REPORT_LIMITATIONS,
} from '@app/reports';
import { IsOmittable } from '../http/omittable';

export const REPORT_FORMATS = ['json', 'csv', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export class MonthlyReportParamsDto {
  @ApiProperty({ format: 'uuid', description: 'The company' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id: string;

  @ApiProperty({
    example: '2025-01',
    description: 'Calendar month in Asia/Tokyo, not in the future',
  })
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'month must be a calendar month YYYY-MM' })
  month: string;
}

export class MonthlyReportQueryDto {
  @ApiPropertyOptional({
    enum: REPORT_FORMATS,
    default: 'json',
    description: 'csv: UTF-8 with a BOM for Excel, as a download; html: a printable A4 page',
  })
  @IsOmittable()
  @IsIn(REPORT_FORMATS)
  format?: ReportFormat;
}

const objects = { type: 'array', items: { type: 'object', additionalProperties: true } } as const;

export class MonthlyReportResponseDto {
  @ApiProperty() companyId: string;
  @ApiProperty({ example: '2025-01' }) month: string;
  @ApiProperty() generatedAt: string;
  @ApiProperty({
    description: 'False while the month is still running: the figures are provisional',
  })
  complete: boolean;
  @ApiProperty({
    description: `Shape of the figures; ${MONTHLY_REPORT_SCHEMA_VERSION} since the threat figures are counted from the stored events`,
  })
  schemaVersion: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: '{firstDay, lastDay, timeZone}',
  })
  period: MonthlyReportData['period'];
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: '{id, name, corporateNumber}',
  })
  company: MonthlyReportData['company'];
  @ApiProperty({
    ...objects,
    description: 'Trials whose dates overlap the month: {id, course, startsOn, endsOn, state}',
  })
  trials: MonthlyReportData['trials'];
  @ApiProperty({
    ...objects,
    description:
      "Per loaned appliance: appliance {serial, model}; detections (secondary): samples of the unit's per-minute counts " +
      'read at each health poll, never totals (limitation utm_detections_sampled; totals are in utmEvents): {sampledMinutes, ' +
      'intrusionsBlocked and virusesCaught each {minutesWithDetections, peakPerMinute, peakAt, averagePerMinute}}; ' +
      'uptimePercent (share of polled time reachable; null if never polled), daysOffline, daysWithOutage, ' +
      'days[] (per Tokyo day: date, detections as above, uptimePercent)',
  })
  utm: MonthlyReportData['utm'];
  @ApiProperty({
    ...objects,
    description:
      'Per EDR tenant: users, seatsAtEnd, devicesEnrolled, devicesReleased, agentHealth (at generation)',
  })
  edr: MonthlyReportData['edr'];
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      "The company's UTM events of the month, from its units' logs: total, stopped (blocked), " +
      'byCategory[] {category, total, stopped} (virus, intrusion, web_filter, app_control, botnet, email_filter), ' +
      'topSignatures[] {category, signature, total, stopped}, days[] {date, total, stopped, byCategory} for every Tokyo day',
  })
  utmEvents: MonthlyReportData['utmEvents'];
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'EDR threats the vendor created in the month, as they stand now: total, mitigated, ' +
      'byClassification[] {classification, total, mitigated}, byMitigationStatus[] {status, total}, ' +
      "remoteRemovals[] {action, requested, accepted} (the desk's removals asked for in the month)",
  })
  edrThreats: MonthlyReportData['edrThreats'];
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'Incidents: opened, openedBySeverity, resolved, resolvedByResolution, timeToAcknowledge and ' +
      'timeToResolve {incidents, medianSeconds, meanSeconds}, openAtEnd, listed[] (opened in the month, as they stood at its end)',
  })
  incidents: MonthlyReportData['incidents'];
  @ApiProperty({
    type: 'array',
    items: { type: 'string', enum: [...REPORT_LIMITATIONS] },
    description: 'What the data cannot say',
  })
  limitations: MonthlyReportData['limitations'];
}

export function toMonthlyReportResponse(report: MonthlyReportEntity): MonthlyReportResponseDto {
  const { data } = report;
  return {
    companyId: report.companyId,
    month: report.month,
    generatedAt: report.generatedAt.toISOString(),
    complete: data.complete,
    schemaVersion: data.schemaVersion,
    period: data.period,
    company: data.company,
    trials: data.trials,
    utm: data.utm,
    edr: data.edr,
    utmEvents: data.utmEvents,
    edrThreats: data.edrThreats,
    incidents: data.incidents,
    limitations: data.limitations,
  };
}

export class MonthlyReportSendResponseDto {
  @ApiProperty({ format: 'uuid' }) companyId: string;
  @ApiProperty({ example: '2025-01' }) month: string;
  @ApiProperty({ format: 'uuid' }) reportId: string;
  @ApiProperty({ example: 'it@example.co.jp' }) recipient: string;
  @ApiProperty({ format: 'uuid', description: 'The queued mail delivery' }) mailDeliveryId: string;
}
