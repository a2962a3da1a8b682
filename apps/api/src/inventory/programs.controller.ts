import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Actor } from '@app/audit';
import { ProgramService } from '@app/inventory';
import { mapPage, type Page } from '@app/persistence';
import { CurrentActor, Roles } from '../http/auth';
import { PageQueryDto, pageRequest } from '../http/page-query.dto';
import { ApiPageResponse } from '../http/page-response';
import {
  CourseResponseDto,
  ProgramCreateDto,
  ProgramResponseDto,
  toProgramInput,
  toProgramResponse,
} from './program.dto';

@ApiTags('programs')
@ApiBearerAuth()
@ApiExtraModels(CourseResponseDto)
@Controller('programs')
export class ProgramsController {
  constructor(private readonly programs: ProgramService) {}

  @Get()
  @ApiPageResponse(ProgramResponseDto)
  async list(@Query() query: PageQueryDto): Promise<Page<ProgramResponseDto>> {
    return mapPage(await this.programs.list(pageRequest(query)), toProgramResponse);
  }

  @Get(':code')
  @ApiOkResponse({ type: ProgramResponseDto })
  async get(@Param('code') code: string): Promise<ProgramResponseDto> {
    return toProgramResponse(await this.programs.getByCode(code));
  }

  @Post()
  @Roles('admin')
  @ApiCreatedResponse({ type: ProgramResponseDto })
  async create(
    @CurrentActor() actor: Actor,
    @Body() body: ProgramCreateDto,
  ): Promise<ProgramResponseDto> {
    return toProgramResponse(await this.programs.create(actor, toProgramInput(body)));
  }
}
