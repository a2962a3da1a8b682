import { Body, Controller, Get, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean } from 'class-validator';
import type { Actor } from '@app/audit';
import { CompanyService, SiteService } from '@app/inventory';
import { mapPage, type Page } from '@app/persistence';
import { CurrentActor, Roles } from '../http/auth';
import { PageQueryDto, pageRequest } from '../http/page-query.dto';
import { uuidParam } from '../http/validation';
import {
  CompanyContactDto,
  CompanyCreateDto,
  type CompanyResponseDto,
  toCompanyInput,
  toCompanyResponse,
} from './company.dto';
import { SiteCreateDto, type SiteResponseDto, toSiteResponse } from './site.dto';
import { IsOmittable } from '../http/omittable';

class CompanyListQueryDto extends PageQueryDto {
  @ApiPropertyOptional()
  @IsOmittable()
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean()
  eligible?: boolean;
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
  async create(
    @CurrentActor() actor: Actor,
    @Body() body: CompanyCreateDto,
  ): Promise<CompanyResponseDto> {
    return toCompanyResponse(await this.companies.create(actor, toCompanyInput(body)));
  }

  @Get()
  async list(@Query() query: CompanyListQueryDto): Promise<Page<CompanyResponseDto>> {
    return mapPage(
      await this.companies.list({ eligible: query.eligible }, pageRequest(query)),
      toCompanyResponse,
    );
  }

  @Get(':id')
  async get(@Param('id', uuidParam()) id: string): Promise<CompanyResponseDto> {
    return toCompanyResponse(await this.companies.get(id));
  }

  @Put(':id/contact')
  @Roles('admin', 'support', 'sales')
  @ApiOperation({
    summary: 'Set whom the monthly report is mailed to',
    description: 'An omitted field is cleared; without an email the report is not mailed.',
  })
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
  async addSite(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Body() body: SiteCreateDto,
  ): Promise<SiteResponseDto> {
    return toSiteResponse(await this.sites.create(actor, id, body));
  }

  @Get(':id/sites')
  async listSites(
    @Param('id', uuidParam()) id: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<SiteResponseDto>> {
    return mapPage(await this.sites.listForCompany(id, pageRequest(query)), toSiteResponse);
  }
}
