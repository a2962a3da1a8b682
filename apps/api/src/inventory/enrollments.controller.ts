import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/audit';
import { EnrollmentService } from '@app/inventory';
import { Withdrawals } from '@app/provisioning';
import { mapPage, type Page } from '@app/persistence';
import { CurrentActor, Roles } from '../http/auth';
import { pageRequest } from '../http/page-query.dto';
import { uuidParam } from '../http/validation';
import {
  EnrollmentCreateDto,
  EnrollmentListQueryDto,
  EnrollmentResponseDto,
  EnrollmentWithdrawDto,
  SurveyDto,
  SurveyResultDto,
  toEnrollmentResponse,
} from './enrollment.dto';
import { ApiPageResponse } from '../http/page-response';

@ApiTags('enrollments')
@ApiBearerAuth()
@Controller('enrollments')
export class EnrollmentsController {
  constructor(
    private readonly enrollments: EnrollmentService,
    private readonly withdrawals: Withdrawals,
  ) {}

  @Post()
  @Roles('admin', 'sales')
  @ApiCreatedResponse({ type: EnrollmentResponseDto })
  async enroll(
    @CurrentActor() actor: Actor,
    @Body() body: EnrollmentCreateDto,
  ): Promise<EnrollmentResponseDto> {
    return toEnrollmentResponse(await this.enrollments.enroll(actor, body));
  }

  @Get()
  @ApiPageResponse(EnrollmentResponseDto)
  async list(@Query() query: EnrollmentListQueryDto): Promise<Page<EnrollmentResponseDto>> {
    const { limit: _limit, cursor: _cursor, ...filter } = query;
    return mapPage(await this.enrollments.list(filter, pageRequest(query)), toEnrollmentResponse);
  }

  @Get(':id')
  @ApiOkResponse({ type: EnrollmentResponseDto })
  async get(@Param('id', uuidParam()) id: string): Promise<EnrollmentResponseDto> {
    return toEnrollmentResponse(await this.enrollments.get(id));
  }

  @Put(':id/survey')
  @Roles('admin', 'technician')
  @ApiOkResponse({ type: SurveyResultDto })
  async survey(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Body() body: SurveyDto,
  ): Promise<SurveyResultDto> {
    const { enrollment, feasibility } = await this.enrollments.recordSurvey(actor, id, { ...body });
    return { ...feasibility, status: enrollment.status };
  }

  /**
   * withdrawn at once, or withdrawing while a lent appliance or EDR agents are on their way back
   * (the place is freed when they are back); a converted trial is refused.
   */
  @Post(':id/withdraw')
  @HttpCode(200)
  @Roles('admin', 'sales', 'secretariat')
  @ApiOkResponse({ type: EnrollmentResponseDto })
  async withdraw(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Body() body: EnrollmentWithdrawDto,
  ): Promise<EnrollmentResponseDto> {
    return toEnrollmentResponse(
      await this.withdrawals.withdrawEnrollment(actor, id, body.reason ?? null),
    );
  }
}
