import { Body, Controller, Get, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsString,
  IsUUID,
  Length,
} from 'class-validator';
import type { Actor } from '@app/audit';
import { CompanyService, SiteService } from '@app/inventory';
import { mapPage, type Page } from '@app/persistence';
import { CurrentActor, Roles } from '../http/auth';
import { PageQueryDto, pageRequest } from '../http/page-query.dto';
import { uuidParam } from '../http/validation';
import {
  CompanyContactDto,
  CompanyCreateDto,
  CompanyResponseDto,
  toCompanyInput,
  toCompanyResponse,
} from './company.dto';
import { SiteCreateDto, SiteResponseDto, toSiteResponse } from './site.dto';
import { IsOmittable } from '../http/omittable';
import { ApiPageResponse } from '../http/page-response';

class CompanyListQueryDto extends PageQueryDto {
  @ApiPropertyOptional()
  @IsOmittable()
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean()
  eligible?: boolean;

  @ApiPropertyOptional({ description: 'Companies whose name contains this text (any case)' })
  @IsOmittable()
  @IsString()
  @Length(1, 100)
  q?: string;

  @ApiPropertyOptional({
    description:
      'Only these companies (ids separated by commas, at most 100): the console names a page of rows in one request',
    type: String,
  })
  @IsOmittable()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.split(',') : value,
  )
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  ids?: string[];
}

@ApiTags('companies')
@ApiBearerAuth()
@Controller('companies')
export class CompaniesController {
  constructor(
    private readonly companies: CompanyService,
    private readonly sites: SiteService,
  ) {}

  @Post()
  @Roles('admin', 'technician', 'sales')
  @ApiCreatedResponse({ type: CompanyResponseDto })
  async create(
    @CurrentActor() actor: Actor,
    @Body() body: CompanyCreateDto,
  ): Promise<CompanyResponseDto> {
    return toCompanyResponse(await this.companies.create(actor, toCompanyInput(body)));
  }

  @Get()
  @ApiPageResponse(CompanyResponseDto)
  async list(@Query() query: CompanyListQueryDto): Promise<Page<CompanyResponseDto>> {
    return mapPage(
      await this.companies.list(
        { eligible: query.eligible, name: query.q, ids: query.ids },
        pageRequest(query),
      ),
      toCompanyResponse,
    );
  }

  @Get(':id')
  @ApiOkResponse({ type: CompanyResponseDto })
  async get(@Param('id', uuidParam()) id: string): Promise<CompanyResponseDto> {
    return toCompanyResponse(await this.companies.get(id));
  }

  @Put(':id/contact')
  @Roles('admin', 'support', 'sales')
  @ApiOperation({
    summary: 'Set whom the monthly report is mailed to',
    description: 'An omitted field is cleared; without an email the report is not mailed.',
  })
  @ApiOkResponse({ type: CompanyResponseDto })
  async setContact(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Body() body: CompanyContactDto,
  ): Promise<CompanyResponseDto> {
    return toCompanyResponse(
      await this.companies.setContact(actor, id, {
        name: body.name ?? null,
        email: body.email ?? null,
      }),
    );
  }

  @Post(':id/sites')
  @Roles('admin', 'technician')
  @ApiCreatedResponse({ type: SiteResponseDto })
  async addSite(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Body() body: SiteCreateDto,
  ): Promise<SiteResponseDto> {
    return toSiteResponse(await this.sites.create(actor, id, body));
  }

  @Get(':id/sites')
  @ApiPageResponse(SiteResponseDto)
  async listSites(
    @Param('id', uuidParam()) id: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<SiteResponseDto>> {
    return mapPage(await this.sites.listForCompany(id, pageRequest(query)), toSiteResponse);
  }
}
