import { Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Actor } from '@app/audit';
import {
  contentDisposition,
  type MonthlyReportEntity,
  MonthlyReportMailings,
  MonthlyReportService,
  renderMonthlyReportCsv,
  renderMonthlyReportHtml,
} from '@app/reports';
import { CurrentActor, Roles } from '../http/auth';
import {
  MonthlyReportParamsDto,
  MonthlyReportQueryDto,
  MonthlyReportResponseDto,
  MonthlyReportSendResponseDto,
  type ReportFormat,
  toMonthlyReportResponse,
} from './monthly-report.dto';

/** The monthly report promised to each company (月次レポート): detections, blocks, uptime. */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('companies/:id/reports')
export class MonthlyReportsController {
  constructor(
    private readonly reports: MonthlyReportService,
    private readonly mailings: MonthlyReportMailings,
  ) {}

  @Get(':month')
  @Roles('admin', 'support', 'sales')
  @ApiOperation({
    summary: "A company's monthly report (Asia/Tokyo calendar month)",
    description:
      'The stored report once the month is over; a running or never-generated month is generated now. ' +
      '?format=csv downloads a CSV (UTF-8 with a BOM), ?format=html a printable A4 page. ' +
      '400 VALIDATION_FAILED for a malformed or future month, 404 COMPANY_NOT_FOUND.',
  })
  @ApiProduces('application/json', 'text/csv', 'text/html')
  @ApiOkResponse({ type: MonthlyReportResponseDto })
  async get(
    @CurrentActor() actor: Actor,
    @Param() params: MonthlyReportParamsDto,
    @Query() query: MonthlyReportQueryDto,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<MonthlyReportResponseDto | string> {
    const report = await this.reports.view(actor, params.id, params.month);
    return present(report, query.format ?? 'json', response);
  }

  @Post(':month')
  @Roles('admin', 'support')
  @ApiOperation({ summary: 'Regenerate the report now, replacing the stored one' })
  async regenerate(
    @CurrentActor() actor: Actor,
    @Param() params: MonthlyReportParamsDto,
  ): Promise<MonthlyReportResponseDto> {
    return toMonthlyReportResponse(await this.reports.generate(actor, params.id, params.month));
  }

  @Post(':month/send')
  @Roles('admin', 'support')
  @HttpCode(202)
  @ApiOperation({
    summary: "Mail the report, as PDF, to the company's contact again",
    description:
      'Queues the mail now (the report is generated first if the month has none); the delivery shows in ' +
      'GET /mail-deliveries?subjectId=<reportId>. 422 COMPANY_CONTACT_MISSING when the company has no ' +
      'contact email; 400 VALIDATION_FAILED for a malformed or future month; 404 COMPANY_NOT_FOUND.',
  })
  @ApiAcceptedResponse({ type: MonthlyReportSendResponseDto })
  async send(
    @CurrentActor() actor: Actor,
    @Param() params: MonthlyReportParamsDto,
  ): Promise<MonthlyReportSendResponseDto> {
    return this.mailings.send(actor, params.id, params.month);
  }
}

function present(
  report: MonthlyReportEntity,
  format: ReportFormat,
  response: FastifyReply,
): MonthlyReportResponseDto | string {
  switch (format) {
    case 'json':
      return toMonthlyReportResponse(report);
    case 'csv':
      void response.header('Content-Type', 'text/csv; charset=utf-8');
      void response.header(
        'Content-Disposition',
        contentDisposition(report.data.company.name, report.month, 'csv'),
      );
      return renderMonthlyReportCsv(report.data, report.generatedAt);
    case 'html':
      void response.header('Content-Type', 'text/html; charset=utf-8');
      // The page needs nothing from anywhere: forbid it all, inline styles aside.
      void response.header(
        'Content-Security-Policy',
        "default-src 'none'; style-src 'unsafe-inline'",
      );
      return renderMonthlyReportHtml(report.data, report.generatedAt);
  }
}
