import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { JobQueuedDto } from './appliance-config.dto';
import { IsIn, IsInt, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import type { Actor } from '@app/audit';
import { mapPage, type Page } from '@app/persistence';
import {
  ALERT_KINDS,
  type AlertEntity,
  type AlertKind,
  AlertService,
  FleetHealthService,
  JobQueue,
} from '@app/provisioning';
import { CurrentActor, Roles } from '../http/auth';
import { PageQueryDto, pageRequest } from '../http/page-query.dto';
import { uuidParam } from '../http/validation';
import { IsOmittable } from '../http/omittable';

class HealthQueryDto {
  @ApiPropertyOptional({
    description: 'History window in hours (default 24)',
    minimum: 1,
    maximum: 24 * 92,
  })
  @IsOmittable()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(24 * 92)
  hours?: number;
}

const ALERT_FILTER_STATES = ['open', 'acknowledged', 'resolved', 'unresolved'] as const;

class AlertListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: ALERT_FILTER_STATES,
    description: 'open = not yet acknowledged; unresolved = open or acknowledged',
  })
  @IsOmittable()
  @IsIn(ALERT_FILTER_STATES)
  state?: (typeof ALERT_FILTER_STATES)[number];

  @ApiPropertyOptional({ enum: ALERT_KINDS }) @IsOmittable() @IsIn(ALERT_KINDS) kind?: AlertKind;
  @ApiPropertyOptional() @IsOmittable() @IsUUID() subjectId?: string;
}

const HEALTH_STATUSES = ['healthy', 'degraded', 'offline', 'unknown'] as const;

class FleetCountsDto {
  @ApiProperty() healthy: number;
  @ApiProperty() degraded: number;
  @ApiProperty() offline: number;
  @ApiProperty() unknown: number;
  @ApiProperty() total: number;
}

class FleetProblemDto {
  @ApiProperty({ format: 'uuid' }) applianceId: string;
  @ApiProperty() serial: string;
  @ApiProperty({ nullable: true, type: String }) companyId: string | null;
  @ApiProperty({ nullable: true, type: String }) companyName: string | null;
  @ApiProperty({ enum: ['offline', 'degraded'] }) status: 'offline' | 'degraded';
  @ApiProperty({ format: 'date-time' }) since: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastSeenAt: string | null;
}

class HealthSweepDto {
  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  lastStartedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  lastFinishedAt: string | null;
  @ApiProperty({ nullable: true, type: Number }) durationMs: number | null;
  @ApiProperty({ description: 'Sweeps that overran their interval in the last 24 hours' })
  overruns: number;
  @ApiProperty() intervalSeconds: number;
}

class FleetHealthDto {
  @ApiProperty({ description: 'Appliances in service by health status' }) counts: FleetCountsDto;
  @ApiProperty({
    type: [FleetProblemDto],
    description: 'Offline ones first, then degraded, the longest unwell first; at most 500',
  })
  problems: FleetProblemDto[];
  @ApiProperty() sweep: HealthSweepDto;
}

class HealthPointDto {
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty() reachable: boolean;
  @ApiProperty({ enum: HEALTH_STATUSES }) status: (typeof HEALTH_STATUSES)[number];
  @ApiProperty({ nullable: true, type: Number }) cpu: number | null;
  @ApiProperty({ nullable: true, type: Number }) memory: number | null;
  @ApiProperty({ nullable: true, type: Number }) sessions: number | null;
}

class ThreatSampleDto {
  @ApiProperty({ nullable: true, type: Number }) intrusionsBlockedLastMinute: number | null;
  @ApiProperty({ nullable: true, type: Number }) virusesCaughtLastMinute: number | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) sampledAt: string | null;
}

class ApplianceHealthDto {
  @ApiProperty({ format: 'uuid' }) applianceId: string;
  @ApiProperty({ enum: HEALTH_STATUSES }) status: (typeof HEALTH_STATUSES)[number];
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) since: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastSeenAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  lastPolledAt: string | null;
  @ApiProperty({ nullable: true, type: Number }) cpu: number | null;
  @ApiProperty({ nullable: true, type: Number }) memory: number | null;
  @ApiProperty({ nullable: true, type: Number }) sessions: number | null;
  @ApiProperty({ nullable: true, type: String }) firmware: string | null;
  @ApiProperty({ nullable: true, type: Number }) uptimeSeconds: number | null;
  @ApiProperty() threats: ThreatSampleDto;
  @ApiProperty() configDrift: boolean;
  @ApiProperty({ nullable: true, type: String }) lastError: string | null;
  @ApiProperty({ type: [HealthPointDto], description: 'Oldest first, over the window asked' })
  history: HealthPointDto[];
}

class AcknowledgeAlertDto {
  @ApiPropertyOptional({
    description: 'What the desk saw or did (kept with the alert and in the audit trail)',
    maxLength: 2000,
  })
  @IsOmittable()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

class AlertSubjectDto {
  @ApiProperty({ description: "'appliance', 'edr_tenant', 'job' or 'log_source'" }) type: string;
  @ApiProperty({ format: 'uuid' }) id: string;
}

class AlertResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ALERT_KINDS }) kind: AlertKind;
  @ApiProperty({ enum: ['critical', 'warning', 'info'] }) severity: string;
  @ApiProperty({ enum: ['open', 'acknowledged', 'resolved'] }) state: string;
  @ApiProperty() subject: AlertSubjectDto;
  @ApiProperty() message: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) details: Record<string, unknown>;
  @ApiProperty() occurrences: number;
  @ApiProperty({ format: 'date-time' }) openedAt: string;
  @ApiProperty({ format: 'date-time' }) lastSeenAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  acknowledgedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) acknowledgedBy: string | null;
  @ApiProperty({ nullable: true, type: String }) acknowledgementNote: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) resolvedAt: string | null;
  @ApiProperty() silenced: boolean;
}

class AlertPageDto {
  @ApiProperty({ type: [AlertResponseDto] }) items: AlertResponseDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

function toAlertResponse(alert: AlertEntity): AlertResponseDto {
  return {
    id: alert.id,
    kind: alert.kind,
    severity: alert.severity,
    state: alert.state,
    subject: { type: alert.subjectType, id: alert.subjectId },
    message: alert.message,
    details: alert.details,
    occurrences: alert.occurrences,
    openedAt: alert.createdAt.toISOString(),
    lastSeenAt: alert.lastSeenAt.toISOString(),
    acknowledgedAt: alert.acknowledgedAt?.toISOString() ?? null,
    acknowledgedBy: alert.acknowledgedBy,
    acknowledgementNote: alert.acknowledgementNote,
    resolvedAt: alert.resolvedAt?.toISOString() ?? null,
    silenced: alert.silenced,
  };
}

@ApiTags('fleet health')
@ApiBearerAuth()
@Controller()
export class HealthApiController {
  constructor(
    private readonly fleet: FleetHealthService,
    private readonly alerts: AlertService,
    private readonly jobs: JobQueue,
  ) {}

  @Get('fleet/health')
  @ApiOkResponse({ type: FleetHealthDto })
  fleetHealth(): Promise<FleetHealthDto> {
    return this.fleet.fleet();
  }

  @Get('appliances/:id/health')
  @ApiOkResponse({
    type: ApplianceHealthDto,
    description:
      'Current health and history. threats: {intrusionsBlockedLastMinute, virusesCaughtLastMinute, sampledAt}, ' +
      'what the unit counted in the minute before the last poll that reached it (sampledAt), as it prints ' +
      'them: per-minute figures, not totals or counters since boot',
  })
  applianceHealth(
    @Param('id', uuidParam()) id: string,
    @Query() query: HealthQueryDto,
  ): Promise<ApplianceHealthDto> {
    return this.fleet.appliance(id, query.hours ?? 24);
  }

  /** "Poll now": one poll of this appliance through the job queue. */
  @Post('appliances/:id/health/poll')
  @HttpCode(202)
  @Roles('admin', 'technician', 'support')
  @ApiAcceptedResponse({ type: JobQueuedDto })
  async pollNow(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Body() _body: object,
  ): Promise<JobQueuedDto> {
    await this.fleet.appliance(id, 1);
    const job = await this.jobs.enqueueAlone({
      kind: 'health_poll',
      targetType: 'appliance',
      targetId: id,
      maxAttempts: 1,
      requestedBy: actor,
    });
    return { jobId: job.id };
  }

  @Get('alerts')
  @ApiOkResponse({ type: AlertPageDto })
  async listAlerts(@Query() query: AlertListQueryDto): Promise<Page<AlertResponseDto>> {
    const { limit: _limit, cursor: _cursor, ...filter } = query;
    return mapPage(await this.alerts.list(filter, pageRequest(query)), toAlertResponse);
  }

  @Get('alerts/:id')
  @ApiOkResponse({ type: AlertResponseDto })
  async getAlert(@Param('id', uuidParam()) id: string): Promise<AlertResponseDto> {
    return toAlertResponse(await this.alerts.get(id));
  }

  @Post('alerts/:id/acknowledge')
  @HttpCode(200)
  @Roles('admin', 'support', 'technician')
  @ApiOkResponse({ type: AlertResponseDto })
  async acknowledge(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Body() body: AcknowledgeAlertDto,
  ): Promise<AlertResponseDto> {
    return toAlertResponse(await this.alerts.acknowledge(actor, id, body.note?.trim() || null));
  }
}
