import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/audit';
import { mapPage, type Page } from '@app/persistence';
import { ApplianceConfigService, ConfigDriftCheck, type ConfigVariables } from '@app/provisioning';
import { CurrentActor, Roles } from '../http/auth';
import { PageQueryDto, pageRequest } from '../http/page-query.dto';
import { uuidParam } from '../http/validation';
import {
  type ConfigPreviewDto,
  type ConfigRevisionDto,
  ConfigVariablesDto,
  toRevisionResponse,
} from './appliance-config.dto';

@ApiTags('appliance configuration')
@ApiBearerAuth()
@Controller('appliances/:id/config')
export class ApplianceConfigController {
  constructor(
    private readonly configs: ApplianceConfigService,
    private readonly driftCheck: ConfigDriftCheck,
  ) {}

  @Get('variables')
  variables(@Param('id', uuidParam()) id: string): Promise<ConfigVariables> {
    return this.configs.variables(id);
  }

  @Put('variables')
  @Roles('admin', 'technician')
  setVariables(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Body() body: ConfigVariablesDto,
  ): Promise<ConfigVariables> {
    return this.configs.setVariables(actor, id, body as Partial<ConfigVariables>);
  }

  @Post('preview')
  @HttpCode(200)
  @Roles('admin', 'technician', 'support')
  preview(@Param('id', uuidParam()) id: string): Promise<ConfigPreviewDto> {
    return this.configs.preview(id);
  }

  @Post('push')
  @HttpCode(202)
  @Roles('admin', 'technician', 'support')
  async push(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
  ): Promise<{ jobId: string }> {
    return { jobId: await this.configs.push(actor, id) };
  }

  /** "Check now": a job reads the device and compares it with its last revision (drift). */
  @Post('readback')
  @HttpCode(202)
  @Roles('admin', 'technician', 'support')
  async readBack(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
  ): Promise<{ jobId: string }> {
    return { jobId: await this.driftCheck.request(actor, id) };
  }

  @Get('revisions')
  async revisions(
    @Param('id', uuidParam()) id: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<ConfigRevisionDto>> {
    return mapPage(await this.configs.revisions(id, pageRequest(query)), toRevisionResponse);
  }
}
