import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Actor } from '@app/audit';
import { IncidentDeskService } from '@app/incidents';
import { mapPage, type Page } from '@app/persistence';
import { CurrentActor, Roles } from '../http/auth';
import { pageRequest } from '../http/page-query.dto';
import { uuidParam } from '../http/validation';
import { toWorkOrderResponse, WorkOrderResponseDto } from '../inventory/work-orders.controller';
import {
  IncidentAssignDto,
  IncidentDetailResponseDto,
  IncidentInvestigateDto,
  IncidentListQueryDto,
  IncidentNoteDto,
  IncidentRemoteRemovalDto,
  IncidentResolveDto,
  IncidentResponseDto,
  IncidentVisitDto,
  RemoteRemovalResponseDto,
  toIncidentDetailResponse,
  toIncidentResponse,
} from './incident.dto';
import { ApiPageResponse } from '../http/page-response';

/** The support desk's incidents: the queue, one incident with its detections, and its actions. */
@ApiTags('incidents')
@ApiBearerAuth()
@Controller('incidents')
@Roles('admin', 'support', 'technician')
export class IncidentsController {
  constructor(private readonly desk: IncidentDeskService) {}

  @Get()
  @ApiPageResponse(IncidentResponseDto)
  async list(@Query() query: IncidentListQueryDto): Promise<Page<IncidentResponseDto>> {
    const { limit: _limit, cursor: _cursor, ...filter } = query;
    return mapPage(await this.desk.list(filter, pageRequest(query)), toIncidentResponse);
  }

  @Get(':id')
  @ApiOkResponse({ type: IncidentDetailResponseDto })
  async get(@Param('id', uuidParam()) id: string): Promise<IncidentDetailResponseDto> {
    return toIncidentDetailResponse(await this.desk.get(id));
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @Roles('admin', 'support')
  async acknowledge(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
  ): Promise<IncidentResponseDto> {
    return toIncidentResponse(await this.desk.acknowledge(actor, id));
  }

  @Post(':id/assign')
  @HttpCode(200)
  @Roles('admin', 'support')
  async assign(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Body() body: IncidentAssignDto,
  ): Promise<IncidentResponseDto> {
    return toIncidentResponse(await this.desk.assign(actor, id, body.assignee));
  }

  /** Technicians may note what they found on site. */
  @Post(':id/notes')
  @HttpCode(200)
  async addNote(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Body() body: IncidentNoteDto,
  ): Promise<IncidentResponseDto> {
    return toIncidentResponse(await this.desk.addNote(actor, id, body.text));
  }

  @Post(':id/investigate')
  @HttpCode(200)
  @Roles('admin', 'support')
  async investigate(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Body() body: IncidentInvestigateDto,
  ): Promise<IncidentResponseDto> {
    return toIncidentResponse(await this.desk.investigate(actor, id, body.note ?? null));
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @Roles('admin', 'support')
  async resolve(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Body() body: IncidentResolveDto,
  ): Promise<IncidentResponseDto> {
    return toIncidentResponse(
      await this.desk.resolve(actor, id, body.resolution, body.note ?? null),
    );
  }

  @Post(':id/remote-removal')
  @HttpCode(202)
  @Roles('admin', 'support')
  @ApiAcceptedResponse({ type: RemoteRemovalResponseDto })
  async remoteRemoval(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Body() body: IncidentRemoteRemovalDto,
  ): Promise<RemoteRemovalResponseDto> {
    return this.desk.requestRemoteRemoval(actor, id, {
      threatId: body.threatId,
      action: body.action,
      note: body.note ?? null,
    });
  }

  @ApiCreatedResponse({ type: WorkOrderResponseDto, description: 'The incident_visit work order' })
  @ApiUnprocessableEntityResponse({
    description:
      'OUTSIDE_DISPATCH_HOURS, with details.nextSlot {date, startsAt, at} to send back as is; SITE_REQUIRED when the company has several sites and no appliance',
  })
  @Post(':id/visits')
  @Roles('admin', 'support')
  async bookVisit(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Body() body: IncidentVisitDto,
  ): Promise<WorkOrderResponseDto> {
    const order = await this.desk.bookVisit(actor, id, {
      date: body.date,
      startsAt: body.startsAt,
      siteId: body.siteId ?? null,
      technician: body.technician ?? null,
      notes: body.notes ?? null,
    });
    return toWorkOrderResponse(order);
  }
}
