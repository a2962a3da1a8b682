import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsUUID, Max, Min } from 'class-validator';
import type { Actor } from '@app/audit';
import { mapPage, type Page } from '@app/persistence';
import {
  ALERT_KINDS,
  type AlertEntity,
  type AlertKind,
  AlertService,
  type ApplianceHealthView,
  type FleetHealth,
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

export interface AlertResponse {
  id: string;
  kind: AlertKind;
  severity: string;
  state: string;
  subject: { type: string; id: string };
  message: string;
  details: Record<string, unknown>;
  occurrences: number;
  openedAt: string;
  lastSeenAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  resolvedAt: string | null;
  silenced: boolean;
}

function toAlertResponse(alert: AlertEntity): AlertResponse {
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
  fleetHealth(): Promise<FleetHealth> {
    return this.fleet.fleet();
  }

  @Get('appliances/:id/health')
  @ApiOkResponse({
    description:
      'Current health and history. threats: {intrusionsBlockedLastMinute, virusesCaughtLastMinute, sampledAt}, ' +
      'what the unit counted in the minute before the last poll that reached it (sampledAt), as it prints ' +
      'them: per-minute figures, not totals or counters since boot',
  })
  applianceHealth(
    @Param('id', uuidParam()) id: string,
    @Query() query: HealthQueryDto,
  ): Promise<ApplianceHealthView> {
    return this.fleet.appliance(id, query.hours ?? 24);
  }

  /** "Poll now": one poll of this appliance through the job queue. */
  @Post('appliances/:id/health/poll')
  @HttpCode(202)
  @Roles('admin', 'technician', 'support')
  async pollNow(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Body() _body: object,
  ): Promise<{ jobId: string }> {
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
  async listAlerts(@Query() query: AlertListQueryDto): Promise<Page<AlertResponse>> {
    const { limit: _limit, cursor: _cursor, ...filter } = query;
    return mapPage(await this.alerts.list(filter, pageRequest(query)), toAlertResponse);
  }

  @Get('alerts/:id')
  async getAlert(@Param('id', uuidParam()) id: string): Promise<AlertResponse> {
    return toAlertResponse(await this.alerts.get(id));
  }

  @Post('alerts/:id/acknowledge')
  @HttpCode(200)
  @Roles('admin', 'support', 'technician')
  async acknowledge(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
  ): Promise<AlertResponse> {
    return toAlertResponse(await this.alerts.acknowledge(actor, id));
  }
}
