import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/audit';
import { Clock, tokyoDate, TrialService } from '@app/inventory';
import { mapPage, type Page } from '@app/persistence';
import { LoanProvisioning, type SweepReport, TrialEndSweep } from '@app/provisioning';
import { CurrentActor, Roles } from '../http/auth';
import { pageRequest } from '../http/page-query.dto';
import { uuidParam } from '../http/validation';
import {
  SweepReportDto,
  TrialConvertDto,
  TrialConvertedDto,
  TrialListQueryDto,
  TrialResponseDto,
  TrialSweepDto,
  toTrialResponse,
} from './trial.dto';
import { ApiPageResponse } from '../http/page-response';

@ApiTags('trials')
@ApiBearerAuth()
@Controller('trials')
export class TrialsController {
  constructor(
    private readonly trials: TrialService,
    private readonly provisioning: LoanProvisioning,
    private readonly sweep: TrialEndSweep,
    private readonly clock: Clock,
  ) {}

  @Get()
  @ApiPageResponse(TrialResponseDto)
  async list(@Query() query: TrialListQueryDto): Promise<Page<TrialResponseDto>> {
    const { limit: _limit, cursor: _cursor, ...filter } = query;
    return mapPage(await this.trials.list(filter, pageRequest(query)), toTrialResponse);
  }

  @Get(':id')
  @ApiOkResponse({ type: TrialResponseDto })
  async get(@Param('id', uuidParam()) id: string): Promise<TrialResponseDto> {
    return toTrialResponse(await this.trials.get(id));
  }

  /** 409 TRIAL_NOT_ACTIVE once the sweep has ended the trial (removal or uninstall has begun). */
  @Post(':id/convert')
  @HttpCode(200)
  @Roles('admin', 'sales')
  @ApiOkResponse({ type: TrialConvertedDto })
  async convert(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Body() body: TrialConvertDto,
  ): Promise<TrialConvertedDto> {
    const { trial, jobId } = await this.provisioning.convert(actor, id, body);
    return { ...toTrialResponse(trial), jobId };
  }

  @Post('sweep')
  @HttpCode(200)
  @Roles('admin')
  @ApiOkResponse({ type: SweepReportDto })
  async runSweep(@CurrentActor() actor: Actor, @Body() body: TrialSweepDto): Promise<SweepReport> {
    return this.sweep.run(actor, body.asOf ?? tokyoDate(this.clock.now()));
  }
}
