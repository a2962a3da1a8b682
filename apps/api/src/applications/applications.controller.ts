import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/audit';
import { SecretariatService } from '@app/inventory';
import { mapPage, type Page } from '@app/persistence';
import { CurrentActor, Roles } from '../http/auth';
import { pageRequest } from '../http/page-query.dto';
import { ApiPageResponse } from '../http/page-response';
import { uuidParam } from '../http/validation';
import { SurveyDto } from '../inventory/enrollment.dto';
import {
  ApplicationDetailDto,
  ApplicationListQueryDto,
  ApplicationQueueItemDto,
  ApplicationStepDto,
  ApprovalDto,
  CallCreateDto,
  CallResponseDto,
  DecisionDto,
  DiagnosisBookingDto,
  DiagnosisResultDto,
  ExpertDto,
  TermsDto,
  toCallResponse,
  toDetailResponse,
  toQueueItemResponse,
  toStepResponse,
} from './application.dto';

/** The secretariat's queue of web applications and its steps on each (guidelines 7, 10(1)). */
@ApiTags('applications')
@ApiBearerAuth()
@Roles('admin', 'secretariat')
@Controller('applications')
export class ApplicationsController {
  constructor(private readonly secretariat: SecretariatService) {}

  @Get()
  @ApiPageResponse(ApplicationQueueItemDto)
  async list(@Query() query: ApplicationListQueryDto): Promise<Page<ApplicationQueueItemDto>> {
    const { limit: _limit, cursor: _cursor, overdue, ...filter } = query;
    const page = await this.secretariat.list(
      { ...filter, overdue: overdue === undefined ? undefined : overdue === 'true' },
      pageRequest(query),
    );
    return mapPage(page, toQueueItemResponse);
  }

  @Get(':id')
  @ApiOkResponse({ type: ApplicationDetailDto })
  async get(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
  ): Promise<ApplicationDetailDto> {
    return toDetailResponse(await this.secretariat.view(actor, id));
  }

  @Post(':id/calls')
  @ApiCreatedResponse({ type: CallResponseDto })
  async call(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Body() body: CallCreateDto,
  ): Promise<CallResponseDto> {
    const call = await this.secretariat.recordCall(actor, id, {
      caller: body.caller,
      channel: body.channel,
      outcome: body.outcome,
      calledAt: body.calledAt === undefined ? undefined : new Date(body.calledAt),
      note: body.note ?? null,
    });
    return toCallResponse(call);
  }

  @Post(':id/terms')
  @HttpCode(200)
  @ApiOkResponse({ type: ApplicationStepDto })
  async terms(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Body() body: TermsDto,
  ): Promise<ApplicationStepDto> {
    const result = await this.secretariat.acceptTerms(actor, id, {
      acceptedBy: body.acceptedBy,
      acceptedAt: body.acceptedAt === undefined ? undefined : new Date(body.acceptedAt),
      version: body.version,
    });
    return toStepResponse(result);
  }

  @Post(':id/expert')
  @HttpCode(200)
  @ApiOkResponse({ type: ApplicationStepDto })
  async expert(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Body() body: ExpertDto,
  ): Promise<ApplicationStepDto> {
    return toStepResponse(await this.secretariat.assignExpert(actor, id, body.name));
  }

  @Post(':id/diagnosis/booking')
  @HttpCode(200)
  @ApiOkResponse({ type: ApplicationStepDto })
  async bookDiagnosis(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Body() body: DiagnosisBookingDto,
  ): Promise<ApplicationStepDto> {
    return toStepResponse(await this.secretariat.bookDiagnosis(actor, id, { ...body }));
  }

  @Put(':id/diagnosis')
  @ApiOkResponse({ type: DiagnosisResultDto })
  async diagnosis(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Body() body: SurveyDto,
  ): Promise<DiagnosisResultDto> {
    const { feasibility } = await this.secretariat.recordDiagnosis(actor, id, { ...body });
    return feasibility;
  }

  @Post(':id/decision')
  @HttpCode(200)
  @ApiOkResponse({ type: ApplicationStepDto })
  async decide(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Body() body: DecisionDto,
  ): Promise<ApplicationStepDto> {
    return toStepResponse(await this.secretariat.decideCourses(actor, id, body.courses));
  }

  @Post(':id/approval')
  @HttpCode(200)
  @ApiOkResponse({ type: ApplicationStepDto })
  async approval(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Body() body: ApprovalDto,
  ): Promise<ApplicationStepDto> {
    return toStepResponse(
      await this.secretariat.recordApproval(actor, id, {
        decision: body.decision,
        on: body.on,
        reference: body.reference ?? null,
      }),
    );
  }
}
