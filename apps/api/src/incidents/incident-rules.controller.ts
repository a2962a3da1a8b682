import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/audit';
import { IncidentRuleService } from '@app/incidents';
import { CurrentActor, Roles } from '../http/auth';
import { uuidParam } from '../http/validation';
import {
  type IncidentRuleResponseDto,
  IncidentRuleUpdateDto,
  toIncidentRuleResponse,
} from './incident.dto';

/** The rule set that decides which detections open incidents: data, read by all, changed by admins. */
@ApiTags('incidents')
@ApiBearerAuth()
@Controller('incident-rules')
export class IncidentRulesController {
  constructor(private readonly rules: IncidentRuleService) {}

  @Get()
  async list(): Promise<IncidentRuleResponseDto[]> {
    return (await this.rules.list()).map(toIncidentRuleResponse);
  }

  @Put(':id')
  @Roles('admin')
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Body() body: IncidentRuleUpdateDto,
  ): Promise<IncidentRuleResponseDto> {
    return toIncidentRuleResponse(await this.rules.update(actor, id, body));
  }
}
