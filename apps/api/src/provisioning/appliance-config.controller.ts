import { type ConfigVariables } from '@app/fortios';
import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Actor } from '@app/audit';
import { mapPage, type Page } from '@app/persistence';
import { ApplianceConfigService, ConfigDriftCheck } from '@app/provisioning';
import { CurrentActor, Roles } from '../http/auth';
import { PageQueryDto, pageRequest } from '../http/page-query.dto';
import { uuidParam } from '../http/validation';
import {
  type ConfigPreviewDto,
  ConfigRestoreDto,
  ConfigRestorePreviewDto,
  ConfigRestoreResponseDto,
  ConfigRevisionDto,
  ConfigVariablesDto,
  JobQueuedDto,
  RevisionNumberParam,
  toRevisionResponse,
} from './appliance-config.dto';
import { ApiPageResponse } from '../http/page-response';

const REVISION_NUMBER = {
  name: 'number',
  description: 'A confirmed revision of the appliance (GET …/config/revisions), from 1',
  type: 'integer',
  minimum: 1,
} as const;
const NOT_RESTORABLE =
  'REVISION_NOT_RESTORABLE (recorded before revisions kept their variables, or values no longer allowed) ' +
  "or TEMPLATE_VERSION_UNAVAILABLE (this build no longer renders the revision's template version)";

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
  @ApiAcceptedResponse({ type: JobQueuedDto })
  async push(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
  ): Promise<JobQueuedDto> {
    return { jobId: await this.configs.push(actor, id) };
  }

  /** "Check now": a job reads the device and compares it with its last revision (drift). */
  @Post('readback')
  @HttpCode(202)
  @Roles('admin', 'technician', 'support')
  @ApiAcceptedResponse({ type: JobQueuedDto })
  async readBack(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
  ): Promise<JobQueuedDto> {
    return { jobId: await this.driftCheck.request(actor, id) };
  }

  @Post('revisions/:number/restore-preview')
  @HttpCode(200)
  @Roles('admin', 'technician', 'support')
  @ApiOperation({
    summary: 'What restoring a confirmed revision would push',
    description:
      "The revision's variables rendered with its template version, diffed against the last revision " +
      'like POST …/config/preview, with the variables that would change. Nothing is stored.',
  })
  @ApiParam(REVISION_NUMBER)
  @ApiOkResponse({ type: ConfigRestorePreviewDto })
  @ApiNotFoundResponse({ description: 'APPLIANCE_NOT_FOUND or REVISION_NOT_FOUND' })
  @ApiUnprocessableEntityResponse({ description: NOT_RESTORABLE })
  restorePreview(
    @Param('id', uuidParam()) id: string,
    @RevisionNumberParam() number: number,
  ): Promise<ConfigRestorePreviewDto> {
    return this.configs.restorePreview(id, number);
  }

  @Post('revisions/:number/restore')
  @HttpCode(202)
  @Roles('admin', 'technician', 'support')
  @ApiOperation({
    summary: 'Restore a confirmed revision: its variables become the desired state and are pushed',
    description:
      "In one transaction the revision's variables replace the appliance's, an appliance.config_restored " +
      'audit event is recorded and a config_push job is queued. The push runs like any other and records a ' +
      "new revision with the restored revision's config. Check with …/restore-preview first.",
  })
  @ApiParam(REVISION_NUMBER)
  @ApiBody({ type: ConfigRestoreDto, required: false })
  @ApiAcceptedResponse({ type: ConfigRestoreResponseDto })
  @ApiNotFoundResponse({ description: 'APPLIANCE_NOT_FOUND or REVISION_NOT_FOUND' })
  @ApiUnprocessableEntityResponse({ description: NOT_RESTORABLE })
  restore(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @RevisionNumberParam() number: number,
    @Body() body: ConfigRestoreDto,
  ): Promise<ConfigRestoreResponseDto> {
    return this.configs.restore(actor, id, number, body.note);
  }

  @Get('revisions')
  @ApiPageResponse(ConfigRevisionDto)
  async revisions(
    @Param('id', uuidParam()) id: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<ConfigRevisionDto>> {
    return mapPage(await this.configs.revisions(id, pageRequest(query)), toRevisionResponse);
  }
}
