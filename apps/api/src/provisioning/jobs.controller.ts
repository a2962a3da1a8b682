import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsIn, IsUUID } from 'class-validator';
import type { Actor } from '@app/audit';
import { mapPage, type Page } from '@app/persistence';
import {
  JOB_KINDS,
  JOB_STATES,
  type JobEntity,
  type JobKind,
  type JobLogLine,
  JobQueue,
  type JobState,
} from '@app/provisioning';
import { CurrentActor, Roles } from '../http/auth';
import { PageQueryDto, pageRequest } from '../http/page-query.dto';
import { uuidParam } from '../http/validation';
import { IsOmittable } from '../http/omittable';
import { ApiPageResponse } from '../http/page-response';

class JobListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: JOB_KINDS }) @IsOmittable() @IsIn(JOB_KINDS) kind?: JobKind;
  @ApiPropertyOptional({ enum: JOB_STATES }) @IsOmittable() @IsIn(JOB_STATES) state?: JobState;
  @ApiPropertyOptional() @IsOmittable() @IsUUID() targetId?: string;
}

/** What the job works on: an appliance, an EDR tenant… */
export class JobTargetDto {
  @ApiProperty({ example: 'appliance' }) type: string;
  @ApiProperty() id: string;
}

export class JobLogLineDto {
  @ApiProperty() at: string;
  @ApiProperty({ enum: ['info', 'warn', 'error'] }) level: JobLogLine['level'];
  @ApiProperty() message: string;
}

export class JobResponseDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: JOB_KINDS }) kind: JobKind;
  @ApiProperty({ enum: JOB_STATES }) state: JobState;
  @ApiProperty({ type: JobTargetDto }) target: JobTargetDto;
  @ApiProperty() attempts: number;
  @ApiProperty() maxAttempts: number;
  @ApiProperty({ nullable: true, type: String }) nextAttemptAt: string | null;
  @ApiProperty({ nullable: true, type: String }) deadlineAt: string | null;
  @ApiProperty({ nullable: true, type: String }) lastError: string | null;
  @ApiProperty({ type: [JobLogLineDto] }) log: JobLogLineDto[];
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true }) result: Record<
    string,
    unknown
  > | null;
  @ApiProperty() requestedBy: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String }) startedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) finishedAt: string | null;
}

export function toJobResponse(job: JobEntity): JobResponseDto {
  return {
    id: job.id,
    kind: job.kind,
    state: job.state,
    target: { type: job.targetType, id: job.targetId },
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    nextAttemptAt: job.nextAttemptAt?.toISOString() ?? null,
    deadlineAt: job.deadlineAt?.toISOString() ?? null,
    lastError: job.lastError,
    log: job.log,
    result: job.result,
    requestedBy: job.requestedBy,
    createdAt: job.createdAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
  };
}

@ApiTags('jobs')
@ApiBearerAuth()
@Controller('jobs')
export class JobsController {
  constructor(private readonly jobs: JobQueue) {}

  @Get()
  @ApiPageResponse(JobResponseDto)
  async list(@Query() query: JobListQueryDto): Promise<Page<JobResponseDto>> {
    const { limit: _limit, cursor: _cursor, ...filter } = query;
    return mapPage(await this.jobs.list(filter, pageRequest(query)), toJobResponse);
  }

  @Get(':id')
  @ApiOkResponse({ type: JobResponseDto })
  async get(@Param('id', uuidParam()) id: string): Promise<JobResponseDto> {
    return toJobResponse(await this.jobs.get(id));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Roles('admin', 'technician', 'support')
  @ApiOkResponse({ type: JobResponseDto })
  async cancel(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
  ): Promise<JobResponseDto> {
    return toJobResponse(await this.jobs.cancel(actor, id));
  }
}
