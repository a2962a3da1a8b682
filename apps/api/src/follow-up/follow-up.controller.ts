import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Actor } from '@app/audit';
import {
  HearingService,
  OUTCOME_REPORT_STYLE_HASH,
  OutcomeReportService,
  outcomeReportCsv,
  outcomeReportHtml,
  QuestionnaireService,
  type SurveyParticipant,
  surveyListCsv,
} from '@app/follow-up';
import { Clock, ProgramService, tokyoDate } from '@app/inventory';
import { mapPage, MAX_PAGE_LIMIT, type Page } from '@app/persistence';
import { CurrentActor, Roles } from '../http/auth';
import { pageRequest } from '../http/page-query.dto';
import { ApiPageResponse } from '../http/page-response';
import { uuidParam } from '../http/validation';
import {
  HearingChooseDto,
  HearingListDto,
  OutcomeReportDto,
  QuestionnaireRunDto,
  QuestionnaireSendDto,
  QuestionnaireSummaryDto,
  SurveyParticipantDto,
  SurveyQueryDto,
  toHearingParticipant,
  toSurveyParticipant,
} from './follow-up.dto';

/** A download's file name: ASCII for old clients, the programme code is ours (no user text). */
function attachment(name: string): string {
  return `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, '_')}"`;
}

/**
 * After the support, per programme: the questionnaire run and its summary, the next year's survey
 * list, the hearing, and the anonymised outcome report Tokyo publishes.
 */
@ApiTags('follow-up')
@ApiBearerAuth()
@Controller('programs/:code')
export class FollowUpController {
  constructor(
    private readonly programs: ProgramService,
    private readonly questionnaires: QuestionnaireService,
    private readonly hearings: HearingService,
    private readonly outcome: OutcomeReportService,
    private readonly clock: Clock,
  ) {}

  @Post('questionnaires/send')
  @HttpCode(200)
  @Roles('admin', 'secretariat')
  @ApiOperation({
    summary: 'Create and mail the questionnaires now (the worker does it every morning)',
    description:
      'One per company whose support ended on or before asOf; idempotent. 404 PROGRAM_NOT_FOUND.',
  })
  @ApiOkResponse({ type: QuestionnaireRunDto })
  async send(
    @CurrentActor() actor: Actor,
    @Param('code') code: string,
    @Body() body: QuestionnaireSendDto,
  ): Promise<QuestionnaireRunDto> {
    const program = await this.programs.getByCode(code);
    return this.questionnaires.sendDue(actor, body.asOf ?? tokyoDate(this.clock.now()), program.id);
  }

  @Get('questionnaire-summary')
  @Roles('admin', 'secretariat')
  @ApiOperation({ summary: 'Sent, answered, response rate and each question summed up' })
  @ApiOkResponse({ type: QuestionnaireSummaryDto })
  async summary(@Param('code') code: string): Promise<QuestionnaireSummaryDto> {
    const program = await this.programs.getByCode(code);
    return this.questionnaires.summary(program.id);
  }

  @Get('follow-up-survey')
  @Roles('admin', 'secretariat')
  @ApiOperation({
    summary: "Companies that agreed to next year's survey, with their contacts (unless erased)",
    description: '?format=csv downloads every one as CSV (UTF-8 with a BOM).',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiPageResponse(SurveyParticipantDto)
  async survey(
    @Param('code') code: string,
    @Query() query: SurveyQueryDto,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<Page<SurveyParticipantDto> | string> {
    if (query.format === 'csv') return this.surveyCsv(code, response);
    const program = await this.programs.getByCode(code);
    return mapPage(
      await this.questionnaires.surveyParticipants(program.id, pageRequest(query)),
      toSurveyParticipant,
    );
  }

  @Get('follow-up-survey.csv')
  @Roles('admin', 'secretariat')
  @ApiOperation({ summary: "Next year's survey list as CSV (UTF-8 with a BOM)" })
  @ApiProduces('text/csv')
  async surveyCsvRoute(
    @Param('code') code: string,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<string> {
    return this.surveyCsv(code, response);
  }

  @Post('hearings')
  @Roles('admin', 'secretariat')
  @ApiOperation({
    summary: 'Choose companies for the hearing (all or none)',
    description:
      'Only companies that agreed to a hearing; at most the programme’s hearingCompanies in all. ' +
      '422 HEARING_NOT_CONSENTED (details.companyIds), 409 HEARING_FULL (details.limit, chosen), ' +
      '404 PROGRAM_NOT_FOUND. Answers the hearing list.',
  })
  @ApiCreatedResponse({ type: HearingListDto })
  @ApiConflictResponse({ description: 'HEARING_FULL' })
  @ApiUnprocessableEntityResponse({ description: 'HEARING_NOT_CONSENTED' })
  async choose(
    @CurrentActor() actor: Actor,
    @Param('code') code: string,
    @Body() body: HearingChooseDto,
  ): Promise<HearingListDto> {
    const program = await this.programs.getByCode(code);
    const chosen = await this.hearings.choose(
      actor,
      program.id,
      program.hearingCompanies,
      body.companyIds,
    );
    return { items: chosen.map(toHearingParticipant), nextCursor: null };
  }

  @Get('hearings')
  @Roles('admin', 'secretariat')
  @ApiOperation({ summary: 'The companies chosen for the hearing, first chosen first' })
  @ApiOkResponse({ type: HearingListDto })
  async listHearings(@Param('code') code: string): Promise<HearingListDto> {
    const program = await this.programs.getByCode(code);
    return {
      items: (await this.hearings.list(program.id)).map(toHearingParticipant),
      nextCursor: null,
    };
  }

  @Delete('hearings/:companyId')
  @HttpCode(204)
  @Roles('admin', 'secretariat')
  @ApiOperation({ summary: 'Take a company off the hearing; 404 HEARING_NOT_FOUND' })
  @ApiNoContentResponse()
  async removeHearing(
    @CurrentActor() actor: Actor,
    @Param('code') code: string,
    @Param('companyId', uuidParam('companyId')) companyId: string,
  ): Promise<void> {
    const program = await this.programs.getByCode(code);
    await this.hearings.remove(actor, program.id, companyId);
  }

  @Get('outcome-report')
  @Roles('admin', 'secretariat', 'sales')
  @ApiOperation({
    summary: 'The programme’s outcome report: anonymised aggregates only',
    description: 'No company, person or id; the questionnaire’s comments are only counted.',
  })
  @ApiOkResponse({ type: OutcomeReportDto })
  async outcomeReport(@Param('code') code: string): Promise<OutcomeReportDto> {
    return this.outcome.build(code);
  }

  @Get('outcome-report.csv')
  @Roles('admin', 'secretariat', 'sales')
  @ApiOperation({ summary: 'The outcome report as CSV: section, item, label, value' })
  @ApiProduces('text/csv')
  async outcomeReportCsv(
    @Param('code') code: string,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<string> {
    const report = await this.outcome.build(code);
    void response.header('Content-Type', 'text/csv; charset=utf-8');
    void response.header('Content-Disposition', attachment(`outcome-report-${code}.csv`));
    return outcomeReportCsv(report);
  }

  @Get('outcome-report.html')
  @Roles('admin', 'secretariat', 'sales')
  @ApiOperation({ summary: 'The outcome report as a printable A4 page (Japanese)' })
  @ApiProduces('text/html')
  async outcomeReportHtml(
    @Param('code') code: string,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<string> {
    const report = await this.outcome.build(code);
    void response.header('Content-Type', 'text/html; charset=utf-8');
    // Nothing from anywhere, no script: only the page's own stylesheet, allowed by its hash.
    void response.header(
      'Content-Security-Policy',
      `default-src 'none'; style-src ${OUTCOME_REPORT_STYLE_HASH}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    );
    return outcomeReportHtml(report);
  }

  private async surveyCsv(code: string, response: FastifyReply): Promise<string> {
    const program = await this.programs.getByCode(code);
    const all: SurveyParticipant[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<SurveyParticipant> = await this.questionnaires.surveyParticipants(
        program.id,
        { limit: MAX_PAGE_LIMIT, cursor },
      );
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    void response.header('Content-Type', 'text/csv; charset=utf-8');
    void response.header('Content-Disposition', attachment(`follow-up-survey-${code}.csv`));
    return surveyListCsv(all);
  }
}
