import { Body, Controller, Get, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
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
  IsDefined,
  IsUUID,
  Length,
  Matches,
} from 'class-validator';
import type { Actor } from '@app/audit';
import {
  CompanyService,
  EnrollmentService,
  PersonalDataService,
  SiteService,
} from '@app/inventory';
import { mapPage, type Page } from '@app/persistence';
import { CurrentActor, Roles } from '../http/auth';
import { PageQueryDto, pageRequest } from '../http/page-query.dto';
import { uuidParam } from '../http/validation';
import {
  CompanyContactDto,
  CompanyCreateDto,
  CompanyListItemDto,
  CompanyResponseDto,
  ProgrammeEligibilityDto,
  toCompanyInput,
  toCompanyListItem,
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

class EligibilityQueryDto {
  @ApiProperty({ example: 'tokyo-fy2024', description: 'The programme whose rules judge' })
  @IsDefined()
  @Matches(/^[a-z0-9][a-z0-9-]{1,62}$/, { message: 'programCode must be a programme code' })
  programCode: string;
}

@ApiTags('companies')
@ApiBearerAuth()
@Controller('companies')
export class CompaniesController {
  constructor(
    private readonly companies: CompanyService,
    private readonly sites: SiteService,
    private readonly enrollments: EnrollmentService,
    private readonly personalData: PersonalDataService,
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
  @ApiOperation({
    description:
      'Companies without their contact person: that is personal data, read (and its viewing logged) with GET /companies/:id.',
  })
  @ApiPageResponse(CompanyListItemDto)
  async list(@Query() query: CompanyListQueryDto): Promise<Page<CompanyListItemDto>> {
    const page = await this.companies.list(
      { eligible: query.eligible, name: query.q, ids: query.ids },
      pageRequest(query),
    );
    return mapPage(page, toCompanyListItem);
  }

  @Get(':id')
  @ApiOperation({
    description:
      'The contact person is personal data: who viewed it, and when, is logged as company.personal_data_viewed.',
  })
  @ApiOkResponse({ type: CompanyResponseDto })
  async get(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
  ): Promise<CompanyResponseDto> {
    const company = await this.companies.get(id);
    await this.personalData.recordViewed(actor, [company]);
    return toCompanyResponse(company);
  }

  @Get(':id/eligibility')
  @ApiOperation({
    summary: "The company's eligibility under a programme's rules",
    description:
      "Every reason, per course too: size against the programme's table, main office in its region, the subsidy, attestations ア–キ, and prior support, declared or recorded (a course taken in another programme). POST /enrollments decides on the same verdict.",
  })
  @ApiOkResponse({ type: ProgrammeEligibilityDto })
  async eligibility(
    @Param('id', uuidParam()) id: string,
    @Query() query: EligibilityQueryDto,
  ): Promise<ProgrammeEligibilityDto> {
    const eligibility = await this.enrollments.eligibility(id, query.programCode);
    return { programCode: query.programCode, ...eligibility };
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
