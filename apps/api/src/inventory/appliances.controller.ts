import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
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
  ApplianceListQueryDto,
  ApplianceReserveDto,
  type ApplianceResponseDto,
  ApplianceRetireDto,
  toApplianceResponse,
} from './appliance.dto';
import { type TrialResponseDto, toTrialResponse } from './trial.dto';

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
  async register(
    @CurrentActor() actor: Actor,
    @Body() body: ApplianceCreateDto,
  ): Promise<ApplianceResponseDto> {
    return toApplianceResponse(await this.appliances.register(actor, body));
  }

  @Get()
  async list(@Query() query: ApplianceListQueryDto): Promise<Page<ApplianceResponseDto>> {
    const { limit: _limit, cursor: _cursor, ...filter } = query;
    return mapPage(await this.appliances.list(filter, pageRequest(query)), toApplianceResponse);
  }

  @Get(':id')
  async get(@Param('id', uuidParam()) id: string): Promise<ApplianceResponseDto> {
    return toApplianceResponse(await this.appliances.get(id));
  }

  @Post(':id/reserve')
  @HttpCode(200)
  @Roles('admin', 'technician')
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
  async install(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Body() body: ApplianceInstallDto,
  ): Promise<ApplianceResponseDto & { trial: TrialResponseDto; jobId: string }> {
    const installed = await this.provisioning.install(actor, id, body.installedOn);
    return {
      ...toApplianceResponse(installed.appliance),
      trial: toTrialResponse(installed.trial),
      jobId: installed.jobId,
    };
  }

  @Post(':id/return')
  @HttpCode(200)
  @Roles('admin', 'technician')
  async returnToStock(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
  ): Promise<ApplianceResponseDto> {
    return toApplianceResponse(await this.appliances.returnToStock(actor, id));
  }

  @Post(':id/retire')
  @HttpCode(200)
  @Roles('admin', 'technician')
  async retire(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Body() body: ApplianceRetireDto,
  ): Promise<ApplianceResponseDto> {
    return toApplianceResponse(await this.appliances.retire(actor, id, body.reason));
  }
}
