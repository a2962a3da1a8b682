import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/audit';
import { EdrSeatRecords, EdrSeatService, EdrTenantService } from '@app/inventory';
import { mapPage, type Page } from '@app/persistence';
import { EdrReconciliation, EdrSeatProvisioning } from '@app/provisioning';
import { CurrentActor, Roles } from '../http/auth';
import { PageQueryDto, pageRequest } from '../http/page-query.dto';
import { uuidParam } from '../http/validation';
import { toTrialResponse } from '../inventory/trial.dto';
import {
  EdrDeviceCreateDto,
  EdrDeviceEnrolledDto,
  EdrDeviceListQueryDto,
  EdrDeviceReleasedDto,
  EdrDeviceResponseDto,
  EdrUserCreateDto,
  EdrUserResponseDto,
  toEdrDeviceResponse,
  toEdrUserResponse,
} from './edr-seat.dto';
import {
  EdrReconciliationResponseDto,
  EdrTenantCreatedDto,
  EdrTenantCreateDto,
  EdrTenantListQueryDto,
  EdrTenantResponseDto,
  EdrUsageResponseDto,
  toEdrReconciliationResponse,
  toEdrTenantResponse,
  toEdrUsageResponse,
} from './edr-tenant.dto';
import { ApiPageResponse } from '../http/page-response';

/** The EDR course: a tenant per company at the vendor, its users and their devices (seats). */
@ApiTags('edr')
@ApiBearerAuth()
@Controller('edr/tenants')
export class EdrTenantsController {
  constructor(
    private readonly tenants: EdrTenantService,
    private readonly seats: EdrSeatService,
    private readonly records: EdrSeatRecords,
    private readonly provisioning: EdrSeatProvisioning,
    private readonly reconciliation: EdrReconciliation,
  ) {}

  /** Creates the tenant at the vendor and starts the EDR trial. 409 EDR_TENANT_EXISTS, 422 SURVEY_NOT_FEASIBLE. */
  @ApiCreatedResponse({ type: EdrTenantCreatedDto })
  @Post()
  @Roles('admin', 'technician')
  async create(
    @CurrentActor() actor: Actor,
    @Body() body: EdrTenantCreateDto,
  ): Promise<EdrTenantCreatedDto> {
    const { tenant, trial } = await this.provisioning.createTenant(actor, body.enrollmentId);
    return { ...toEdrTenantResponse(tenant), trial: toTrialResponse(trial) };
  }

  @Get()
  @ApiPageResponse(EdrTenantResponseDto)
  async list(@Query() query: EdrTenantListQueryDto): Promise<Page<EdrTenantResponseDto>> {
    const { limit: _limit, cursor: _cursor, ...filter } = query;
    return mapPage(await this.tenants.list(filter, pageRequest(query)), toEdrTenantResponse);
  }

  @ApiOkResponse({ type: EdrTenantResponseDto })
  @Get(':id')
  async get(@Param('id', uuidParam()) id: string): Promise<EdrTenantResponseDto> {
    return toEdrTenantResponse(await this.tenants.get(id));
  }

  @ApiOkResponse({ type: EdrUsageResponseDto })
  @Get(':id/usage')
  async usage(@Param('id', uuidParam()) id: string): Promise<EdrUsageResponseDto> {
    return toEdrUsageResponse(await this.seats.usage(id));
  }

  /** The last comparison of the vendor's agents with the seats (orphan agents, ghost seats, licences). */
  @ApiOkResponse({ type: EdrReconciliationResponseDto })
  @Get(':id/reconciliation')
  async reconciliationFindings(
    @Param('id', uuidParam()) id: string,
  ): Promise<EdrReconciliationResponseDto> {
    await this.tenants.get(id);
    return toEdrReconciliationResponse(id, await this.reconciliation.lastResult(id));
  }

  /** 409 SEAT_LIMIT_USERS past the tenant's user limit; 409 DUPLICATE_EDR_USER for a known externalId. */
  @ApiCreatedResponse({ type: EdrUserResponseDto })
  @Post(':id/users')
  @Roles('admin', 'technician')
  async addUser(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Body() body: EdrUserCreateDto,
  ): Promise<EdrUserResponseDto> {
    return toEdrUserResponse(await this.seats.addUser(actor, id, body));
  }

  @Get(':id/users')
  @ApiPageResponse(EdrUserResponseDto)
  async listUsers(
    @Param('id', uuidParam()) id: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<EdrUserResponseDto>> {
    return mapPage(await this.records.listUsers(id, pageRequest(query)), toEdrUserResponse);
  }

  /** 201 with the vendor's enrolment token (shown once); 409 SEAT_LIMIT_DEVICES past the per-user limit. */
  @ApiCreatedResponse({ type: EdrDeviceEnrolledDto })
  @Post(':id/devices')
  @Roles('admin', 'technician')
  async enrolDevice(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Body() body: EdrDeviceCreateDto,
  ): Promise<EdrDeviceEnrolledDto> {
    const { device, enrollmentToken } = await this.provisioning.enrolDevice(actor, id, body);
    return { ...toEdrDeviceResponse(device), enrollmentToken };
  }

  @Get(':id/devices')
  @ApiPageResponse(EdrDeviceResponseDto)
  async listDevices(
    @Param('id', uuidParam()) id: string,
    @Query() query: EdrDeviceListQueryDto,
  ): Promise<Page<EdrDeviceResponseDto>> {
    const { limit: _limit, cursor: _cursor, ...filter } = query;
    return mapPage(
      await this.records.listDevices(id, filter, pageRequest(query)),
      toEdrDeviceResponse,
    );
  }

  @ApiOkResponse({ type: EdrDeviceResponseDto })
  @Get(':id/devices/:deviceId')
  async getDevice(
    @Param('id', uuidParam()) id: string,
    @Param('deviceId', uuidParam('deviceId')) deviceId: string,
  ): Promise<EdrDeviceResponseDto> {
    return toEdrDeviceResponse(await this.records.getDevice(id, deviceId));
  }

  /** Releases the seat now and queues the agent's uninstall (GET /jobs/:jobId follows it). */
  @ApiOkResponse({ type: EdrDeviceReleasedDto })
  @Delete(':id/devices/:deviceId')
  @HttpCode(200)
  @Roles('admin', 'technician')
  async releaseDevice(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Param('deviceId', uuidParam('deviceId')) deviceId: string,
  ): Promise<EdrDeviceReleasedDto> {
    const { device, jobId } = await this.provisioning.releaseDevice(actor, id, deviceId);
    return { device: toEdrDeviceResponse(device), jobId };
  }
}
