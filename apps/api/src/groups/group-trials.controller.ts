import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Actor } from '@app/audit';
import { GroupTrials } from '@app/groups';
import { mapPage, type Page } from '@app/persistence';
import { CurrentActor, Roles } from '../http/auth';
import { PageQueryDto, pageRequest } from '../http/page-query.dto';
import { ApiPageResponse } from '../http/page-response';
import { uuidParam } from '../http/validation';
import { EnrollmentResponseDto, toEnrollmentResponse } from '../inventory/enrollment.dto';
import {
  MemberEnrollmentCreateDto,
  MemberTrialResponseDto,
  toMemberTrialResponse,
} from './group-trials.dto';

/**
 * Trials for a group's member companies: enrolled here, then lent through the appliance and EDR
 * tenant routes exactly as a company's enrolment is.
 */
@ApiTags('groups')
@ApiBearerAuth()
@Controller('groups')
export class GroupTrialsController {
  constructor(private readonly trials: GroupTrials) {}

  /** A selected group's member, enrolled in the group's programme and confirmed at once. */
  @Post(':id/members/:companyId/enrollments')
  @Roles('admin', 'coordinator')
  @ApiOperation({
    summary: "Enrol a member company for a trial under the group's programme",
    description:
      "Confirmed at once (the group was judged, not the member; no pre-diagnosis). Then reserve and install an appliance (POST /appliances/{id}/reserve with the enrolment) or create an EDR tenant (POST /edr/tenants) as for a company's enrolment. A selected group only (409 GROUP_NOT_SELECTED); 404 NOT_A_MEMBER; 409 COURSE_FULL, ALREADY_ENROLLED; 422 COURSE_NOT_OFFERED. A coordinator of another group gets 404 GROUP_NOT_FOUND.",
  })
  @ApiCreatedResponse({ type: EnrollmentResponseDto })
  @ApiNotFoundResponse({ description: 'GROUP_NOT_FOUND, NOT_A_MEMBER' })
  @ApiConflictResponse({ description: 'GROUP_NOT_SELECTED, COURSE_FULL, ALREADY_ENROLLED' })
  async enroll(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Param('companyId', uuidParam('companyId')) companyId: string,
    @Body() body: MemberEnrollmentCreateDto,
  ): Promise<EnrollmentResponseDto> {
    return toEnrollmentResponse(await this.trials.enroll(actor, id, companyId, body.course));
  }

  @Get(':id/trials')
  @ApiOperation({
    summary: "The members' enrolments with their trials, appliances and EDR tenants",
    description: 'Oldest enrolment first. A coordinator of another group gets 404 GROUP_NOT_FOUND.',
  })
  @ApiPageResponse(MemberTrialResponseDto)
  @ApiNotFoundResponse({ description: 'GROUP_NOT_FOUND' })
  async list(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<MemberTrialResponseDto>> {
    return mapPage(await this.trials.list(actor, id, pageRequest(query)), toMemberTrialResponse);
  }
}
