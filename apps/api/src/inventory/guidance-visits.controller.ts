import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Actor } from '@app/audit';
import { GuidanceService, renderManagementProgressCsv } from '@app/inventory';
import type { Page } from '@app/persistence';
import { CurrentActor, Roles } from '../http/auth';
import { pageRequest } from '../http/page-query.dto';
import { ApiPageResponse } from '../http/page-response';
import { uuidParam } from '../http/validation';
import {
  GuidanceVisitCreateDto,
  GuidanceVisitListDto,
  ManagementProgressDto,
  ManagementProgressQueryDto,
  RecordedVisitResponseDto,
  toGuidanceVisitResponse,
  toTwoStarDeclarationResponse,
  TwoStarDeclarationDto,
  TwoStarDeclarationResponseDto,
} from './guidance-visit.dto';

/** The management course (支援③): guidance sessions, the two-star declaration, the progress. */
@ApiTags('management course')
@ApiBearerAuth()
@Controller()
export class GuidanceVisitsController {
  constructor(private readonly guidance: GuidanceService) {}

  @Post('enrollments/:id/guidance-visits')
  @Roles('admin', 'secretariat', 'technician')
  @ApiOperation({
    summary: 'Record a guidance session that was held',
    description:
      'Numbered 1..N (the programme’s guidance visits, 4 for FY2024) in the order recorded; the first ' +
      'starts the support, the N-th completes the course. 409 ENROLLMENT_NOT_CONFIRMED (course not ' +
      'decided yet), ENROLLMENT_WITHDRAWN, GUIDANCE_COMPLETE; 422 NOT_MANAGEMENT_COURSE, ' +
      'NOT_A_BUSINESS_DAY (details.nextOfficeDay), GUIDANCE_DATE_IN_FUTURE, GUIDANCE_DATE_TOO_EARLY ' +
      '(before the application or the previous session; details.earliest).',
  })
  @ApiCreatedResponse({ type: RecordedVisitResponseDto })
  async record(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Body() body: GuidanceVisitCreateDto,
  ): Promise<RecordedVisitResponseDto> {
    const { visit, progress } = await this.guidance.recordVisit(actor, id, body);
    return { ...toGuidanceVisitResponse(visit), progress };
  }

  @Get('enrollments/:id/guidance-visits')
  @ApiOperation({ summary: 'The enrolment’s guidance sessions in number order, and its progress' })
  @ApiOkResponse({ type: GuidanceVisitListDto })
  async list(@Param('id', uuidParam()) id: string): Promise<GuidanceVisitListDto> {
    const { visits, progress } = await this.guidance.visits(id);
    return { items: visits.map(toGuidanceVisitResponse), nextCursor: null, progress };
  }

  @Post('enrollments/:id/two-star-declaration')
  @HttpCode(200)
  @Roles('admin', 'secretariat', 'technician')
  @ApiOperation({
    summary: 'Record the company’s SECURITY ACTION two-star declaration',
    description:
      'On or after the first guidance session, not in the future; the same date again changes nothing, ' +
      'another corrects it. 409 ENROLLMENT_NOT_CONFIRMED, ENROLLMENT_WITHDRAWN; 422 ' +
      'NOT_MANAGEMENT_COURSE, GUIDANCE_DATE_IN_FUTURE, DECLARATION_BEFORE_GUIDANCE.',
  })
  @ApiOkResponse({ type: TwoStarDeclarationResponseDto })
  async declare(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Body() body: TwoStarDeclarationDto,
  ): Promise<TwoStarDeclarationResponseDto> {
    return toTwoStarDeclarationResponse(await this.guidance.declareTwoStar(actor, id, body));
  }

  @Get('programs/:code/management-progress')
  @ApiOperation({
    summary:
      'Per company, the programme’s management course: sessions, topics, completion, two stars',
    description:
      'The management enrolments holding a place, oldest first. ?format=csv downloads every company ' +
      'as a CSV (UTF-8 with a BOM for Excel). 404 PROGRAM_NOT_FOUND.',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiPageResponse(ManagementProgressDto)
  async progress(
    @Param('code') code: string,
    @Query() query: ManagementProgressQueryDto,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<Page<ManagementProgressDto> | string> {
    if (query.format === 'csv') {
      const { items } = await this.guidance.managementProgress(code, null);
      void response.header('Content-Type', 'text/csv; charset=utf-8');
      // The code is lowercase letters, digits and dashes (POST /programs): safe in a file name.
      void response.header(
        'Content-Disposition',
        `attachment; filename="management-progress-${encodeURIComponent(code)}.csv"`,
      );
      return renderManagementProgressCsv(items);
    }
    return this.guidance.managementProgress(code, pageRequest(query));
  }
}
