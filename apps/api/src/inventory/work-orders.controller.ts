import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsIn, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import type { Actor } from '@app/audit';
import {
  type InstallationChecklist,
  WORK_ORDER_KINDS,
  WORK_ORDER_SORTS,
  WORK_ORDER_STATES,
  type WorkOrderEntity,
  type WorkOrderKind,
  WorkOrderService,
  type WorkOrderSort,
  type WorkOrderState,
} from '@app/inventory';
import { mapPage, type Page } from '@app/persistence';
import { CurrentActor, Roles } from '../http/auth';
import { IsBusinessDate } from '../http/business-date.validator';
import { PageQueryDto, pageRequest } from '../http/page-query.dto';
import { uuidParam } from '../http/validation';
import { IsOmittable } from '../http/omittable';
import { ApiPageResponse } from '../http/page-response';

class WorkOrderListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: WORK_ORDER_KINDS })
  @IsOmittable()
  @IsIn(WORK_ORDER_KINDS)
  kind?: WorkOrderKind;
  @ApiPropertyOptional({ enum: WORK_ORDER_STATES })
  @IsOmittable()
  @IsIn(WORK_ORDER_STATES)
  state?: WorkOrderState;
  @ApiPropertyOptional() @IsOmittable() @IsUUID() companyId?: string;
  @ApiPropertyOptional() @IsOmittable() @IsUUID() applianceId?: string;
  @ApiPropertyOptional({ description: 'Visits on or after this date' })
  @IsOmittable()
  @IsBusinessDate()
  scheduledFrom?: string;
  @ApiPropertyOptional({ description: 'Visits on or before this date' })
  @IsOmittable()
  @IsBusinessDate()
  scheduledTo?: string;
  @ApiPropertyOptional({ description: 'Visits assigned to this technician (by name)' })
  @IsOmittable()
  @IsString()
  @Length(1, 100)
  technician?: string;
  @ApiPropertyOptional({
    enum: WORK_ORDER_SORTS,
    default: 'createdAt',
    description: 'createdAt: in booking order; scheduledOn: by visit day, earliest first',
  })
  @IsOmittable()
  @IsIn(WORK_ORDER_SORTS)
  sort?: WorkOrderSort;
}

class WorkOrderCompleteDto {
  @ApiPropertyOptional()
  @IsOmittable()
  @IsString()
  @Length(1, 100)
  @Matches(/^[^\p{Cc}]*$/u)
  technician?: string;
  @ApiPropertyOptional() @IsOmittable() @IsString() @MaxLength(2000) notes?: string;
}

/** What the technician checked at installation (POST /appliances/{id}/install). */
export class InstallationChecklistResponseDto {
  @ApiProperty() powerOutlet: boolean;
  @ApiProperty() hubPort: boolean;
  @ApiProperty() lanCable: boolean;
  @ApiProperty() peripheralsFromCompany: boolean;
  @ApiProperty({ nullable: true, type: String }) notes: string | null;
}

export class WorkOrderResponseDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: WORK_ORDER_KINDS }) kind: WorkOrderKind;
  @ApiProperty({ enum: WORK_ORDER_STATES }) state: WorkOrderState;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Null for an incident visit without one',
  })
  applianceId: string | null;
  @ApiProperty() companyId: string;
  @ApiProperty() siteId: string;
  @ApiProperty({ nullable: true, type: String }) trialId: string | null;
  @ApiProperty({ nullable: true, type: String }) incidentId: string | null;
  @ApiProperty({ description: 'A business day (Asia/Tokyo)' }) scheduledOn: string;
  @ApiProperty({ nullable: true, type: String, description: 'When an incident visit starts' })
  scheduledAt: string | null;
  @ApiProperty({ nullable: true, type: String }) technician: string | null;
  @ApiProperty({ nullable: true, type: String }) notes: string | null;
  @ApiProperty({ nullable: true, type: String }) completedAt: string | null;
  @ApiProperty({
    type: InstallationChecklistResponseDto,
    nullable: true,
    description: 'An installation’s on-site checklist, when one was recorded',
  })
  checklist: InstallationChecklistResponseDto | null;
}

export function toWorkOrderResponse(order: WorkOrderEntity): WorkOrderResponseDto {
  return {
    id: order.id,
    kind: order.kind,
    state: order.state,
    applianceId: order.applianceId,
    companyId: order.companyId,
    siteId: order.siteId,
    trialId: order.trialId,
    incidentId: order.incidentId,
    scheduledOn: order.scheduledOn,
    scheduledAt: order.scheduledAt?.toISOString() ?? null,
    technician: order.technician,
    notes: order.notes,
    completedAt: order.completedAt?.toISOString() ?? null,
    checklist: order.checklist && toChecklistResponse(order.checklist),
  };
}

function toChecklistResponse(checklist: InstallationChecklist): InstallationChecklistResponseDto {
  return {
    powerOutlet: checklist.powerOutlet,
    hubPort: checklist.hubPort,
    lanCable: checklist.lanCable,
    peripheralsFromCompany: checklist.peripheralsFromCompany,
    notes: checklist.notes,
  };
}

@ApiTags('work-orders')
@ApiBearerAuth()
@Controller('work-orders')
export class WorkOrdersController {
  constructor(private readonly orders: WorkOrderService) {}

  @Get()
  @ApiPageResponse(WorkOrderResponseDto)
  async list(@Query() query: WorkOrderListQueryDto): Promise<Page<WorkOrderResponseDto>> {
    const { limit: _limit, cursor: _cursor, sort, ...filter } = query;
    return mapPage(await this.orders.list(filter, pageRequest(query), sort), toWorkOrderResponse);
  }

  @Get(':id')
  @ApiOkResponse({ type: WorkOrderResponseDto })
  async get(@Param('id', uuidParam()) id: string): Promise<WorkOrderResponseDto> {
    return toWorkOrderResponse(await this.orders.get(id));
  }

  @Post(':id/complete')
  @HttpCode(200)
  @Roles('admin', 'technician')
  @ApiOkResponse({ type: WorkOrderResponseDto })
  async complete(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Body() body: WorkOrderCompleteDto,
  ): Promise<WorkOrderResponseDto> {
    return toWorkOrderResponse(await this.orders.complete(actor, id, body));
  }
}
