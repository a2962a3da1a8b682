import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/audit';
import { ApplianceService, LoanService } from '@app/inventory';
import { mapPage, type Page } from '@app/persistence';
import { LoanProvisioning } from '@app/provisioning';
import { CurrentActor, Roles } from '../http/auth';
import { pageRequest } from '../http/page-query.dto';
import { uuidParam } from '../http/validation';
import {
  ApplianceCreateDto,
  ApplianceInstallDto,
  ApplianceInstalledDto,
  ApplianceListQueryDto,
  ApplianceReserveDto,
  ApplianceResponseDto,
  ApplianceRetireDto,
  toApplianceResponse,
} from './appliance.dto';
import { toTrialResponse } from './trial.dto';
import { ApiPageResponse } from '../http/page-response';

@ApiTags('appliances')
@ApiBearerAuth()
@Controller('appliances')
export class AppliancesController {
  constructor(
    private readonly appliances: ApplianceService,
    private readonly loans: LoanService,
    private readonly provisioning: LoanProvisioning,
  ) {}

  @Post()
  @Roles('admin', 'technician')
  @ApiCreatedResponse({ type: ApplianceResponseDto })
  async register(
    @CurrentActor() actor: Actor,
    @Body() body: ApplianceCreateDto,
  ): Promise<ApplianceResponseDto> {
    return toApplianceResponse(await this.appliances.register(actor, body));
  }

  @Get()
  @ApiPageResponse(ApplianceResponseDto)
  async list(@Query() query: ApplianceListQueryDto): Promise<Page<ApplianceResponseDto>> {
    const { limit: _limit, cursor: _cursor, ...filter } = query;
    return mapPage(await this.appliances.list(filter, pageRequest(query)), toApplianceResponse);
  }

  @Get(':id')
  @ApiOkResponse({ type: ApplianceResponseDto })
  async get(@Param('id', uuidParam()) id: string): Promise<ApplianceResponseDto> {
    return toApplianceResponse(await this.appliances.get(id));
  }

  @Post(':id/reserve')
  @HttpCode(200)
  @Roles('admin', 'technician')
  @ApiOkResponse({ type: ApplianceResponseDto })
  async reserve(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Body() body: ApplianceReserveDto,
  ): Promise<ApplianceResponseDto> {
    return toApplianceResponse(await this.loans.reserve(actor, id, body));
  }

  @Post(':id/install')
  @HttpCode(200)
  @Roles('admin', 'technician')
  @ApiOkResponse({ type: ApplianceInstalledDto })
  async install(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Body() body: ApplianceInstallDto,
  ): Promise<ApplianceInstalledDto> {
    const installed = await this.provisioning.install(actor, id, {
      installedOn: body.installedOn,
      checklist: body.checklist && { ...body.checklist, notes: body.checklist.notes ?? null },
    });
    return {
      ...toApplianceResponse(installed.appliance),
      trial: toTrialResponse(installed.trial),
      jobId: installed.jobId,
    };
  }

  @Post(':id/return')
  @HttpCode(200)
  @Roles('admin', 'technician')
  @ApiOkResponse({ type: ApplianceResponseDto })
  async returnToStock(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
  ): Promise<ApplianceResponseDto> {
    return toApplianceResponse(await this.appliances.returnToStock(actor, id));
  }

  @Post(':id/retire')
  @HttpCode(200)
  @Roles('admin', 'technician')
  @ApiOkResponse({ type: ApplianceResponseDto })
  async retire(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Body() body: ApplianceRetireDto,
  ): Promise<ApplianceResponseDto> {
    return toApplianceResponse(await this.appliances.retire(actor, id, body.reason));
  }
}
