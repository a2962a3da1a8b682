import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiProperty,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import type { FastifyReply } from 'fastify';
import type { Actor } from '@app/audit';
import {
  GROUP_REPORT_CSS,
  type GroupReport,
  groupReportCsv,
  groupReportHtml,
  GroupReportService,
} from '@app/groups';
import { printablePagePolicy } from '@app/inventory';
import { CurrentActor, Roles } from '../http/auth';
import { uuidParam } from '../http/validation';

export class GroupReportQueryDto {
  @ApiProperty({ description: 'The fiscal year (April to March): 2019 is 2019-04-01..2020-03-31' })
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  fiscalYear: number;
}

const object = { type: 'object', additionalProperties: true } as const;
const objects = { type: 'array', items: { type: 'object', additionalProperties: true } } as const;

export class GroupReportDto {
  @ApiProperty({ ...object, description: '{id, name}' }) group: object;
  @ApiProperty({ ...object, description: '{code, name}' }) program: object;
  @ApiProperty({ ...object, description: '{fiscalYear, firstDay, lastDay}' }) fiscalYear: object;
  @ApiProperty() generatedAt: string;
  @ApiProperty({
    ...objects,
    description:
      'Per member company (named), in order of joining: {companyId, name, joinedOn, ' +
      'trials: {utm, edr: {run, started, active, ended, converted}}, devices: ' +
      '{appliancesInstalled, edrDevicesEnrolled}, detections: {utm, edr: {total, stopped}}, ' +
      'incidents: {total, bySeverity}}',
  })
  members: object[];
  @ApiProperty({ ...object, description: "The members' figures summed (same shape, no name)" })
  total: object;
  @ApiProperty({
    ...object,
    description:
      "The coordinator's costs of the year: {startsOn, endsOn, capYen, spentYen, remainingYen, " +
      'byCategory, allYears: {capYen, spentYen}}',
  })
  costs: object;
  @ApiProperty({
    ...object,
    description:
      'Purchase subsidies so far: {capYen, grantedYen, remainingYen, purchases, priceYen}',
  })
  subsidies: object;
}

/** A download's file name: ASCII only (the group's name is user text, so it is not used). */
function attachment(name: string): string {
  return `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, '_')}"`;
}

const READERS = ['admin', 'coordinator', 'support', 'sales', 'secretariat'] as const;
const ABOUT =
  'Per fiscal year: the members’ trials per course, devices lent, detections and incidents per ' +
  'member (named), the coordinator’s costs against the year’s cap, purchase subsidies. A ' +
  'coordinator sees only its own group (any other is 404 GROUP_NOT_FOUND); 422 ' +
  'OUTSIDE_SUPPORT_PERIOD for a year the programme gives no support in.';

/** The report for the federation (連合会) on a group's fiscal year: JSON, CSV, printable HTML. */
@ApiTags('groups')
@ApiBearerAuth()
@Controller('groups/:id')
export class GroupReportController {
  constructor(private readonly reports: GroupReportService) {}

  @Get('report')
  @Roles(...READERS)
  @ApiOperation({
    summary: "A group's report for the federation, one fiscal year",
    description: ABOUT,
  })
  @ApiOkResponse({ type: GroupReportDto })
  @ApiNotFoundResponse({ description: 'GROUP_NOT_FOUND' })
  @ApiUnprocessableEntityResponse({ description: 'OUTSIDE_SUPPORT_PERIOD' })
  async report(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Query() query: GroupReportQueryDto,
  ): Promise<GroupReport> {
    return this.reports.build(actor, id, query.fiscalYear);
  }

  @Get('report.csv')
  @Roles(...READERS)
  @ApiOperation({
    summary: 'The report as CSV: section, member, item, label, value (UTF-8 with a BOM)',
    description: ABOUT,
  })
  @ApiProduces('text/csv')
  async reportCsv(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Query() query: GroupReportQueryDto,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<string> {
    const report = await this.reports.build(actor, id, query.fiscalYear);
    void response.header('Content-Type', 'text/csv; charset=utf-8');
    void response.header(
      'Content-Disposition',
      attachment(`group-report-${id}-fy${query.fiscalYear}.csv`),
    );
    return groupReportCsv(report);
  }

  @Get('report.html')
  @Roles(...READERS)
  @ApiOperation({ summary: 'The report as a printable A4 page (Japanese)', description: ABOUT })
  @ApiProduces('text/html')
  async reportHtml(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Query() query: GroupReportQueryDto,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<string> {
    const report = await this.reports.build(actor, id, query.fiscalYear);
    void response.header('Content-Type', 'text/html; charset=utf-8');
    void response.header('Content-Security-Policy', printablePagePolicy(GROUP_REPORT_CSS));
    return groupReportHtml(report);
  }
}
